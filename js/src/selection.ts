/** Choosing which cases of a spec to run. */

import { SpecError } from "./errors.js";
import { GlobError, compileGlob, type Glob } from "./globs.js";
import type { Case, Spec } from "./loading.js";

/** Cases whose id matches any glob (spec/README.md 7.1), in spec order; every glob must match something. */
export function selectCases(spec: Spec, patterns: readonly string[] | null | undefined): Case[] {
  if (!patterns || patterns.length === 0) return [...spec.cases];
  const globs: Glob[] = patterns.map((pattern) => {
    try {
      return compileGlob(pattern);
    } catch (error) {
      if (error instanceof GlobError) throw new SpecError("--case", error.message);
      throw error;
    }
  });
  for (const glob of globs) {
    if (!spec.cases.some((c) => glob.matches(c.id))) {
      throw new SpecError("--case", `${JSON.stringify(glob.text)} matches no case id in ${spec.root}`);
    }
  }
  return spec.cases.filter((c) => globs.some((glob) => glob.matches(c.id)));
}
