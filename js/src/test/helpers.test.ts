/** The test helpers themselves: scratch folders go when their test ends, not when the process exits. */

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";

import { scratchDir, scratchSpec } from "./helpers.js";

describe("scratch folders", () => {
  const shared = scratchDir();
  let made: string[] = [];

  test("a test's folders exist while it runs", () => {
    made = [scratchDir(), scratchSpec({})];
    assert.ok(made.every((folder) => existsSync(folder)));
  });

  test("and are gone once it has ended", () => {
    assert.equal(made.length, 2);
    assert.deepStrictEqual(made.filter((folder) => existsSync(folder)), []);
  });

  test("a folder made outside any test lasts for the file's tests", () => {
    assert.ok(existsSync(shared));
  });
});
