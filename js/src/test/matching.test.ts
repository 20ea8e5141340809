/** The matchers and every mismatch (marks) against spec/selftest/matching.json, plus pointers and the first mismatch. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { compareCodePoints, marks, match } from "../matching.js";
import { readJson } from "../loading.js";
import { SELFTEST } from "./helpers.js";

interface Vector {
  description: string;
  pattern: unknown;
  value: unknown;
  match: boolean;
  marks?: { at: string; kind: string }[];
  first?: string;
}

const vectors = (readJson(join(SELFTEST, "matching.json")) as { vectors: Vector[] }).vectors;

/** Marks as a sorted set of [at, kind], the way matching.json lists them. */
function markSet(found: readonly { at: string; kind: string }[]): [string, string][] {
  const unique = new Map(found.map((mark) => [JSON.stringify([mark.at, mark.kind]), [mark.at, mark.kind] as [string, string]]));
  return [...unique.values()].sort(([a, x], [b, y]) => compareCodePoints(a, b) || compareCodePoints(x, y));
}

describe("matching.json", () => {
  for (const vector of vectors) {
    test(vector.description, () => {
      const found = match(vector.pattern, vector.value);
      assert.equal(found === null, vector.match, found === null ? "matched" : `${found.pointer}: ${found.reason}`);
      const all = marks(vector.pattern, vector.value).map((m) => ({ at: m.pointer, kind: m.kind }));
      assert.deepStrictEqual(markSet(all), markSet(vector.marks ?? []));
      assert.equal(all.length, markSet(all).length, "no place is named twice");
      if (found !== null) assert.equal(found.pointer, vector.first ?? vector.marks?.[0]?.at);
    });
  }

  test("every vector with several marks names the first", () => {
    assert.deepStrictEqual(vectors.filter((v) => (v.marks?.length ?? 0) > 1 && v.first === undefined).map((v) => v.description), []);
  });

  test("every vector that does not match gives its marks", () => {
    for (const vector of vectors) assert.equal(vector.match, vector.marks === undefined, vector.description);
  });
});

describe("marks", () => {
  test("every place pattern and value part, members in code point order of their names", () => {
    const found = marks({ a: [1, { "b/c": 2 }], k: "x", gone: 1 }, { a: [1, { "b/c": 3 }, 4], k: 7, z: 2, y: 3 });
    assert.deepStrictEqual(
      found.map((m) => [m.pointer, m.kind]),
      [
        ["/a/1/b~1c", "value"],
        ["/a/2", "extra"],
        ["/gone", "missing"],
        ["/k", "type"],
        ["/y", "extra"],
        ["/z", "extra"],
      ],
    );
  });

  test("pointers walk through typed-value wrappers literally", () => {
    assert.deepStrictEqual(
      marks({ x: { $tuple: [1, 2] } }, { x: { $tuple: [1, 3, 4] } }).map((m) => [m.pointer, m.kind]),
      [["/x/$tuple/1", "value"], ["/x/$tuple/2", "extra"]],
    );
    assert.deepStrictEqual(
      marks({ x: { $object: { $a: 1, "~b": 2 } } }, { x: { $object: { $a: 2 } } }).map((m) => [m.pointer, m.kind]),
      [["/x/$object/$a", "value"], ["/x/$object/~0b", "missing"]],
    );
    assert.deepStrictEqual(marks({ $tuple: [1] }, [1]).map((m) => [m.pointer, m.kind]), [["", "type"]]);
  });

  test("a missing array item and a $partial member are missing, an $unordered mismatch names only the array", () => {
    assert.deepStrictEqual(marks([1, 2, 3], [1]).map((m) => [m.pointer, m.kind]), [["/1", "missing"], ["/2", "missing"]]);
    assert.deepStrictEqual(
      marks({ $partial: { a: 1, b: 2 } }, { a: 2, c: 3 }).map((m) => [m.pointer, m.kind]),
      [["/a", "value"], ["/b", "missing"]],
    );
    assert.deepStrictEqual(marks({ $unordered: [1, 2] }, [2, 3]).map((m) => [m.pointer, m.kind]), [["", "value"]]);
    assert.deepStrictEqual(marks({ $unordered: [1] }, "1").map((m) => [m.pointer, m.kind]), [["", "type"]]);
  });

  test("a typed value where the pattern has plain JSON is a type mark", () => {
    assert.deepStrictEqual(marks(1, { $int: "9007199254740993" }).map((m) => m.kind), ["type"]);
    assert.deepStrictEqual(marks({ $int: "1" }, { $int: "2" }).map((m) => m.kind), ["value"]);
  });
});

describe("match: the first of marks", () => {
  test("the first place pattern and value part", () => {
    assert.equal(match({ a: [1, { "b/c": 2 }] }, { a: [1, { "b/c": 3 }] })?.pointer, "/a/1/b~1c");
    assert.equal(match({ a: 1 }, { a: 1, z: 2, y: 3 })?.pointer, "/y");
    assert.equal(match({ a: 1, b: 2 }, { a: 1 })?.pointer, "/b");
    assert.equal(match([1, 2], [1])?.pointer, "/1");
    assert.equal(match({ x: { $tuple: [1] } }, { x: { $tuple: [2] } })?.pointer, "/x/$tuple/0");
    const first = match({ a: 1, b: 2 }, { a: 0, b: 0 });
    assert.deepStrictEqual(first, marks({ a: 1, b: 2 }, { a: 0, b: 0 })[0]);
    assert.equal(first.reason, "expected 1, observed 0");
  });

  test("$gt compares strings by code point", () => {
    assert.equal(match({ $gt: "\uffff" }, "\u{10000}"), null);
  });

  test("$object members are literal, even ones that read as tags", () => {
    assert.equal(match({ $object: { $any: 1 } }, { $object: { $any: 1 } }), null);
    assert.notEqual(match({ $object: { $any: 1 } }, { $object: { $any: 2 } }), null);
  });
});
