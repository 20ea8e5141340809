/**
 * The mechanics every strict list shares (spec/README.md 6.3): known divergences, parity causes,
 * interop findings. Each entry gives a one-sentence reason, and a placeholder is no reason; the
 * update rewrites a list from a run: it drops the entries the run could have observed but did not,
 * keeps those it could not see, and proposes an entry for each new one. As strict_lists.py.
 */

import { SpecError } from "./errors.js";
import { compareCodePoints } from "./matching.js";

// Unicode's White_Space characters: the same set in every language (Python's strip and ECMAScript's trim differ).
const WHITE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*";
const EMPTY = new RegExp(`^${WHITE}$`);
const PLACEHOLDER = new RegExp(`^${WHITE}(?:[Tt][Oo][Dd][Oo][^]*)?$`);

/** Whether a reason is a placeholder: only white space, or TODO (in any case) after any white space. */
export function needsReason(reason: string): boolean {
  return PLACEHOLDER.test(reason);
}

/** One problem for each [pointer, reason] whose reason is a placeholder. */
export function missingReasons(where: string, reasons: Iterable<readonly [string, string]>, what = "reason"): SpecError[] {
  return [...reasons]
    .filter(([, reason]) => needsReason(reason))
    .map(([pointer, reason]) => new SpecError(where, `needs a one-sentence ${what}, not ${EMPTY.test(reason) ? "an empty one" : "a TODO placeholder"}`, pointer, "reason-placeholder"));
}

export function countNeedingReasons(reasons: Iterable<string>): number {
  return [...reasons].filter(needsReason).length;
}

/**
 * The list the update writes, in code point order of its keys. Entries the run could not see are
 * kept as they are; of the others, only the observed ones remain, each as propose(key, its old entry
 * or null) makes it.
 */
export function updatedEntries<Entry>(
  listed: ReadonlyMap<string, Entry>,
  observed: Iterable<string>,
  couldSee: (key: string) => boolean,
  propose: (key: string, old: Entry | null) => Entry,
): Map<string, Entry> {
  const updated = new Map([...listed].filter(([key]) => !couldSee(key)));
  for (const key of observed) updated.set(key, propose(key, listed.get(key) ?? null));
  return new Map([...updated].sort(([a], [b]) => compareCodePoints(a, b)));
}
