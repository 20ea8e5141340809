/** Known-divergence lists: strict per-target registers of cases a target does not satisfy. */

import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { SpecError } from "./errors.js";
import type { CaseResult } from "./execution.js";
import { InvalidSpec, caseIds, readJson, validate, type Spec } from "./loading.js";

export type Verdict = "passed" | "known" | "failed" | "skipped" | "stale";
export const SCHEMA_REF = "../schema/known-divergences.schema.json";
export const PLACEHOLDER = "TODO: say in one sentence why this target does not satisfy the case.";

export interface KnownDivergences {
  readonly path: string;
  readonly target: string;
  readonly reasons: Map<string, string>;
  readonly exists: boolean;
}

export function knownPath(spec: Pick<Spec, "root">, target: string): string {
  return join(spec.root, "known-divergences", `${target}.json`);
}

interface KnownFile {
  target: string;
  divergences: Record<string, string>;
}

export function loadKnown(path: string, target: string, spec: Spec, needReasons = true): KnownDivergences {
  if (!existsSync(path)) return { path, target, reasons: new Map(), exists: false };
  const document = readJson(path);
  try {
    validate(document, join(spec.root, "schema", "known-divergences.schema.json"), path);
  } catch (error) {
    if (error instanceof SpecError) throw new InvalidSpec([error]);
    throw error;
  }
  const known = document as KnownFile;
  const problems: SpecError[] = [];
  if (known.target !== target) {
    problems.push(new SpecError(path, `lists target ${JSON.stringify(known.target)}, not ${JSON.stringify(target)}`, "/target"));
  }
  const ids = caseIds(spec);
  const reasons = new Map<string, string>();
  for (const [caseId, reason] of Object.entries(known.divergences)) {
    const pointer = `/divergences/${caseId}`;
    if (!ids.has(caseId)) {
      // When rewriting the list, an entry whose case is gone is simply dropped.
      if (needReasons) problems.push(new SpecError(path, "names no case in the spec", pointer));
      continue;
    }
    if (needReasons && (reason.trim().toUpperCase().startsWith("TODO") || reason.trim() === "")) {
      problems.push(new SpecError(path, "needs a one-sentence reason", pointer));
    }
    reasons.set(caseId, reason);
  }
  if (problems.length > 0) throw new InvalidSpec(problems);
  return { path, target, reasons, exists: true };
}

export interface Judged {
  readonly result: CaseResult;
  readonly verdict: Verdict;
  readonly knownReason: string | null;
}

export function isOk(item: Judged): boolean {
  return item.verdict === "passed" || item.verdict === "known" || item.verdict === "skipped";
}

export function judge(results: Iterable<CaseResult>, known: KnownDivergences): Judged[] {
  const judged: Judged[] = [];
  for (const result of results) {
    const reason = known.reasons.get(result.case.id) ?? null;
    if (result.status === "failed") judged.push({ result, verdict: reason ? "known" : "failed", knownReason: reason });
    else if (reason !== null) judged.push({ result, verdict: "stale", knownReason: reason });
    else judged.push({ result, verdict: result.status, knownReason: null });
  }
  return judged;
}

/** Rewrite the list from what was observed; returns how many entries need a reason. */
export function rewriteKnown(known: KnownDivergences, judged: Iterable<Judged>, ran: ReadonlySet<string>): number {
  const reasons = new Map([...known.reasons].filter(([caseId]) => !ran.has(caseId)));
  for (const item of judged) {
    if (item.result.status === "failed") reasons.set(item.result.case.id, item.knownReason || PLACEHOLDER);
  }
  const sorted = [...reasons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const document = { $schema: SCHEMA_REF, target: known.target, divergences: Object.fromEntries(sorted) };
  mkdirSync(dirname(known.path), { recursive: true });
  const temporary = known.path.replace(/\.json$/, "") + ".json.tmp";
  writeFileSync(temporary, JSON.stringify(document, null, 2) + "\n", "utf-8");
  renameSync(temporary, known.path);
  return sorted.filter(([, why]) => why === PLACEHOLDER).length;
}
