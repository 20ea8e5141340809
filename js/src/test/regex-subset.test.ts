/** The $regex subset (spec/README.md 2.3): the grammar's bounds, and RE2 matching that means what the spec's patterns always meant. */

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { tagOf } from "../codec.js";
import { readJson } from "../loading.js";
import { fullMatch, regexProblem } from "../regex-subset.js";
import { SPEC_ROOT } from "./helpers.js";

/** Every $regex pattern and every string of the spec's JSON files. */
function patternsAndStrings(): { patterns: Set<string>; strings: Set<string> } {
  const patterns = new Set<string>();
  const strings = new Set<string>();
  const folders = [SPEC_ROOT];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(path);
      else if (entry.name.endsWith(".json") && !entry.name.endsWith(".schema.json")) {
        const pending: unknown[] = [readJson(path)];
        while (pending.length > 0) {
          const value = pending.pop();
          if (typeof value === "string") strings.add(value);
          else if (Array.isArray(value)) pending.push(...(value as unknown[]));
          else if (typeof value === "object" && value !== null) {
            // A pattern that is not text is a lint vector's (selftest/lint.json), not a pattern.
            const pattern = tagOf(value) === "$regex" ? (value as { $regex: unknown }).$regex : null;
            if (typeof pattern === "string") patterns.add(pattern);
            pending.push(...(Object.values(value) as unknown[]));
          }
        }
      }
    }
  }
  return { patterns, strings };
}

describe("RE2 matching", () => {
  test("every pattern of the spec inside the subset means what it did with ECMAScript's su flags", () => {
    const { patterns, strings } = patternsAndStrings();
    const probes = [...strings].filter((text) => text.length < 200);
    probes.push("", "\n", "\r\n", "a\nb", "é", "😀", "٣", "_", "0".repeat(31) + "1.5e-3", "abc-x", "a".repeat(1000));
    let checked = 0;
    for (const pattern of patterns) {
      if (regexProblem(pattern) !== null) continue;
      const ecma = new RegExp(`^(?:${pattern})$`, "su");
      for (const probe of probes) assert.equal(fullMatch(pattern, probe), ecma.test(probe), `/${pattern}/ on ${JSON.stringify(probe)}`);
      checked += 1;
    }
    assert.ok(checked >= 20, `only ${checked} patterns`);
  });

  test("a backtracking pattern on a long run of a is linear", () => {
    assert.equal(fullMatch("(a+)+!", "a".repeat(30) + "b"), false);
    assert.equal(fullMatch("(a+)+!", "a".repeat(100_000)), false);
    assert.equal(fullMatch("(a+)+!", "a".repeat(30) + "!"), true);
  });

  test("the whole value, . across line terminators, ASCII classes, and no match for text that is not Unicode", () => {
    assert.equal(fullMatch("a", "ab"), false);
    assert.equal(fullMatch("a.b", "a\nb"), true);
    assert.equal(fullMatch(".", "😀"), true);
    assert.equal(fullMatch("\\d", "٣"), false);
    assert.equal(fullMatch("\\w", "é"), false);
    assert.equal(fullMatch(".*", "a\ud800"), false);
  });
});

describe("the grammar's bounds", () => {
  test("a count of 0 does not shorten a chain: the counts around it still multiply", () => {
    // The strictest reading of "along any chain of nested counted quantifiers".
    assert.match(regexProblem("((a{100}){0}){100}")!, /multiply to more than 1000/);
    assert.equal(regexProblem("((a{10}){0}){100}"), null);
    assert.equal(regexProblem("(a{1000}|b{1000})"), null);
  });

  test("positions count characters", () => {
    assert.equal(regexProblem("😀😀\\s"), "the escape \\s is outside the subset at position 3");
  });

  test("groups nest 32 deep without recursion past that", () => {
    assert.equal(regexProblem("(".repeat(32) + ")".repeat(32)), null);
    assert.equal(regexProblem("(".repeat(5000) + ")".repeat(5000)), "is longer than 1000 characters");
    assert.equal(regexProblem("(".repeat(400) + ")".repeat(400)), "groups nest at most 32 deep at position 33");
  });
});
