/**
 * The lint of the parity registry (spec/parity/registry.json), as the Python runner checks it
 * (checkpoint_spec.parity.registry): the schema, then what the schema cannot say.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";

import { SpecError } from "./errors.js";
import { InvalidSpec, escapeToken, readJson, validate, type Spec } from "./loading.js";
import { missingReasons } from "./strict-lists.js";

/** What a rule says a side shows where that side has no value. */
const ABSENT = "absent";

interface RawRule {
  at: string | string[];
  first: string | string[];
  second: string | string[];
  families?: string[];
}

interface RawRegistry {
  causes: Record<string, { explanation: string; families: string[]; differences: RawRule[] }>;
}

const list = (value: string | string[]): string[] => (typeof value === "string" ? [value] : value);

export function registryPath(spec: Pick<Spec, "root">): string {
  return join(spec.root, "parity", "registry.json");
}

/** Validate the registry (if any); the number of causes. */
export function lintRegistry(spec: Pick<Spec, "root">): number {
  const path = registryPath(spec);
  if (!existsSync(path)) return 0;
  const document = readJson(path);
  try {
    validate(document, join(spec.root, "schema", "parity-registry.schema.json"), path);
  } catch (error) {
    if (error instanceof SpecError) throw new InvalidSpec([error]);
    throw error;
  }
  const problems: SpecError[] = [];
  const causes = (document as RawRegistry).causes;
  for (const [causeId, raw] of Object.entries(causes)) {
    const pointer = `/causes/${escapeToken(causeId)}`;
    problems.push(...missingReasons(path, [[`${pointer}/explanation`, raw.explanation]], "explanation"));
    raw.differences.forEach((rule, index) => {
      const outside = [...new Set(rule.families ?? [])].filter((family) => !raw.families.includes(family)).sort();
      if (outside.length > 0) {
        problems.push(new SpecError(path, `names families the cause does not (${outside.join(", ")})`, `${pointer}/differences/${index}/families`, "family-outside"));
      }
      if ([...list(rule.first), ...list(rule.second)].every((look) => look === ABSENT)) {
        problems.push(new SpecError(path, "says both sides are absent, which is no difference", `${pointer}/differences/${index}`, "no-difference"));
      }
    });
  }
  if (problems.length > 0) throw new InvalidSpec(problems);
  return Object.keys(causes).length;
}
