/** What running a case gives: step outcomes, the case result, and the judgement of one step (spec 5, 6.1). */

import { decode } from "./codec.js";
import { fingerprint, stepMarks, type Fingerprint, type Mark } from "./fingerprints.js";
import type { Case, Step } from "./loading.js";
import { marks } from "./matching.js";
import { resolve, type Observation } from "./references.js";

/** errored: the case could not finish (its saver could not be made or closed, or a step took too long). */
export type Status = "passed" | "failed" | "skipped" | "errored";

export interface StepOutcome {
  readonly step: Step;
  readonly observation: Observation;
  readonly expected: unknown;
  /** null when the step met its expectation, else a sentence saying why not. */
  readonly problem: string | null;
  /** Where and how the step failed (spec/README.md 6.1); empty when it met its expectation. */
  readonly marks: readonly Mark[];
}

/** Runs one step's work (within the run's timeout) and resolves to its outcome. */
export type StepRunner = (step: Step, work: () => Promise<StepOutcome>) => Promise<StepOutcome>;

export interface CaseResult {
  readonly case: Case;
  readonly target: string;
  status: Status;
  /** Why the case was skipped or errored; null otherwise. */
  readonly reason: string | null;
  readonly steps: StepOutcome[];
}

export function firstFailure(result: CaseResult): StepOutcome | null {
  return result.steps.find((outcome) => outcome.problem !== null) ?? null;
}

/** The case's fingerprint: the marks of all its steps, as a set. */
export function caseFingerprint(result: CaseResult): Fingerprint {
  return fingerprint(result.steps.flatMap((outcome) => outcome.marks));
}

/** The problem with this observation (null when the step met its expectation) and its marks (6.1). */
export function judgeStep(step: Step, observation: Observation, expected: unknown): [string | null, Mark[]] {
  const expect = step.expect;
  const found = "result" in observation && expect !== null && "result" in expect ? marks(expected, observation.result) : [];
  const stepFound = stepMarks(step.index, observation, expect, found);
  if (stepFound.length === 0) return [null, []];
  if ("not_run" in observation) return [`cannot run: ${observation.not_run}`, stepFound];
  if ("error" in observation) {
    if (expect === null || "result" in expect) return [`raised ${observation.error} (${observation.detail})`, stepFound];
    return [`raised ${observation.error}, expected ${expect.error} (${observation.detail})`, stepFound];
  }
  const first = found[0];
  if (first === undefined) {
    const wanted = expect !== null && "error" in expect ? expect.error : "?";
    return [`returned normally, expected an error of category ${wanted}`, stepFound];
  }
  const more = found.length > 1 ? ` (and ${found.length - 1} more places)` : "";
  return [`result at ${first.pointer || "/"}: ${first.reason}${more}`, stepFound];
}

/** The step's decoded arguments and resolved expectation; throws UnresolvedReference or CodecError. */
export function prepare(
  step: Step,
  fixtures: Readonly<Record<string, unknown>>,
  results: ReadonlyMap<string, Observation>,
): { args: Record<string, unknown>; expected: unknown } {
  const args = decode(resolve(step.args, fixtures, results)) as Record<string, unknown>;
  const expected = step.expect !== null && "result" in step.expect ? resolve(step.expect.result, fixtures, results) : null;
  return { args, expected };
}

/**
 * A step left unrun: a reference that leads nowhere, or to a value that cannot be
 * passed back. The target's earlier behaviour is to blame, so the step fails with the reason.
 */
export function notRun(step: Step, reason: string, results: Map<string, Observation>): StepOutcome {
  const observation: Observation = { not_run: reason };
  if (step.name !== null) results.set(step.name, observation);
  return { step, observation, expected: null, problem: `cannot run: ${reason}`, marks: [{ step: step.index, at: "", kind: "not_run" }] };
}

/** A step that ran: its observation recorded under its name and judged against its expectation. */
export function observed(step: Step, observation: Observation, expected: unknown, results: Map<string, Observation>): StepOutcome {
  if (step.name !== null) results.set(step.name, observation);
  const [problem, found] = judgeStep(step, observation, expected);
  return { step, observation, expected, problem, marks: found };
}
