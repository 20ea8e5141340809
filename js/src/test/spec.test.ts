/** Every case of spec/cases on js-memory: passes, or fails exactly where its known-divergence entry says. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { judge, knownPath, loadKnown } from "../divergences.js";
import { runCase } from "../execution.js";
import { loadSpec } from "../loading.js";
import { failureLines } from "../report.js";
import { jsMemory } from "../targets/memory.js";
import { SPEC_ROOT } from "./helpers.js";

const spec = loadSpec(SPEC_ROOT);
const target = await jsMemory();
const known = loadKnown(knownPath(spec, target.name), target.name, spec);

test("the js-memory known-divergence list is valid and names only cases of the spec", () => {
  assert.equal(known.exists, true);
  for (const caseId of known.entries.keys()) assert.ok(spec.cases.some((c) => c.id === caseId), caseId);
});

for (const testCase of spec.cases) {
  test(testCase.id, async (t) => {
    const result = await runCase(testCase, target, spec);
    const [item] = judge([result], known);
    assert.ok(item !== undefined);
    if (item.verdict === "skipped") {
      t.skip(result.reason ?? "unsupported");
      return;
    }
    if (item.verdict !== "passed" && item.verdict !== "known") assert.fail(failureLines(item).join("\n"));
  });
}
