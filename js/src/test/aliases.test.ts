/** spec/selftest/aliases.json and writes.json: the alias table and the order of stored writes (8.3). */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { Aliases, blankGenerated, canonicalJson } from "../aliases.js";
import type { Json } from "../codec.js";
import { orderedWrites } from "../snapshots.js";
import { SELFTEST } from "./helpers.js";

interface Vector {
  description: string;
  steps: { checkpoints: string[]; observation: unknown }[];
  aliased: unknown[];
}

const vectors = (JSON.parse(readFileSync(join(SELFTEST, "aliases.json"), "utf-8")) as { vectors: Vector[] }).vectors;

describe("selftest/aliases.json", () => {
  test("has vectors", () => assert.ok(vectors.length > 0));
  for (const vector of vectors) {
    test(vector.description, () => {
      assert.equal(vector.steps.length, vector.aliased.length, "one aliased observation per step");
      const table = new Aliases();
      const got = vector.steps.map((step) => {
        table.addCheckpoints(step.checkpoints);
        return table.apply(step.observation);
      });
      assert.deepStrictEqual(got, vector.aliased);
    });
  }
});

interface WritesVector {
  description: string;
  writes: Json[][];
  ranks: Record<string, number>;
  ordered: Json[][];
}

const writesVectors = (JSON.parse(readFileSync(join(SELFTEST, "writes.json"), "utf-8")) as { vectors: WritesVector[] }).vectors;

describe("selftest/writes.json", () => {
  test("has vectors", () => assert.ok(writesVectors.length > 0));
  for (const vector of writesVectors) {
    test(vector.description, () => {
      const got = orderedWrites(vector.writes.map((write) => [...write]), (raw) => vector.ranks[raw] ?? null);
      assert.deepStrictEqual(got, vector.ordered);
    });
  }
});

describe("aliases", () => {
  test("maps an alias back to its raw identifier, and knows no other", () => {
    const table = new Aliases();
    table.addCheckpoints(["1f000000-0000-6000-8000-000000000002", "1f000000-0000-6000-8000-000000000001"]);
    assert.equal(table.raw("checkpoint:1"), "1f000000-0000-6000-8000-000000000001");
    assert.equal(table.raw("checkpoint:3"), null);
    table.apply({ __interrupt__: [{ id: "0123456789abcdef0123456789abcdef", value: 1 }] });
    assert.equal(table.raw("interrupt:1"), "0123456789abcdef0123456789abcdef");
  });

  test("the all-zero task id keeps its text", () => {
    const table = new Aliases();
    const zero = "00000000-0000-0000-0000-000000000000";
    assert.deepStrictEqual(table.apply({ pending_writes: [[zero, "__resume__", "x"]] }), { pending_writes: [[zero, "__resume__", "x"]] });
  });

  test("the pending-write sort key blanks generated ids and escapes non-ASCII text", () => {
    assert.equal(
      canonicalJson(blankGenerated({ b: "1f000000-0000-6000-8000-000000000001", a: ["é", "0123456789ABCDEF0123456789abcdef"] })),
      '{"a":["\\u00e9",""],"b":""}',
    );
  });
});
