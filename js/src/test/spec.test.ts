/** Every case of spec/cases on js-memory: passes, or fails exactly as its known-divergence entry says. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { knownPath, loadKnown } from "../divergences.js";
import { firstFailure, runCase } from "../execution.js";
import { loadSpec } from "../loading.js";
import { failureLines } from "../report.js";
import { jsMemory } from "../targets/memory.js";
import { SPEC_ROOT } from "./helpers.js";

const spec = loadSpec(SPEC_ROOT);
const target = await jsMemory();
const known = loadKnown(knownPath(spec, target.name), target.name, spec);

test("the js-memory known-divergence list is valid and names only cases of the spec", () => {
  assert.equal(known.exists, true);
  for (const caseId of known.reasons.keys()) assert.ok(spec.cases.some((c) => c.id === caseId), caseId);
});

for (const testCase of spec.cases) {
  test(testCase.id, async (t) => {
    const result = await runCase(testCase, target, spec);
    const reason = known.reasons.get(testCase.id);
    if (result.status === "skipped") {
      assert.equal(reason, undefined, `listed as a known divergence but skipped: ${result.reason}`);
      t.skip(result.reason ?? "unsupported");
      return;
    }
    if (reason !== undefined) {
      assert.equal(result.status, "failed", `listed as a known divergence (${reason}) but passed; drop the entry`);
      assert.ok(firstFailure(result) !== null);
      return;
    }
    const lines =
      result.status === "failed" ? failureLines({ result, verdict: "failed", knownReason: null }).join("\n") : "";
    assert.equal(result.status, "passed", lines);
  });
}
