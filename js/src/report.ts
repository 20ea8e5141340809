/** Run reports: the terminal lines and the JSON document. */

import { changes, isOk, type Judged, type Verdict } from "./divergences.js";
import { caseFingerprint, firstFailure, type StepOutcome } from "./outcomes.js";
import { written } from "./fingerprints.js";
import { LEVELS, isJudged, type Judging } from "./levels.js";
import type { Target } from "./targets/base.js";
import { toolVersion } from "./versions.js";

export const TOOL_NAME = "checkpoint-spec-js";

function compact(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function header(target: Target, specRoot: string, count: number, judging: Judging = "all"): string {
  const libraries = Object.entries(target.libraries)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  return `${TOOL_NAME} ${toolVersion()} | target ${target.name} (${target.language}) | ${libraries} | ${count} cases from ${specRoot} | level ${judging}`;
}

export function failureLines(item: Judged): string[] {
  const result = item.result;
  const where = result.case.where;
  if (item.verdict === "errored") return [`ERROR ${result.case.id} (${where}): ${result.reason}`];
  const changed = changes(item.newMarks, item.goneMarks);
  if (item.verdict === "stale") {
    let why: string;
    if (result.status === "failed") why = `fails in fewer places than listed (${changed})`;
    else why = result.status === "passed" ? "passed" : `was skipped (${result.reason})`;
    return [`STALE ${result.case.id} (${where}): listed as a known divergence but ${why}; run with --update-known to rewrite the entry`];
  }
  let outcome: StepOutcome;
  let lines: string[];
  const firstNew = item.newMarks[0];
  if (firstNew !== undefined) {
    // A listed case that fails somewhere new: show the first new place, not the first listed one.
    const found = result.steps.find((step) => step.step.index === firstNew.step);
    if (found === undefined) throw new Error(`case ${result.case.id} has no step ${firstNew.step}`);
    outcome = found;
    lines = [
      `FAIL ${result.case.id} (${where}/steps/${firstNew.step}): listed as a known divergence, but it ${changed}`,
      `  step ${firstNew.step} ${outcome.step.op}: ${outcome.problem}`,
    ];
  } else {
    const found = firstFailure(result);
    if (found === null) throw new Error(`case ${result.case.id} failed without a failing step`);
    outcome = found;
    const failing = result.steps.filter((step) => step.problem !== null).length;
    lines = [
      `FAIL ${result.case.id} (${where}/steps/${outcome.step.index}): step ${outcome.step.index} ${outcome.step.op}: ${outcome.problem}` +
        (failing > 1 ? ` [+${failing - 1} more failing steps]` : ""),
    ];
  }
  if (outcome.step.expect !== null) {
    const expected = "result" in outcome.step.expect ? outcome.expected : outcome.step.expect;
    lines.push(`  expected: ${shorten(compact(expected))}`);
  }
  lines.push(`  observed: ${shorten(compact(outcome.observation))}`);
  return lines;
}

/** Long values shortened for the terminal; the JSON report keeps them whole. */
/** The longest line a failure block prints (values within it are cut at 400 characters). */
export const LINE_LIMIT = 1000;

/** A long line cut in its middle, so that the end of a problem (what a value fails to match) stays. */
export function shortenLine(text: string, limit = LINE_LIMIT): string {
  if (text.length <= limit) return text;
  const marker = ` ... (${text.length} characters) ... `;
  const keep = Math.max(limit - marker.length, 0);
  const head = Math.floor((keep * 2) / 3);
  return text.slice(0, head) + marker + text.slice(text.length - (keep - head));
}

export function shorten(text: string, limit = 400): string {
  if (text.length <= limit) return text;
  const suffix = `... (${text.length} characters)`;
  return text.slice(0, Math.max(limit - suffix.length, 0)) + suffix;
}

export function summaryCounts(judged: readonly Judged[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { passed: 0, known: 0, failed: 0, skipped: 0, stale: 0, errored: 0 };
  for (const item of judged) counts[item.verdict] += 1;
  return counts;
}

export function judgedOnly(judged: readonly Judged[], judging: Judging): Judged[] {
  return judged.filter((item) => isJudged(item.result.case.level, judging));
}

/** Exit 0 or 1: a case of a level not judged never fails the run (6.4). */
export function runPasses(judged: readonly Judged[], judging: Judging): boolean {
  return judgedOnly(judged, judging).every(isOk);
}

function tally(counts: Record<Verdict, number>, problems = 0): string {
  // An errored case fails the run: it is among the failed, and named only in the line before (spec 7 step 5).
  const failed = counts.failed + counts.stale + counts.errored + problems;
  return `${counts.passed + counts.known} passed, ${failed} failed, ${counts.skipped} skipped`;
}

/** One line per level that has cases (6.4), contract first; a level not judged says so. */
export function levelLines(judged: readonly Judged[], judging: Judging): string[] {
  const lines: string[] = [];
  for (const level of LEVELS) {
    const ofLevel = judged.filter((item) => item.result.case.level === level);
    if (ofLevel.length === 0) continue;
    lines.push(`${level}: ${tally(summaryCounts(ofLevel))}${isJudged(level, judging) ? "" : " (not judged)"}`);
  }
  return lines;
}

export function closingLines(judged: readonly Judged[], problems: number, judging: Judging = "all"): string[] {
  const counts = summaryCounts(judgedOnly(judged, judging));
  const errored = counts.errored > 0 ? `, ${counts.errored} errored` : "";
  return [
    ...levelLines(judged, judging),
    `${counts.passed} matched the spec, ${counts.known} known divergences, ${counts.failed} unexpected failures, ` +
      `${counts.stale} stale entries, ${counts.skipped} unsupported${errored}`,
    tally(counts, problems),
  ];
}

/** Case ids listed under a block that stands for several cases. */
export const SAME_WAY_IDS = 10;

/** The block with its case's id and place taken out: cases that failed the same way share it. */
function sameWay(item: Judged, lines: readonly string[]): string {
  const { id, where } = item.result.case;
  return JSON.stringify(lines.map((line) => line.replaceAll(where, "WHERE").replaceAll(id, "CASE")));
}

/** Each failure's block, once for all the cases that failed the same way (with their count and ids). */
function failureBlocks(judged: readonly Judged[]): string[] {
  const blocks = new Map<string, { lines: string[]; ids: string[] }>();
  for (const item of judged) {
    if (isOk(item)) continue;
    const lines = failureLines(item).map((line) => shortenLine(line));
    const key = sameWay(item, lines);
    const block = blocks.get(key);
    if (block === undefined) blocks.set(key, { lines, ids: [] });
    else block.ids.push(item.result.case.id);
  }
  const out: string[] = [];
  for (const { lines, ids } of blocks.values()) {
    out.push(...lines);
    if (ids.length > 0) {
      const shown = ids.slice(0, SAME_WAY_IDS).join(", ") + (ids.length > SAME_WAY_IDS ? ", ..." : "");
      out.push(`  ... and ${ids.length} more cases the same way: ${shown}`);
    }
  }
  return out;
}

/** The judged cases' failure blocks, then those of the cases not judged (6.4), then skips with -v. */
export function runLines(judged: readonly Judged[], verbose = false, judging: Judging = "all"): string[] {
  const out = failureBlocks(judgedOnly(judged, judging));
  const aside = failureBlocks(judged.filter((item) => !isJudged(item.result.case.level, judging)));
  if (aside.length > 0) out.push(`not judged (--level ${judging}):`, ...aside);
  if (verbose) {
    for (const item of judged) if (item.verdict === "skipped") out.push(shortenLine(`SKIP ${item.result.case.id}: ${item.result.reason}`));
  }
  return out;
}

function counted(judged: readonly Judged[]): Record<Verdict, number> {
  const counts = summaryCounts(judged);
  return { passed: counts.passed, known: counts.known, failed: counts.failed, stale: counts.stale, skipped: counts.skipped, errored: counts.errored };
}

export function jsonReport(target: Target, specRoot: string, judged: readonly Judged[], judging: Judging = "all"): unknown {
  const levels: Partial<Record<string, Record<Verdict, number>>> = {};
  for (const level of LEVELS) {
    const ofLevel = judged.filter((item) => item.result.case.level === level);
    if (ofLevel.length > 0) levels[level] = counted(ofLevel);
  }
  return {
    tool: { name: TOOL_NAME, version: toolVersion(), language: "typescript" },
    spec: specRoot,
    target: {
      name: target.name,
      language: target.language,
      libraries: target.libraries,
      capabilities: [...target.capabilities].sort(),
    },
    level: judging,
    summary: counted(judgedOnly(judged, judging)),
    levels,
    cases: judged.map((item) => ({
      id: item.result.case.id,
      title: item.result.case.title,
      operation: item.result.case.operation,
      level: item.result.case.level,
      judged: isJudged(item.result.case.level, judging),
      where: item.result.case.where,
      verdict: item.verdict,
      reason: item.knownReason ?? item.result.reason,
      fingerprint: item.result.status === "failed" ? written(caseFingerprint(item.result)) : null,
      changes:
        item.newMarks.length > 0 || item.goneMarks.length > 0
          ? { new: written(item.newMarks), gone: written(item.goneMarks) }
          : null,
      steps: item.result.steps.map((outcome) => ({
        index: outcome.step.index,
        op: outcome.step.op,
        observation: outcome.observation,
        problem: outcome.problem,
      })),
    })),
  };
}
