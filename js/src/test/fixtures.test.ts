/** Fixtures that use fixtures (spec/README.md 2.2): measured once by the lint, expanded once at run time. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { MAX_FIXTURE_VALUES, measureFixtures } from "../fixtures.js";
import { UnresolvedReference, resolve } from "../references.js";

const none = new Map();
const name = (i: number): string => `f${String(i).padStart(5, "0")}`;

function chain(length: number): Record<string, unknown> {
  const fixtures: Record<string, unknown> = {};
  for (let i = 0; i < length - 1; i += 1) fixtures[name(i)] = { $fixture: name(i + 1) };
  fixtures[name(length - 1)] = "end";
  return fixtures;
}

function doubling(length: number): Record<string, unknown> {
  const fixtures: Record<string, unknown> = { [name(length - 1)]: "x" };
  for (let i = 0; i < length - 1; i += 1) fixtures[name(i)] = [{ $fixture: name(i + 1) }, { $fixture: name(i + 1) }];
  return fixtures;
}

describe("the lint's walk", () => {
  test("a chain of 50,000 fixtures, without recursion", () => {
    const { problems, measured } = measureFixtures(chain(50_000));
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(measured.get(name(0)), { depth: 0, count: 1 });
  });

  test("fixtures that each use the next twice are counted, not expanded", () => {
    const { problems, measured } = measureFixtures(doubling(1000));
    assert.equal(measured.get(name(0))!.count, MAX_FIXTURE_VALUES + 1);
    assert.equal(problems.length, 1000 - 16);
  });

  test("a cycle is reported at the fixture the walk reaches a second time, uses followed in document order", () => {
    const fixtures = { a: [{ $fixture: "b" }, { $fixture: "c" }], b: [{ $fixture: "c" }], c: [{ $fixture: "b" }] };
    assert.deepStrictEqual(measureFixtures(fixtures).problems, [["b", "fixture-cycle", "fixture refers to itself: b -> c -> b"]]);
  });
});

describe("expansion at run time", () => {
  test("a chain of 20,000 fixtures resolves without overflowing the stack", () => {
    assert.equal(resolve({ $fixture: name(0) }, chain(20_000), none), "end");
  });

  test("each fixture is expanded once and shared", () => {
    const fixtures = doubling(16);
    const first = resolve({ $fixture: name(0) }, fixtures, none);
    assert.equal((resolve([{ $fixture: name(0) }], fixtures, none) as unknown[])[0], first);
  });

  test("fixtures that did not pass the lint fail the reference, not the run", () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ a: { x: { $fixture: "b" } }, b: [{ $fixture: "a" }] }, "a", /^fixture refers to itself: a -> b -> a$/],
      [doubling(40), name(0), /expanded, is beyond 100 deep or 100000 values/],
      [{ a: JSON.parse("[".repeat(5000) + "]".repeat(5000)) as unknown }, "a", /expanded, is beyond 100 deep/],
    ];
    for (const [fixtures, first, message] of cases) {
      assert.throws(() => resolve({ $fixture: first }, fixtures, none), (error: unknown) => error instanceof UnresolvedReference && message.test(error.message));
    }
  });
});
