/** Run reports: the terminal lines and the JSON document. */

import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

import { isOk, type Judged, type Verdict } from "./divergences.js";
import { SpecError } from "./errors.js";
import { firstFailure } from "./execution.js";
import type { Target } from "./targets/base.js";
import { toolVersion } from "./versions.js";

export const TOOL_NAME = "checkpoint-spec-js";

function compact(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function header(target: Target, specRoot: string, count: number): string {
  const libraries = Object.entries(target.libraries)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  return `${TOOL_NAME} ${toolVersion()} | target ${target.name} (${target.language}) | ${libraries} | ${count} cases from ${specRoot}`;
}

export function failureLines(item: Judged): string[] {
  const result = item.result;
  const where = result.case.where;
  if (item.verdict === "stale") {
    const why = result.status === "passed" ? "passed" : `was skipped (${result.reason})`;
    return [`STALE ${result.case.id} (${where}): listed as a known divergence but ${why}; run with --update-known to drop the entry`];
  }
  const outcome = firstFailure(result);
  if (outcome === null) throw new Error(`case ${result.case.id} failed without a failing step`);
  const failing = result.steps.filter((step) => step.problem !== null).length;
  const lines = [
    `FAIL ${result.case.id} (${where}/steps/${outcome.step.index}): step ${outcome.step.index} ${outcome.step.op}: ${outcome.problem}` +
      (failing > 1 ? ` [+${failing - 1} more failing steps]` : ""),
  ];
  if (outcome.step.expect !== null) {
    const expected = "result" in outcome.step.expect ? outcome.expected : outcome.step.expect;
    lines.push(`  expected: ${compact(expected)}`);
  }
  lines.push(`  observed: ${compact(outcome.observation)}`);
  return lines;
}

export function summaryCounts(judged: readonly Judged[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { passed: 0, known: 0, failed: 0, skipped: 0, stale: 0 };
  for (const item of judged) counts[item.verdict] += 1;
  return counts;
}

export function closingLines(judged: readonly Judged[], problems: number): string[] {
  const counts = summaryCounts(judged);
  const passed = counts.passed + counts.known;
  const failed = counts.failed + counts.stale + problems;
  return [
    `${counts.passed} matched the spec, ${counts.known} known divergences, ${counts.failed} unexpected failures, ` +
      `${counts.stale} stale entries, ${counts.skipped} unsupported`,
    `${passed} passed, ${failed} failed, ${counts.skipped} skipped`,
  ];
}

export function runLines(judged: readonly Judged[], verbose = false): string[] {
  const lines: string[] = [];
  for (const item of judged) {
    if (!isOk(item)) lines.push(...failureLines(item));
    else if (verbose && item.verdict === "skipped") lines.push(`SKIP ${item.result.case.id}: ${item.result.reason}`);
  }
  return lines;
}

export function jsonReport(target: Target, specRoot: string, judged: readonly Judged[]): unknown {
  const counts = summaryCounts(judged);
  return {
    tool: { name: TOOL_NAME, version: toolVersion(), language: "typescript" },
    spec: specRoot,
    target: {
      name: target.name,
      language: target.language,
      libraries: target.libraries,
      capabilities: [...target.capabilities].sort(),
    },
    summary: { passed: counts.passed, known: counts.known, failed: counts.failed, stale: counts.stale, skipped: counts.skipped },
    cases: judged.map((item) => ({
      id: item.result.case.id,
      title: item.result.case.title,
      operation: item.result.case.operation,
      where: item.result.case.where,
      verdict: item.verdict,
      reason: item.verdict === "known" || item.verdict === "stale" ? item.knownReason : item.result.reason,
      steps: item.result.steps.map((outcome) => ({
        index: outcome.step.index,
        op: outcome.step.op,
        observation: outcome.observation,
        problem: outcome.problem,
      })),
    })),
  };
}

/** Write the whole file or nothing, so an interrupted run never leaves half a report. */
/** Fail before any work when path cannot be written, naming the option that gave it. */
export function checkWritable(path: string, option: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new SpecError(option, `${path} is a folder, not a file`);
  const probe = join(dirname(path), `.${basename(path)}.${process.pid}.probe`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    throw new SpecError(option, `cannot write ${path}: ${(error as Error).message}`);
  }
}

export function writeJsonAtomically(path: string, document: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, JSON.stringify(document, null, 2) + "\n", "utf-8");
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
