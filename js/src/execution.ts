/** Executing one case on one target: steps, observations and the spec verdict. */

import { CodecError, decode } from "./codec.js";
import type { Case, Spec, Step } from "./loading.js";
import { fingerprint, stepMarks, type Fingerprint, type Mark } from "./fingerprints.js";
import { marks } from "./matching.js";
import { observeError } from "./observation.js";
import { UnresolvedReference, resolve, type Observation } from "./references.js";
import type { Target } from "./targets/base.js";

export type Status = "passed" | "failed" | "skipped";

export interface StepOutcome {
  readonly step: Step;
  readonly observation: Observation;
  readonly expected: unknown;
  /** null when the step met its expectation, else a sentence saying why not. */
  readonly problem: string | null;
  /** Where and how the step failed (spec/README.md 6.1); empty when it met its expectation. */
  readonly marks: readonly Mark[];
}

export interface CaseResult {
  readonly case: Case;
  readonly target: string;
  status: Status;
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

export async function runCase(testCase: Case, target: Target, spec: Pick<Spec, "fixtures">): Promise<CaseResult> {
  const missing = testCase.requires.filter((capability) => !target.capabilities.has(capability));
  if (missing.length > 0) {
    return {
      case: testCase,
      target: target.name,
      status: "skipped",
      reason: `target ${target.name} does not support ${missing.join(", ")}`,
      steps: [],
    };
  }
  const result: CaseResult = { case: testCase, target: target.name, status: "passed", reason: null, steps: [] };
  const results = new Map<string, Observation>();
  const session = await target.open();
  try {
    for (const step of testCase.steps) result.steps.push(await runStep(step, session, spec, results));
  } finally {
    await session.close();
  }
  if (firstFailure(result) !== null) result.status = "failed";
  return result;
}

async function runStep(
  step: Step,
  session: { call(op: string, args: Record<string, unknown>): Promise<unknown> },
  spec: Pick<Spec, "fixtures">,
  results: Map<string, Observation>,
): Promise<StepOutcome> {
  let args: Record<string, unknown>;
  let expected: unknown = null;
  try {
    args = decode(resolve(step.args, spec.fixtures, results)) as Record<string, unknown>;
    if (step.expect !== null && "result" in step.expect) expected = resolve(step.expect.result, spec.fixtures, results);
  } catch (error) {
    // A reference that leads nowhere, or to a result that cannot be passed back
    // (an $opaque value), leaves the step unrun: the target's earlier behaviour is to blame.
    if (!(error instanceof UnresolvedReference) && !(error instanceof CodecError)) throw error;
    const observation: Observation = { not_run: error.message };
    if (step.name !== null) results.set(step.name, observation);
    const problem = `cannot run: ${error.message}`;
    return { step, observation, expected: null, problem, marks: [{ step: step.index, at: "", kind: "not_run" }] };
  }
  let observation: Observation;
  try {
    observation = { result: await session.call(step.op, args) };
  } catch (error) {
    // whatever the saver threw is the observation
    observation = observeError(error);
  }
  if (step.name !== null) results.set(step.name, observation);
  const [problem, found] = judgeStep(step, observation, expected);
  return { step, observation, expected, problem, marks: found };
}
