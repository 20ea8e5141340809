/** Fingerprints of failed cases (spec/README.md 6.1): where and how each step fails, nothing else. */

import type { Expect } from "./loading.js";
import { compareCodePoints, type Mismatch } from "./matching.js";
import type { Observation } from "./references.js";

/** One place a step fails: its index, the pointer inside its result, and the kind of failure. */
export interface Mark {
  readonly step: number;
  readonly at: string;
  readonly kind: string;
}

/** A set of marks, held sorted (step, then at, then kind in code point order) and without duplicates. */
export type Fingerprint = readonly Mark[];

/** The order the spec writes marks in: step, then at, then kind, strings by code point. */
export function compareMarks(a: Mark, b: Mark): number {
  return Math.sign(a.step - b.step) || compareCodePoints(a.at, b.at) || compareCodePoints(a.kind, b.kind);
}

function key(mark: Mark): string {
  return JSON.stringify([mark.step, mark.at, mark.kind]);
}

export function markFromJson(raw: { step: number; at: string; kind: string }): Mark {
  return { step: raw.step, at: raw.at, kind: raw.kind };
}

export function markText(mark: Mark): string {
  return `step ${mark.step} at ${mark.at || "/"}: ${mark.kind}`;
}

/** The marks as a set: sorted, each once. */
export function fingerprint(marks: Iterable<Mark>): Mark[] {
  const unique = new Map<string, Mark>();
  for (const mark of marks) unique.set(key(mark), markFromJson(mark));
  return [...unique.values()].sort(compareMarks);
}

/** The marks of a that b does not hold, in order. */
export function difference(a: Fingerprint, b: Fingerprint): Mark[] {
  const held = new Set(b.map(key));
  return a.filter((mark) => !held.has(key(mark)));
}

/** Whether a fingerprint lists the same mark more than once (which a set cannot). */
export function hasDuplicates(marks: readonly Mark[]): boolean {
  return new Set(marks.map(key)).size !== marks.length;
}

/** A fingerprint as the spec writes it (6.1). */
export function written(found: Fingerprint): { step: number; at: string; kind: string }[] {
  return fingerprint(found).map((mark) => ({ step: mark.step, at: mark.at, kind: mark.kind }));
}

/** The marks of one step, from its observation, its expectation and the mismatches of its result. */
export function stepMarks(index: number, observation: Observation, expect: Expect | null, mismatches: readonly Mismatch[]): Mark[] {
  if ("not_run" in observation) return [{ step: index, at: "", kind: "not_run" }];
  if ("error" in observation) {
    const wanted = expect !== null && "error" in expect ? expect.error : null;
    if (wanted === "any" || wanted === observation.error) return [];
    return [{ step: index, at: "", kind: `raised:${observation.error}` }];
  }
  if (expect !== null && "error" in expect) return [{ step: index, at: "", kind: "returned" }];
  return mismatches.map((found) => ({ step: index, at: found.pointer, kind: found.kind }));
}

/** Marks for people: the first few, then how many more. */
export function describe(marks: Iterable<Mark>, limit = 6): string {
  const ordered = fingerprint(marks);
  const shown = ordered.slice(0, limit).map(markText).join("; ");
  return ordered.length > limit ? `${shown}; and ${ordered.length - limit} more` : shown;
}
