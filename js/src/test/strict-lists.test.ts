/** The update every strict list shares (strict-lists.ts); the reasons are pinned by reasons.json. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { countNeedingReasons, updatedEntries } from "../strict-lists.js";

test("the update keeps what the run could not see and rewrites the rest, in code point order", () => {
  const listed = new Map([
    ["unseen", "kept"],
    ["stale", "dropped"],
    ["again", "old reason"],
  ]);
  const found = updatedEntries(
    listed,
    ["new", "again"],
    (key) => key !== "unseen",
    (key, old) => (old === null ? `TODO ${key}` : `${old} (checked)`),
  );
  assert.deepStrictEqual([...found], [
    ["again", "old reason (checked)"],
    ["new", "TODO new"],
    ["unseen", "kept"],
  ]);
  const ordered = updatedEntries(new Map<string, string>(), ["\uff41", "\u{1f600}", "b", "B"], () => true, (key) => key);
  assert.deepStrictEqual([...ordered.keys()], ["B", "b", "\uff41", "\u{1f600}"]);
});

test("counting the entries that need a reason", () => {
  assert.equal(countNeedingReasons(["A reason.", "TODO: why", "", "todo"]), 3);
});
