/** `lint`: every JSON file of a spec folder read under section 1.1 and checked as the kind of file it is. */

import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

import { loadKnown } from "./divergences.js";
import { SpecError } from "./errors.js";
import { loadInteropFindings } from "./interop-findings.js";
import { InvalidSpec, SELFTEST_SCHEMAS, checkSchema, lintSelftest, loadSpec, readJson } from "./loading.js";
import { compareCodePoints } from "./matching.js";
import { lintRegistry } from "./parity-registry.js";

export interface LintSummary {
  readonly files: number;
  readonly cases: number;
  readonly scenarios: number;
  readonly fixtures: number;
  readonly known: number;
  readonly causes: number;
  readonly findings: number;
  readonly selftest: number;
}

/** Lint everything under root, in the order of the Python lint; throws InvalidSpec listing the problems of the first part that has any. */
export function lintSpec(root: string): LintSummary {
  const spec = loadSpec(root);
  const folder = join(root, "known-divergences");
  const known = isDirectory(folder) ? readdirSync(folder).filter((name) => name.endsWith(".json")).sort() : [];
  for (const name of known) loadKnown(join(folder, name), name.slice(0, -".json".length), spec);
  const causes = lintRegistry(spec);
  const findings = Object.keys(loadInteropFindings(spec)).length;
  const selftest = lintSelftest(root);
  const files = lintSchemasAndStrays(root);
  const scenarios = spec.cases.filter((c) => c.graph !== null).length;
  return {
    files,
    cases: spec.cases.length - scenarios,
    scenarios,
    fixtures: Object.keys(spec.fixtures).length,
    known: known.length,
    causes,
    findings,
    selftest,
  };
}

/** The one line `lint` prints for a valid spec. */
export function summaryLine(summary: LintSummary): string {
  return (
    `${summary.files} files are valid: ${summary.cases} cases, ${summary.scenarios} scenarios, ${summary.fixtures} fixtures, ` +
    `${summary.known} known-divergence files, ${summary.causes} parity causes, ${summary.findings} interop findings ` +
    `and ${summary.selftest} self-test files`
  );
}

/** Whether a path inside the spec folder (its parts) is a place section 1.1 gives a kind of JSON file. */
export function isSpecFilePlace(parts: readonly string[]): boolean {
  const [first, second, third] = parts;
  if (parts.length === 2) {
    if (["cases", "scenarios", "fixtures", "known-divergences"].includes(first!)) return second!.endsWith(".json");
    if (first === "parity") return second === "registry.json" || second === "interop.json";
    if (first === "schema") return second!.endsWith(".schema.json");
    if (first === "selftest") return Object.hasOwn(SELFTEST_SCHEMAS, second!);
    return false;
  }
  return parts.length === 3 && first === "selftest" && second === "cases" && third!.endsWith(".json");
}

/**
 * Every schema file is a valid JSON Schema 2020-12, and every *.json file is in a place
 * section 1.1 names. Returns the number of JSON files in the folder.
 */
export function lintSchemasAndStrays(root: string): number {
  const problems: SpecError[] = [];
  const files = jsonFilesUnder(root);
  for (const path of files) {
    const parts = relative(root, path).split(sep);
    if (!isSpecFilePlace(parts)) {
      problems.push(new SpecError(path, "is not a file of any kind the spec defines (spec/README.md 1.1)", null, "stray-file"));
    } else if (parts[0] === "schema") {
      try {
        checkSchema(readJson(path), path);
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        problems.push(error);
      }
    }
  }
  if (problems.length > 0) throw new InvalidSpec(problems);
  return files.length;
}

/** Every file named *.json under root, at any depth, in code point order of their paths. */
function jsonFilesUnder(root: string): string[] {
  const found: string[] = [];
  const folders = [root];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      // A link to a file is read as that file; a link to a folder is not followed, so no loop can form.
      if (entry.isDirectory()) folders.push(path);
      else if ((entry.isFile() || (entry.isSymbolicLink() && statOrNull(path)?.isFile() === true)) && entry.name.endsWith(".json")) found.push(path);
    }
  }
  return found.sort(compareCodePoints);
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function isDirectory(path: string): boolean {
  return statOrNull(path)?.isDirectory() === true;
}
