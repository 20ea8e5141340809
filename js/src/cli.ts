#!/usr/bin/env node
/** The `checkpoint-spec-js` command line: run, record, lint, driver (options.ts reads the words). */

import { existsSync, statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";

import { isOk, judge, knownPath, loadKnown, rewriteKnown, type Judged } from "./divergences.js";
import { SpecError, TargetError } from "./errors.js";
import { internalErrorLine } from "./internal-error.js";
import { runCase } from "./execution.js";
import { InvalidSpec, loadSpec, type Case, type Spec } from "./loading.js";
import { checkWritable, writeJsonAtomically } from "./files.js";
import { UsageError, parseCommandLine, usage, type CommandLine, type Values } from "./options.js";
import { Progress } from "./progress.js";
import { record } from "./recording.js";
import { parseLevel, type Judging } from "./levels.js";
import { closingLines, header, jsonReport, judgedOnly, runLines, runPasses } from "./report.js";
import { defaultSpecRoot } from "./roots.js";
import { selectCases } from "./selection.js";
import { lintSpec, summaryLine } from "./spec-lint.js";
import { BUILTIN, checkTargetArg, makeTarget, type Target } from "./targets/index.js";
import { versionLine } from "./versions.js";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** What one command line does: its exit status, 0, 1 or 2 (spec/README.md 7.2). */
export async function main(argv: string[], output: Output = consoleOutput): Promise<number> {
  const targets = Object.keys(BUILTIN);
  let line: CommandLine;
  try {
    line = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    output.err(`error: ${error.message}`);
    if (error instanceof UsageError) output.err(usage(error.command, targets));
    return EXIT_BAD_INPUT;
  }
  if (line.help) {
    output.out(usage(line.command, targets));
    return EXIT_OK;
  }
  if (!("values" in line)) {
    output.out(versionLine());
    return EXIT_OK;
  }
  try {
    return await command(line.command, line.values, output);
  } catch (error) {
    return badInput(error, output);
  }
}

/** Bad input as the one line (one per problem) of spec/README.md 7.2, exit 2; anything else is the runner's bug. */
function badInput(error: unknown, output: Output): number {
  if (error instanceof InvalidSpec) {
    for (const problem of error.problems) output.err(`error: ${problem.message}`);
    return EXIT_BAD_INPUT;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof SpecError || error instanceof TargetError || (typeof code === "string" && error instanceof Error)) {
    output.err(`error: ${error.message}`);
    return EXIT_BAD_INPUT;
  }
  throw error;
}

async function command(name: string, values: Values, output: Output): Promise<number> {
  if (name !== "lint") checkTargetArg(values.target!, values["target-arg"]);
  if (name === "driver") {
    // Standard output carries protocol messages only: send stray console output to standard error.
    console.log = console.error;
    console.info = console.error;
    console.debug = console.error;
    const { serve } = await import("./driver.js");
    return await serve(values.target!, process.stdin, process.stdout, values.timeout, values["target-arg"]);
  }
  const specRoot = values.spec ?? defaultSpecRoot();
  if (name === "lint") {
    output.out(summaryLine(lintSpec(specRoot)));
    return EXIT_OK;
  }
  const spec = loadSpec(specRoot);
  const cases = selectCases(spec, values.case);
  const judging = parseLevel(values.level, Object.hasOwn(BUILTIN, values.target!));
  if (values.json !== undefined) checkWritable(values.json, "--json");
  if (name === "run") checkKnownOptions(values);
  const target = await makeTarget(values.target!, values.timeout, values["target-arg"]);
  if (name === "record") return await recordCases(spec, cases, target, values, output);
  return await run(values, spec, cases, target, judging, output);
}

/** Before the target is made: where --update-known may write, and that a --known file to read is there. */
function checkKnownOptions(values: Values): void {
  const updateKnown = values["update-known"] === true;
  if (updateKnown && values.known === undefined && !Object.hasOwn(BUILTIN, values.target!)) {
    // A user's list belongs with the user's saver, never in the spec folder.
    throw new SpecError(
      "--update-known",
      `${JSON.stringify(values.target)} is not a built-in target, so its list is not written into the spec folder; give --known FILE`,
    );
  }
  if (values.known === undefined) return;
  if (updateKnown) checkWritable(values.known, "--known"); // a missing file is created
  else if (!(existsSync(values.known) && statSync(values.known).isFile())) throw new SpecError("--known", `${values.known}: no such file`);
}

async function recordCases(spec: Spec, cases: Case[], target: Target, values: Values, output: Output): Promise<number> {
  const recorded = await record(spec, cases, target, values.overwrite === true, values.timeout);
  for (const result of recorded.errored) output.out(`ERROR ${result.case.id} (${result.case.where}): ${result.reason ?? ""}`);
  for (const [path, count] of recorded.written) output.out(`${path}: wrote ${count} expectations; review them before committing`);
  return recorded.errored.length > 0 ? EXIT_FAILED : EXIT_OK;
}

async function run(
  values: Values,
  spec: Spec,
  cases: Case[],
  target: Target,
  judging: Judging,
  output: Output,
): Promise<number> {
  const updateKnown = values["update-known"] === true;
  const knownFile = values.known ?? knownPath(spec, target.name);
  const known = loadKnown(knownFile, target.name, spec, !updateKnown);
  output.out(header(target, spec.root, cases.length, judging));
  const judged: Judged[] = [];
  const progress = new Progress(cases.length);
  try {
    for (const testCase of cases) {
      judged.push(...judge([await runCase(testCase, target, spec, values.timeout)], known));
      progress.advance(!isOk(judged[judged.length - 1]!));
    }
  } finally {
    progress.close();
  }
  for (const line of runLines(judged, values.verbose === true, judging)) output.out(line);
  if (values.json !== undefined) writeJsonAtomically(values.json, jsonReport(target, spec.root, judged, judging));
  if (updateKnown) {
    const todo = rewriteKnown(known, judged, new Set(cases.map((c) => c.id)));
    const errored = judgedOnly(judged, judging).filter((item) => item.verdict === "errored").length;
    output.out(
      `rewrote ${knownFile}` +
        (todo > 0 ? `; ${todo} entries need a reason` : "") +
        (errored > 0 ? `; ${errored} errored cases keep their entries` : ""),
    );
    return todo > 0 || errored > 0 ? EXIT_FAILED : EXIT_OK;
  }
  for (const line of closingLines(judged, 0, judging)) output.out(line);
  return runPasses(judged, judging) ? EXIT_OK : EXIT_FAILED;
}

const invokedDirectly = process.argv[1] !== undefined && (() => {
  try {
    return resolvePath(process.argv[1]) === fileURLToPath(import.meta.url) ||
      statSync(process.argv[1]).ino === statSync(fileURLToPath(import.meta.url)).ino;
  } catch {
    return false;
  }
})();

/**
 * main() as the process: its status is the exit code (0, 1 or 2, nothing else), and
 * the process ends then, whatever a saver left running. Anything unexpected, even
 * outside main (an error event nobody listens to), is one line on standard error,
 * the stack in a file, and exit 2; so is an event loop left with nothing to do
 * while main still waits, which would otherwise end the process silently.
 */
/** A closed standard output (or error) ends the command at once with exit 2: no line, no details file (spec 7.2). */
function outputClosed(): never {
  process.exit(EXIT_BAD_INPUT);
}

function runAsProcess(argv: string[]): void {
  let crashed = false;
  const exit = (status: number) => {
    // Both streams flushed first: a pipe that is full takes writes asynchronously, and exit() drops them.
    let open = 2;
    const flushed = (error?: Error | null) => {
      if (error) {
        streamFailed(error);
        return;
      }
      open -= 1;
      if (open === 0) process.exit(status);
    };
    process.stdout.write("", flushed);
    process.stderr.write("", flushed);
    // Output nobody reads must not keep the process either.
    setTimeout(() => process.exit(status), 5000).unref();
  };
  const crash = (error: unknown) => {
    if (crashed) return;
    crashed = true;
    process.stderr.write(internalErrorLine(error) + "\n");
    exit(EXIT_BAD_INPUT);
  };
  // A reader that went away (`| head -1`) leaves nothing to write to: exit 2 quietly (spec/README.md 7.2).
  const streamFailed = (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? outputClosed() : crash(error));
  process.stdout.on("error", streamFailed);
  process.stderr.on("error", streamFailed);
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  let settled = false;
  process.on("beforeExit", () => {
    if (!settled) crash(new Error("the runner was left waiting for something that never happens"));
  });
  main(argv).then(
    (status) => {
      settled = true;
      exit([EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT].includes(status) ? status : EXIT_BAD_INPUT);
    },
    (error: unknown) => {
      settled = true;
      crash(error);
    },
  );
}

if (invokedDirectly) runAsProcess(process.argv.slice(2));
