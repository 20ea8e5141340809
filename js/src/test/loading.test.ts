/** The loader: schema validation, the semantic lint, and how the CLI reports an invalid file. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";

import { loadSpec } from "../loading.js";
import { CLI, PUT_STEP, SPEC_ROOT, caseFile, problems, scratchSpec } from "./helpers.js";

function oneCase(steps: unknown[], extra: Record<string, unknown> = {}): unknown {
  return caseFile([{ id: "a-case", title: "a case", steps, ...extra }]);
}

describe("loadSpec", () => {
  test("the repository's spec loads", () => {
    const spec = loadSpec(SPEC_ROOT);
    assert.ok(spec.cases.length > 0);
    assert.ok(Object.hasOwn(spec.fixtures, "checkpoint-1"));
  });

  test("a file that is not JSON names the file, the line and the column", () => {
    const root = scratchSpec({ "bad.json": "{not json" });
    assert.deepStrictEqual(problems(root), [`${join(root, "cases", "bad.json")}: not JSON: expected a member name in double quotes at line 1 column 2 [json-reading]`]);
  });

  test("a schema error names the file and the pointer", () => {
    const root = scratchSpec({ "a.json": { $schema: "../schema/case-file.schema.json", operation: "put", cases: [] } });
    assert.deepStrictEqual(
      problems(root).map((p) => p.split(": ")[0]),
      [`${join(root, "cases", "a.json")}#`],
    );
  });

  test("a schema error inside a step points into the step", () => {
    const root = scratchSpec({ "a.json": oneCase([{ ...PUT_STEP, expect: { error: "bogus" } }]) });
    const [problem] = problems(root);
    assert.ok(problem!.startsWith(`${join(root, "cases", "a.json")}#/cases/0/steps/0/expect/error: `), problem);
  });

  test("an extra member is reported at its object", () => {
    const root = scratchSpec({ "a.json": oneCase([{ ...PUT_STEP, bogus: 1 }]) });
    const [problem] = problems(root);
    assert.ok(problem!.startsWith(`${join(root, "cases", "a.json")}#/cases/0/steps/0: `), problem);
    assert.match(problem!, /bogus/);
  });

  test("the lint reports every problem with its pointer", () => {
    const file = oneCase([
      { op: "fly", args: {} },
      { op: "copy_thread", args: { source_thread_id: "a", target_thread_id: "b" } },
      { op: "get_tuple", args: { config: { $ref: "nobody" } } },
      { op: "get_tuple", args: { config: { $any: true } } },
      { op: "put", as: "x", args: { ...PUT_STEP.args, metadata: { n: { $int: "5" } }, extra: 1 } },
      { op: "get", as: "x", args: { config: { $fixture: "no-such-fixture" } } },
      { op: "get", args: { config: { $unknown: 1 } }, expect: { result: { $regex: "(" } } },
    ]);
    const root = scratchSpec({ "a.json": file });
    const where = join(root, "cases", "a.json");
    const pointers = problems(root).map((p) => p.slice(where.length + 1, p.indexOf(": ")));
    assert.deepStrictEqual(pointers, [
      "/cases/0/steps/0/op",
      "/cases/0/steps/1/op",
      "/cases/0/steps/2/args/config/$ref",
      "/cases/0/steps/3/args/config/$any",
      "/cases/0/steps/4/args/extra",
      "/cases/0/steps/4/args/metadata/n/$int",
      "/cases/0/steps/5/args/config/$fixture",
      "/cases/0/steps/5/as",
      "/cases/0/steps/6/args/config/$unknown",
      "/cases/0/steps/6/expect/result/$regex",
    ]);
  });

  test("ids are unique across files", () => {
    const a = caseFile([{ id: "same", title: "a", steps: [PUT_STEP] }]);
    const root = scratchSpec({ "a.json": a, "b.json": a });
    const [problem] = problems(root);
    assert.ok(problem!.startsWith(`${join(root, "cases", "b.json")}#/cases/0/id: `), problem);
  });

  test("an integer literal outside ±(2^53−1) must be $int, a float literal of any size need not", () => {
    const text = `{"$schema": "../schema/case-file.schema.json", "operation": "put", "description": "d", "cases": [{"id": "a", "title": "t", "steps": [
      {"op": "put", "args": {"config": {"configurable": {"thread_id": "t1", "checkpoint_ns": ""}}, "checkpoint": {"$fixture": "checkpoint-1"},
       "metadata": {"big": 9007199254740993, "float": 1.7976931348623157e+308, "exp": 1e300, "ok": -9007199254740991, "s": "9007199254740993"}, "new_versions": {}}}]}]}`;
    const root = scratchSpec({ "a.json": text });
    assert.deepStrictEqual(
      problems(root).map((p) => p.split(": ")[0]),
      [`${join(root, "cases", "a.json")}#/cases/0/steps/0/args/metadata/big`],
    );
  });

  test("a fixture that refers to itself is reported", () => {
    const root = scratchSpec(
      { "a.json": oneCase([PUT_STEP]) },
      { "loop.json": { $schema: "../schema/fixture.schema.json", description: "d", value: { $fixture: "loop" } } },
    );
    assert.ok(problems(root).some((p) => p.startsWith(`${join(root, "fixtures", "loop.json")}#/value: fixture refers to itself`)));
  });
});

describe("the CLI on an invalid spec", () => {
  test("prints one error line per problem, no stack trace, and exits 2", () => {
    const file = oneCase([{ op: "fly", args: {} }, { op: "get", args: { config: { $ref: "x" } } }]);
    const root = scratchSpec({ "a.json": file });
    for (const command of [["lint"], ["run", "--target", "js-memory"]]) {
      const run = spawnSync(process.execPath, [CLI, ...command, "--spec", root], { encoding: "utf-8" });
      assert.equal(run.status, 2, run.stderr);
      const lines = run.stderr.trimEnd().split("\n");
      const where = join(root, "cases", "a.json");
      assert.deepStrictEqual(
        lines.map((line) => line.slice(0, line.indexOf(": ", `error: ${where}`.length))),
        [`error: ${where}#/cases/0/steps/0/op`, `error: ${where}#/cases/0/steps/1/args/config/$ref`],
      );
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      assert.equal(run.stdout, "");
    }
  });

  test("an unknown --case glob and an unknown target are one-line errors", () => {
    const a = spawnSync(process.execPath, [CLI, "run", "--target", "js-memory", "--case", "no-such-*"], { encoding: "utf-8" });
    assert.equal(a.status, 2);
    assert.match(a.stderr, /^error: --case: "no-such-\*" matches no case id/);
    const b = spawnSync(process.execPath, [CLI, "run", "--target", "nope"], { encoding: "utf-8" });
    assert.equal(b.status, 2);
    assert.match(b.stderr, /^error: --target: "nope" is not a built-in target/);
  });
});

describe("$regex outside the common subset (spec/README.md section 2.3)", () => {
  const cases: [string, string][] = [
    ["(?i)a", "only ( ) and (?: ) groups are in the subset at position 2"],
    ["(?<=a)b", "only ( ) and (?: ) groups are in the subset at position 2"],
    ["\\s+", "the escape \\s is outside the subset at position 1"],
    ["\\p{L}", "the escape \\p is outside the subset at position 1"],
    ["a{", "a repetition count is a decimal number without leading zeros at position 3"],
    ["a}", "} must be escaped to be literal here at position 2"],
    ["[a", "a character class is not closed at position 3"],
  ];
  for (const [pattern, message] of cases) {
    test(pattern, () => {
      const step = { ...PUT_STEP, expect: { result: { configurable: { $partial: { thread_id: { $regex: pattern } } } } } };
      const found = problems(scratchSpec({ "a.json": oneCase([step]) }));
      assert.equal(found.length, 1, found.join("\n"));
      assert.ok(found[0]!.endsWith(`thread_id/$regex: $regex is outside the subset of spec/README.md 2.3: ${message} [regex-grammar]`), found[0]);
    });
  }
});
