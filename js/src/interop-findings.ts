/**
 * The lint of spec/parity/interop.json, as the Python runner checks it
 * (checkpoint_spec.parity.interop.findings): its schema, and a reason for every finding.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";

import { SpecError } from "./errors.js";
import { InvalidSpec, escapeToken, readJson, validate, type Spec } from "./loading.js";
import { missingReasons } from "./strict-lists.js";

/** The findings (none when there is no file), by KIND DIRECTION OP VERDICT; InvalidSpec names each bad entry. */
export function loadInteropFindings(spec: Pick<Spec, "root">): Record<string, string> {
  const path = join(spec.root, "parity", "interop.json");
  if (!existsSync(path)) return {};
  const document = readJson(path);
  try {
    validate(document, join(spec.root, "schema", "interop.schema.json"), path);
  } catch (error) {
    if (error instanceof SpecError) throw new InvalidSpec([error]);
    throw error;
  }
  const findings = (document as { findings: Record<string, string> }).findings;
  const problems = missingReasons(
    path,
    Object.entries(findings).map(([key, reason]) => [`/findings/${escapeToken(key)}`, reason] as const),
  );
  if (problems.length > 0) throw new InvalidSpec(problems);
  return findings;
}
