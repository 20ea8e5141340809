/** Choosing which cases of a spec to run. */

import { SpecError } from "./errors.js";
import type { Case, Spec } from "./loading.js";

/** A shell-style glob (`*`, `?`, `[seq]`, `[!seq]`, as Python's fnmatch) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      let j = i + 1;
      if (glob[j] === "!") j += 1;
      if (glob[j] === "]") j += 1;
      while (j < glob.length && glob[j] !== "]") j += 1;
      if (j >= glob.length) {
        source += "\\[";
      } else {
        let body = glob.slice(i + 1, j).replaceAll("\\", "\\\\");
        if (body.startsWith("!")) body = "^" + body.slice(1);
        else if (body.startsWith("^")) body = "\\" + body;
        source += `[${body}]`;
        i = j;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^(?:${source})$`, "s");
}

/** Cases whose id matches any glob; every glob must match something. */
export function selectCases(spec: Spec, patterns: readonly string[] | null | undefined): Case[] {
  if (!patterns || patterns.length === 0) return [...spec.cases];
  const compiled = patterns.map((pattern) => ({ pattern, regex: globToRegExp(pattern) }));
  for (const { pattern, regex } of compiled) {
    if (!spec.cases.some((c) => regex.test(c.id))) {
      throw new SpecError("--case", `${JSON.stringify(pattern)} matches no case id in ${spec.root}`);
    }
  }
  return spec.cases.filter((c) => compiled.some(({ regex }) => regex.test(c.id)));
}
