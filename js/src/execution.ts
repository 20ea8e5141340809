/** Executing one case on one target: steps, observations and the spec verdict. */

import { CodecError } from "./codec.js";
import { describeError } from "./errors.js";
import type { Case, Spec, Step } from "./loading.js";
import { RunnerFailure, observeError } from "./observation.js";
import { firstFailure, notRun, observed, prepare, type CaseResult, type StepOutcome, type StepRunner } from "./outcomes.js";
import { UnresolvedReference, type Observation } from "./references.js";
import { scenarioSteps } from "./scenarios.js";
import type { Session, Target } from "./targets/base.js";
import { DEFAULT_TIMEOUT_SECONDS, TimedOut, withinTimeout } from "./timeouts.js";

export { caseFingerprint, firstFailure, judgeStep, type CaseResult, type Status, type StepOutcome } from "./outcomes.js";

/** What ended a case before its verdict: its saver could not be made or closed, or a step took too long. */
class CaseErrored extends Error {}

/**
 * What work settles to. A timeout ends the case as errored, and so does a failure
 * when `failing` says what failed (the saver's making and closing); a step's own
 * failures are the runner's, and pass through.
 */
async function bounded<T>(work: () => Promise<T>, timeout: number, what: string, failing: string | null = null): Promise<T> {
  try {
    return await withinTimeout(work(), timeout, what);
  } catch (error) {
    if (error instanceof TimedOut) throw new CaseErrored(error.message);
    if (failing === null) throw error;
    throw new CaseErrored(`${failing} raised ${describeError(error)}`);
  }
}

/**
 * Run a case on a fresh session of the target. A saver that cannot be made or closed,
 * and a step (or the making or closing) that takes longer than `timeout` seconds,
 * make the case errored with the reason, keeping the steps run so far; whatever a
 * saver's operation throws is an observation.
 */
export async function runCase(
  testCase: Case,
  target: Target,
  spec: Pick<Spec, "fixtures">,
  timeout: number = DEFAULT_TIMEOUT_SECONDS,
): Promise<CaseResult> {
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
  const steps: StepOutcome[] = [];
  const runner: StepRunner = (step, work) => bounded(work, timeout, `step ${step.index}`);
  let reason: string | null = null;
  try {
    const session = await bounded(() => target.open(), timeout, "making the saver", "making the saver");
    try {
      if (testCase.graph !== null) await scenarioSteps(testCase, session, spec, steps, runner);
      else {
        const results = new Map<string, Observation>();
        for (const step of testCase.steps) steps.push(await runner(step, () => runStep(step, session, spec, results)));
      }
    } catch (error) {
      if (!(error instanceof CaseErrored)) throw error;
      reason = error.message;
    }
    // Closing is attempted after an errored step too; the first reason stands.
    try {
      await bounded(() => session.close(), timeout, "closing the saver", "closing the saver");
    } catch (error) {
      if (!(error instanceof CaseErrored)) throw error;
      reason ??= error.message;
    }
  } catch (error) {
    if (!(error instanceof CaseErrored)) throw error;
    reason = error.message;
  }
  const result: CaseResult = { case: testCase, target: target.name, status: "passed", reason, steps };
  if (reason !== null) result.status = "errored";
  else if (firstFailure(result) !== null) result.status = "failed";
  return result;
}

async function runStep(step: Step, session: Session, spec: Pick<Spec, "fixtures">, results: Map<string, Observation>): Promise<StepOutcome> {
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare(step, spec.fixtures, results);
  } catch (error) {
    // A reference that leads nowhere, or to a result that cannot be passed back
    // (an $opaque value), leaves the step unrun: the target's earlier behaviour is to blame.
    if (!(error instanceof UnresolvedReference) && !(error instanceof CodecError)) throw error;
    return notRun(step, error.message, results);
  }
  let observation: Observation;
  try {
    observation = { result: await session.call(step.op, prepared.args) };
  } catch (error) {
    // The runner's own failure is no observation: the case is errored (spec/README.md section 4).
    if (error instanceof RunnerFailure) throw new CaseErrored(`step ${step.index}: ${error.message}`);
    // whatever the saver threw is the observation
    observation = observeError(error);
  }
  return observed(step, observation, prepared.expected, results);
}
