/** spec/selftest/cases on js-memory: the verdicts and first failing steps of verdicts.json, as every runner gives. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { firstFailure, runCase } from "../execution.js";
import { loadSpec, readJson } from "../loading.js";
import { jsMemory } from "../targets/memory.js";
import { SELFTEST, SPEC_ROOT } from "./helpers.js";

const spec = loadSpec(SPEC_ROOT, join(SELFTEST, "cases"));
const verdicts = (readJson(join(SELFTEST, "verdicts.json")) as { verdicts: Record<string, { verdict: string; step?: number }> })
  .verdicts;
const target = await jsMemory();

test("verdicts.json names every self-test case and no other", () => {
  assert.deepStrictEqual(Object.keys(verdicts).sort(), spec.cases.map((c) => c.id).sort());
});

for (const testCase of spec.cases) {
  test(testCase.id, async () => {
    const expected = verdicts[testCase.id];
    assert.ok(expected, `verdicts.json has no entry for ${testCase.id}`);
    const result = await runCase(testCase, target, spec);
    assert.equal(result.status, expected.verdict);
    assert.equal(firstFailure(result)?.step.index, expected.step);
    assert.equal(result.steps.length, testCase.steps.length, "every step runs, even after a failure");
  });
}
