/** The shared self-test vectors every runner must agree with: verdicts.json on js-memory, and known.json. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { verdictFor } from "../divergences.js";
import { caseFingerprint, firstFailure, runCase } from "../execution.js";
import { fingerprint, markFromJson, written, type Mark } from "../fingerprints.js";
import { loadSpec, readJson } from "../loading.js";
import { jsMemory } from "../targets/memory.js";
import { SELFTEST, SPEC_ROOT } from "./helpers.js";

const spec = loadSpec(SPEC_ROOT, join(SELFTEST, "cases"));
const verdicts = (
  readJson(join(SELFTEST, "verdicts.json")) as { verdicts: Record<string, { verdict: string; step?: number; fails?: Mark[] }> }
).verdicts;
const target = await jsMemory();

interface KnownVector {
  description: string;
  status: "passed" | "failed" | "skipped";
  observed?: Mark[];
  listed: Mark[] | null;
  verdict: string;
  new?: Mark[];
  gone?: Mark[];
}

const asJson = (mark: Mark): Mark => ({ step: mark.step, at: mark.at, kind: mark.kind });
const known = (readJson(join(SELFTEST, "known.json")) as { vectors: KnownVector[] }).vectors;

describe("verdicts.json", () => {
  test("names every self-test case and no other", () => {
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
      assert.deepStrictEqual(result.status === "failed" ? written(caseFingerprint(result)) : undefined, expected.fails);
    });
  }
});

describe("known.json", () => {
  for (const vector of known) {
    test(vector.description, () => {
      const entry = vector.listed === null ? null : { reason: "a reason", fails: fingerprint(vector.listed.map(markFromJson)) };
      const observed = fingerprint((vector.observed ?? []).map(markFromJson));
      const [verdict, added, gone] = verdictFor(vector.status, observed, entry);
      assert.equal(verdict, vector.verdict);
      // In the written order, as the vectors list them.
      assert.deepStrictEqual(added.map(asJson), vector.new ?? []);
      assert.deepStrictEqual(gone.map(asJson), vector.gone ?? []);
    });
  }
});
