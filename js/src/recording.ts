/** `record`: write a new case's (or scenario's) expectations from what a target observes, for review. */

import { runCase, type CaseResult } from "./execution.js";
import { writeJsonAtomically } from "./files.js";
import { readJson, type Case, type Expect, type Spec } from "./loading.js";
import type { Observation } from "./references.js";
import type { Target } from "./targets/base.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./timeouts.js";

export function expectationFrom(observation: Observation): Expect | null {
  if ("result" in observation) return { result: observation.result };
  if ("error" in observation) return { error: observation.error };
  return null;
}

export interface Recorded {
  /** Steps written per file. */
  readonly written: Map<string, number>;
  /** Cases that did not run to their end: nothing of theirs is written. */
  readonly errored: CaseResult[];
}

type RawDocument = Record<string, { steps: Record<string, unknown>[] }[]>;

/** Fill in `expect` for the steps that lack one (or all of them, with overwrite). */
export async function record(
  spec: Spec,
  cases: readonly Case[],
  target: Target,
  overwrite: boolean,
  timeout: number = DEFAULT_TIMEOUT_SECONDS,
): Promise<Recorded> {
  const recorded: Recorded = { written: new Map(), errored: [] };
  const byFile = new Map<string, Case[]>();
  for (const testCase of cases) byFile.set(testCase.file, [...(byFile.get(testCase.file) ?? []), testCase]);
  for (const [path, fileCases] of byFile) {
    const document = readJson(path) as RawDocument;
    let count = 0;
    for (const testCase of fileCases) {
      const result = await runCase(testCase, target, spec, timeout);
      if (result.status === "errored") {
        recorded.errored.push(result);
        continue;
      }
      // The case's own pointer (/cases/N or /scenarios/N) finds it in its file.
      const [, member, position] = testCase.pointer.split("/");
      const raw = document[member!]![Number(position)]!;
      for (const outcome of result.steps) {
        const step = raw.steps[outcome.step.index]!;
        const expectation = expectationFrom(outcome.observation);
        if (expectation !== null && (overwrite || !("expect" in step))) {
          step.expect = expectation;
          count += 1;
        }
      }
    }
    if (count > 0) writeJsonAtomically(path, document);
    recorded.written.set(path, count);
  }
  return recorded;
}
