#!/usr/bin/env node
/** The `checkpoint-spec-js` command line: run, lint, driver. */

import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { isOk, judge, knownPath, loadKnown, rewriteKnown } from "./divergences.js";
import { SpecError, TargetError } from "./errors.js";
import { runCase, type CaseResult } from "./execution.js";
import { InvalidSpec, loadSpec, type Case, type Spec } from "./loading.js";
import { checkWritable, writeJsonAtomically } from "./files.js";
import { closingLines, header, jsonReport, runLines } from "./report.js";
import { selectCases } from "./selection.js";
import { lintSpec, summaryLine } from "./spec-lint.js";
import { BUILTIN, makeTarget, type Target } from "./targets/index.js";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

const USAGE = `usage: checkpoint-spec-js COMMAND [options]

commands:
  run     --target T [--spec DIR] [--case GLOB]... [--json FILE] [--known FILE] [--update-known] [-v]
  lint    [--spec DIR]
  driver  --target T      serve spec/protocol.md on standard input and output

T is a built-in target (${Object.keys(BUILTIN).join(", ")}) or ./path/to/module.js:exportName,
an export returning a fresh BaseCheckpointSaver (or a promise of one) per call.`;

/** The repository's spec/ when run from a checkout, else ./spec. */
export function defaultSpecRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(folder, "spec");
    if (existsSync(join(candidate, "cases")) && statSync(join(candidate, "cases")).isDirectory()) return candidate;
    if (dirname(folder) === folder) return resolvePath("spec");
    folder = dirname(folder);
  }
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

class UsageError extends Error {}

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: "string" },
        spec: { type: "string" },
        case: { type: "string", multiple: true },
        json: { type: "string" },
        known: { type: "string" },
        "update-known": { type: "boolean", default: false },
        verbose: { type: "boolean", short: "v", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export async function main(argv: string[], output: Output = consoleOutput): Promise<number> {
  let parsed: ReturnType<typeof options>;
  try {
    parsed = options(argv);
  } catch (error) {
    output.err(`error: ${(error as Error).message}`);
    output.err(USAGE);
    return EXIT_BAD_INPUT;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined) {
    (values.help ? output.out : output.err)(USAGE);
    return values.help ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (!["run", "lint", "driver"].includes(command) || positionals.length > 1) {
    output.err(`error: unknown command ${positionals.join(" ")}`);
    output.err(USAGE);
    return EXIT_BAD_INPUT;
  }
  if (command !== "lint" && values.target === undefined) {
    output.err(`error: ${command} needs --target`);
    return EXIT_BAD_INPUT;
  }
  try {
    if (command === "driver") {
      // Standard output carries protocol messages only: send stray console output to standard error.
      console.log = console.error;
      console.info = console.error;
      console.debug = console.error;
      const { serve } = await import("./driver.js");
      return await serve(values.target!, process.stdin, process.stdout);
    }
    const specRoot = values.spec ?? defaultSpecRoot();
    if (command === "lint") {
      output.out(summaryLine(lintSpec(specRoot)));
      return EXIT_OK;
    }
    const spec = loadSpec(specRoot);
    const cases = selectCases(spec, values.case);
    const target = await makeTarget(values.target!);
    return await run(values, spec, cases, target, output);
  } catch (error) {
    if (error instanceof InvalidSpec) {
      for (const problem of error.problems) output.err(`error: ${problem.message}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof SpecError || error instanceof TargetError) {
      output.err(`error: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === "string" && error instanceof Error) {
      output.err(`error: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

async function run(
  values: { json?: string; known?: string; "update-known"?: boolean; verbose?: boolean },
  spec: Spec,
  cases: Case[],
  target: Target,
  output: Output,
): Promise<number> {
  const updateKnown = values["update-known"] === true;
  if (values.known !== undefined && !(existsSync(values.known) && statSync(values.known).isFile())) {
    throw new SpecError("--known", `${values.known}: no such file`);
  }
  if (values.json !== undefined) checkWritable(values.json, "--json");
  const knownFile = values.known ?? knownPath(spec, target.name);
  const known = loadKnown(knownFile, target.name, spec, !updateKnown);
  output.out(header(target, spec.root, cases.length));
  const results: CaseResult[] = [];
  for (const testCase of cases) results.push(await runCase(testCase, target, spec));
  const judged = judge(results, known);
  for (const line of runLines(judged, values.verbose === true)) output.out(line);
  if (values.json !== undefined) writeJsonAtomically(values.json, jsonReport(target, spec.root, judged));
  if (updateKnown) {
    const todo = rewriteKnown(known, judged, new Set(cases.map((c) => c.id)));
    output.out(`rewrote ${knownFile}` + (todo > 0 ? `; ${todo} entries need a reason` : ""));
    return todo > 0 ? EXIT_FAILED : EXIT_OK;
  }
  for (const line of closingLines(judged, 0)) output.out(line);
  return judged.every(isOk) ? EXIT_OK : EXIT_FAILED;
}

const invokedDirectly = process.argv[1] !== undefined && (() => {
  try {
    return resolvePath(process.argv[1]!) === fileURLToPath(import.meta.url) ||
      statSync(process.argv[1]!).ino === statSync(fileURLToPath(import.meta.url)).ino;
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`error: internal: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
