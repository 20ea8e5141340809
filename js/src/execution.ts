/** Executing one case on one target: steps, observations and the spec verdict. */

import { CodecError } from "./codec.js";
import type { Case, Spec, Step } from "./loading.js";
import { observeError } from "./observation.js";
import { firstFailure, notRun, observed, prepare, type CaseResult, type StepOutcome } from "./outcomes.js";
import { UnresolvedReference, type Observation } from "./references.js";
import { runScenario } from "./scenarios.js";
import type { Session, Target } from "./targets/base.js";

export { caseFingerprint, firstFailure, judgeStep, type CaseResult, type Status, type StepOutcome } from "./outcomes.js";

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
  if (testCase.graph !== null) return runScenario(testCase, target, spec);
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
    // whatever the saver threw is the observation
    observation = observeError(error);
  }
  return observed(step, observation, prepared.expected, results);
}
