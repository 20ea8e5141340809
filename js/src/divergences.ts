/** Known-divergence lists: strict per-target registers of how each listed case fails (spec/README.md 6.2). */

import { existsSync } from "node:fs";
import { join } from "node:path";

import { SpecError } from "./errors.js";
import { caseFingerprint, type CaseResult } from "./outcomes.js";
import { writeJsonAtomically } from "./files.js";
import { describe, difference, fingerprint, hasDuplicates, markFromJson, written, type Fingerprint, type Mark } from "./fingerprints.js";
import { InvalidSpec, caseIds, readJson, validate, type Spec } from "./loading.js";
import { countNeedingReasons, missingReasons, needsReason, updatedEntries } from "./strict-lists.js";

export type Verdict = "passed" | "known" | "failed" | "skipped" | "stale" | "errored";
export const SCHEMA_REF = "../schema/known-divergences.schema.json";
export const PLACEHOLDER = "TODO: say in one sentence why this target does not satisfy the case.";
export const RECHECK = "TODO: check this reason against the places the case now fails: ";

export interface KnownEntry {
  readonly reason: string;
  readonly fails: Fingerprint;
}

export interface KnownDivergences {
  readonly path: string;
  readonly target: string;
  entries: Map<string, KnownEntry>;
  readonly exists: boolean;
}

export function knownPath(spec: Pick<Spec, "root">, target: string): string {
  return join(spec.root, "known-divergences", `${target}.json`);
}

interface KnownFile {
  target: string;
  divergences: Record<string, { reason: string; fails: Mark[] }>;
}

export function loadKnown(path: string, target: string, spec: Spec, needReasons = true): KnownDivergences {
  if (!existsSync(path)) return { path, target, entries: new Map(), exists: false };
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
    problems.push(new SpecError(path, `lists target ${JSON.stringify(known.target)}, not ${JSON.stringify(target)}`, "/target", "known-target"));
  }
  const ids = caseIds(spec);
  const entries = new Map<string, KnownEntry>();
  for (const [caseId, raw] of Object.entries(known.divergences)) {
    const pointer = `/divergences/${caseId}`;
    if (!ids.has(caseId)) {
      // When rewriting the list, an entry whose case is gone is simply dropped.
      if (needReasons) problems.push(new SpecError(path, "names no case in the spec", pointer, "unknown-case"));
      continue;
    }
    if (needReasons) problems.push(...missingReasons(path, [[`${pointer}/reason`, raw.reason]]));
    const marks = raw.fails.map(markFromJson);
    if (hasDuplicates(marks)) problems.push(new SpecError(path, "lists a mark twice", `${pointer}/fails`, "duplicate-mark"));
    entries.set(caseId, { reason: raw.reason, fails: fingerprint(marks) });
  }
  if (problems.length > 0) throw new InvalidSpec(problems);
  return { path, target, entries, exists: true };
}

export interface Judged {
  readonly result: CaseResult;
  readonly verdict: Verdict;
  readonly knownReason: string | null;
  /** Marks the case fails at that its entry does not list. */
  readonly newMarks: readonly Mark[];
  /** Marks its entry lists that the case no longer fails at. */
  readonly goneMarks: readonly Mark[];
}

export function isOk(item: Judged): boolean {
  return item.verdict === "passed" || item.verdict === "known" || item.verdict === "skipped";
}

/** What changed against the list, for people; null when nothing did. */
export function changes(newMarks: readonly Mark[], goneMarks: readonly Mark[]): string | null {
  const parts: string[] = [];
  if (newMarks.length > 0) parts.push(`fails where the list does not say: ${describe(newMarks)}`);
  if (goneMarks.length > 0) parts.push(`no longer fails where the list says: ${describe(goneMarks)}`);
  return parts.length > 0 ? parts.join("; ") : null;
}

/** A case's verdict from its status, its fingerprint and its entry, with the new and the gone marks. */
export function verdictFor(
  status: CaseResult["status"],
  observed: Fingerprint,
  entry: KnownEntry | null,
): [Verdict, Mark[], Mark[]] {
  // A case that could not finish says nothing about how it fails: its entry is neither met nor stale.
  if (status === "errored") return ["errored", [], []];
  if (entry === null) return [status, [], []];
  if (status !== "failed") return ["stale", [], fingerprint(entry.fails)];
  const found = fingerprint(observed);
  const listed = fingerprint(entry.fails);
  const added = difference(found, listed);
  const gone = difference(listed, found);
  if (added.length > 0) return ["failed", added, gone];
  return [gone.length > 0 ? "stale" : "known", [], gone];
}

export function judge(results: Iterable<CaseResult>, known: KnownDivergences): Judged[] {
  const judged: Judged[] = [];
  for (const result of results) {
    const entry = known.entries.get(result.case.id) ?? null;
    const [verdict, newMarks, goneMarks] = verdictFor(result.status, caseFingerprint(result), entry);
    judged.push({ result, verdict, knownReason: entry?.reason ?? null, newMarks, goneMarks });
  }
  return judged;
}

/** The entry --update-known writes for a failed case: the old reason while it still applies. */
export function updatedEntry(old: KnownEntry | null, observed: Fingerprint): KnownEntry {
  const fails = fingerprint(observed);
  if (old === null) return { reason: PLACEHOLDER, fails };
  // Failing in no place the old entry did not list: the reason still applies.
  if (difference(fails, old.fails).length === 0 || needsReason(old.reason)) return { reason: old.reason, fails };
  return { reason: RECHECK + old.reason, fails };
}

/** Rewrite the list from what was observed; returns how many entries need a reason. An errored case keeps its entry. */
export function rewriteKnown(known: KnownDivergences, judged: Iterable<Judged>, ran: ReadonlySet<string>): number {
  const items = [...judged];
  const unfinished = new Set(items.filter((item) => item.result.status === "errored").map((item) => item.result.case.id));
  const failed = new Map(items.filter((item) => item.result.status === "failed").map((item) => [item.result.case.id, caseFingerprint(item.result)]));
  const entries = updatedEntries(
    known.entries,
    failed.keys(),
    (caseId) => ran.has(caseId) && !unfinished.has(caseId),
    (caseId, old) => updatedEntry(old, failed.get(caseId)!),
  );
  const divergences = Object.fromEntries([...entries].map(([caseId, entry]) => [caseId, { reason: entry.reason, fails: written(entry.fails) }]));
  writeJsonAtomically(known.path, { $schema: SCHEMA_REF, target: known.target, divergences });
  known.entries = entries;
  return countNeedingReasons([...entries.values()].map((entry) => entry.reason));
}
