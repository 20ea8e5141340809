/** The matchers against spec/selftest/matching.json, plus mismatch pointers. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { match } from "../matching.js";
import { readJson } from "../loading.js";
import { SELFTEST } from "./helpers.js";

interface Vector {
  description: string;
  pattern: unknown;
  value: unknown;
  match: boolean;
}

const vectors = (readJson(join(SELFTEST, "matching.json")) as { vectors: Vector[] }).vectors;

describe("matching.json", () => {
  for (const vector of vectors) {
    test(vector.description, () => {
      const found = match(vector.pattern, vector.value);
      assert.equal(found === null, vector.match, found === null ? "matched" : `${found.pointer}: ${found.reason}`);
    });
  }
});

describe("mismatch pointers", () => {
  test("the first place pattern and value part", () => {
    assert.deepStrictEqual(match({ a: [1, { "b/c": 2 }] }, { a: [1, { "b/c": 3 }] })?.pointer, "/a/1/b~1c");
    assert.equal(match({ a: 1 }, { a: 1, z: 2, y: 3 })?.pointer, "/y");
    assert.equal(match({ a: 1, b: 2 }, { a: 1 })?.pointer, "/b");
    assert.equal(match([1, 2], [1])?.pointer, "");
  });

  test("$gt compares strings by code point", () => {
    assert.equal(match({ $gt: "\uffff" }, "\u{10000}"), null);
  });

  test("$object members are literal, even ones that read as tags", () => {
    assert.equal(match({ $object: { $any: 1 } }, { $object: { $any: 1 } }), null);
    assert.notEqual(match({ $object: { $any: 1 } }, { $object: { $any: 2 } }), null);
  });
});
