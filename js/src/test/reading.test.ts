/**
 * Spec files that break the reading rules and bounds (spec/README.md 1.1, 2.1-2.3, 8.1), through
 * `lint` and `run`: one line naming the file and the pointer (or line and column), exit 2.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { CLI, PUT_STEP, SPEC_ROOT, caseFile, scratchDir, scratchSpec, withLevel } from "./helpers.js";

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly lines: string[];
}

function cli(...args: string[]): Ran {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf-8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, lines: run.stderr.split("\n").filter((line) => line !== "") };
}

const lint = (root: string): Ran => cli("lint", "--spec", root);
const run = (root: string): Ran => cli("run", "--target", "js-memory", "--spec", root);

/** A copy of the repository's spec, which lint reads file by file. */
function wholeSpec(): string {
  const root = join(scratchDir(), "spec");
  cpSync(SPEC_ROOT, root, { recursive: true });
  return root;
}

/** The one error line of `command`, which exits 2 having printed nothing else. */
function oneError(ran: Ran): string {
  assert.equal(ran.status, 2, ran.lines.join("\n"));
  assert.equal(ran.stdout, "");
  assert.equal(ran.lines.length, 1, ran.lines.join("\n"));
  // One line of text: no stack trace, and nothing of the file's raw bytes (controls, separators).
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(ran.lines[0]!, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  return ran.lines[0]!;
}

const NESTED = "[".repeat(2000) + "]".repeat(2000);

describe("a case file that breaks a reading rule stops lint and run", () => {
  const cases: [string, string, string, string][] = [
    ["a byte order mark", "\ufeff{}", "", "begins with a byte order mark"],
    ["2000-deep arrays", NESTED, "#" + "/0".repeat(100), "arrays and objects nest more than 100 deep"],
    ["a lone surrogate", '{"cases": ["\\ud800"]}', "#/cases/0", "string holds a lone surrogate"],
    ["a lone surrogate in a member name", '{"cases": [{"\\udc00": 1}]}', "#/cases/0", "a member name holds a lone surrogate"],
    ["an integer literal of 320 digits", `{"cases": [1${"0".repeat(319)}]}`, "#/cases/0", "integer literal outside"],
    ["an integer literal of 5000 digits", `{"cases": [1${"0".repeat(4999)}]}`, "#/cases/0", "integer literal outside"],
    ["a float beyond a double", '{"cases": [1e999]}', "#/cases/0", 'number is not a finite double; in a value write {"$float": "Infinity"}'],
    ["NaN", '{"cases": [NaN]}', "", "not JSON: expected a value at line 1 column 12"],
    ["a NUL byte", '{"cases": [\n\u0000]}', "", "not JSON: expected a value at line 2 column 1"],
    ["a raw line break in a string", '{"cases": ["a\nb"]}', "", "not JSON: control character in a string at line 1 column 14"],
    ["a trailing comma after a wide character", '{"cases": ["😀",]}', "", "not JSON: expected a value at line 1 column 16"],
  ];
  for (const [description, text, where, message] of cases) {
    test(description, () => {
      const root = scratchSpec({ "bad.json": text });
      const prefix = `error: ${join(root, "cases", "bad.json")}${where}: ${message}`;
      assert.ok(oneError(lint(root)).startsWith(prefix), prefix);
      assert.ok(oneError(run(root)).startsWith(prefix), prefix);
    });
  }

  test("bytes that are not UTF-8 are placed by line and column", () => {
    const root = scratchSpec({});
    writeFileSync(join(root, "cases", "bad.json"), Buffer.from([0x7b, 0x0a, 0x20, 0x22, 0xc3, 0xa9, 0xff, 0x22, 0x7d]));
    const line = oneError(lint(root));
    assert.equal(line, `error: ${join(root, "cases", "bad.json")}: is not UTF-8 text: an invalid byte sequence at line 2 column 4 [json-reading]`);
  });

  test("a member name with control characters is escaped in the pointer", () => {
    const step = { ...PUT_STEP, args: { ...PUT_STEP.args, metadata: { "a\nb": "NUMBER" } } };
    const root = scratchSpec({ "a.json": JSON.stringify(caseFile([{ id: "c", title: "t", steps: [step] }])).replace('"NUMBER"', "1e400") });
    assert.ok(oneError(lint(root)).startsWith(`error: ${join(root, "cases", "a.json")}#/cases/0/steps/0/args/metadata/a\\u000Ab: number is not`));
  });
});

describe("every kind of spec file is read under the rules", () => {
  test("a fixture, a known-divergence list and a schema", () => {
    for (const [folder, name] of [["fixtures", "deep.json"], ["known-divergences", "js-memory.json"], ["schema", "case-file.schema.json"]] as const) {
      const root = scratchSpec({ "a.json": caseFile([{ id: "c", title: "t", steps: [PUT_STEP] }]) });
      const path = join(root, folder, name);
      writeFileSync(path, NESTED);
      const prefix = `error: ${path}#${"/0".repeat(100)}: arrays and objects nest more than 100 deep`;
      assert.ok(oneError(lint(root)).startsWith(prefix), folder);
      assert.ok(oneError(run(root)).startsWith(prefix), folder);
    }
  });

  for (const [description, relative] of [
    ["a self-test file", ["selftest", "codec.json"]],
    ["the parity registry", ["parity", "registry.json"]],
    ["the interop findings", ["parity", "interop.json"]],
  ] as const) {
    test(description, () => {
      const root = wholeSpec();
      const path = join(root, ...relative);
      writeFileSync(path, "\ufeff" + readFileSync(path, "utf-8"));
      assert.equal(oneError(lint(root)), `error: ${path}: begins with a byte order mark (spec/README.md 1.1) [json-reading]`);
    });
  }
});

describe("lint reads every file of the spec folder", () => {
  test("the repository's spec is valid, every file counted", () => {
    const ran = lint(SPEC_ROOT);
    assert.equal(ran.status, 0, ran.lines.join("\n"));
    assert.match(ran.stdout, /^\d+ files are valid: \d+ cases, \d+ scenarios, \d+ fixtures, \d+ known-divergence files, \d+ parity causes, \d+ interop findings and \d+ self-test files\n$/);
  });

  test("a JSON file in no place the spec names is rejected", () => {
    const root = wholeSpec();
    mkdirSync(join(root, "cases", "more"));
    writeFileSync(join(root, "cases", "more", "extra.json"), "{}");
    writeFileSync(join(root, "notes.json"), "{}");
    writeFileSync(join(root, "schema", "notes.json"), "{}");
    const ran = lint(root);
    assert.equal(ran.status, 2);
    assert.deepStrictEqual(
      ran.lines,
      [join(root, "cases", "more", "extra.json"), join(root, "notes.json"), join(root, "schema", "notes.json")].map(
        (path) => `error: ${path}: is not a file of any kind the spec defines (spec/README.md 1.1) [stray-file]`,
      ),
    );
  });

  test("a schema file must be a JSON Schema 2020-12, used or not", () => {
    const root = wholeSpec();
    const path = join(root, "schema", "unused.schema.json");
    writeFileSync(path, JSON.stringify({ type: "no-such-type" }));
    const line = oneError(lint(root));
    assert.ok(line.startsWith(`error: ${path}#/type: is not a JSON Schema 2020-12: `), line);
  });

  test("interop findings are validated by their schema", () => {
    const root = wholeSpec();
    const path = join(root, "parity", "interop.json");
    const document = JSON.parse(readFileSync(path, "utf-8")) as { findings: Record<string, string> };
    document.findings["mysql python->typescript get changed"] = "A reason.";
    writeFileSync(path, JSON.stringify(document));
    const line = oneError(lint(root));
    assert.ok(line.startsWith(`error: ${path}#/findings: `) && line.includes('"mysql python->typescript get changed"'), line);
  });

  test("an interop finding needs a reason", () => {
    const root = wholeSpec();
    const path = join(root, "parity", "interop.json");
    const document = JSON.parse(readFileSync(path, "utf-8")) as { findings: Record<string, string> };
    document.findings["sqlite python->typescript get changed"] = "TODO: say why.";
    writeFileSync(path, JSON.stringify(document));
    assert.equal(oneError(lint(root)), `error: ${path}#/findings/sqlite python->typescript get changed: needs a one-sentence reason, not a TODO placeholder [reason-placeholder]`);
  });

  test("the parity registry: its schema, explanations, rule families and rules that explain something", () => {
    const root = wholeSpec();
    const path = join(root, "parity", "registry.json");
    const original = readFileSync(path, "utf-8");
    const document = JSON.parse(original) as {
      causes: Record<string, { explanation: string; families: string[]; differences: Record<string, unknown>[] }>;
    };
    const [id, cause] = Object.entries(document.causes)[0]!;
    cause.explanation = "TODO: explain";
    cause.differences[0]!.families = ["no-such-family"];
    cause.differences.push({ at: "/x", first: "absent", second: ["absent"] });
    writeFileSync(path, JSON.stringify(document));
    const ran = lint(root);
    assert.equal(ran.status, 2);
    assert.deepStrictEqual(ran.lines, [
      `error: ${path}#/causes/${id}/explanation: needs a one-sentence explanation, not a TODO placeholder [reason-placeholder]`,
      `error: ${path}#/causes/${id}/differences/0/families: names families the cause does not (no-such-family) [family-outside]`,
      `error: ${path}#/causes/${id}/differences/${cause.differences.length - 1}: says both sides are absent, which is no difference [no-difference]`,
    ]);
    writeFileSync(path, original.replace('"causes"', '"cause"'));
    const line = oneError(lint(root));
    assert.ok(line.startsWith(`error: ${path}#: `), line);
  });
});

describe("bounds of values (spec/README.md 2.1-2.3)", () => {
  const stepWith = (expect: unknown): unknown => ({ ...PUT_STEP, expect: { result: { configurable: { $partial: { thread_id: expect } } } } });

  test("$int text beyond 1000 digits", () => {
    const root = scratchSpec({ "a.json": caseFile([{ id: "c", title: "t", steps: [stepWith({ $int: "1".repeat(1001) })] }]) });
    const line = oneError(lint(root));
    assert.equal(line, `error: ${join(root, "cases", "a.json")}#/cases/0/steps/0/expect/result/configurable/$partial/thread_id/$int: $int takes decimal text of at most 1000 digits [int-bounds]`);
  });

  test("a backtracking pattern does not hang a run", () => {
    const step = {
      ...PUT_STEP,
      args: { ...PUT_STEP.args, config: { configurable: { thread_id: "a".repeat(3000), checkpoint_ns: "" } } },
      expect: { result: { configurable: { $partial: { thread_id: { $regex: "(a+)+!" } } } } },
    };
    const ran = run(scratchSpec({ "a.json": caseFile([{ id: "c", title: "t", steps: [step] }]) }));
    assert.equal(ran.status, 1, ran.lines.join("\n"));
    assert.ok(ran.stdout.includes("does not match /(a+)+!/"), ran.stdout);
  });
});

describe("fixtures that use fixtures (spec/README.md 2.2)", () => {
  function withFixtures(fixtures: Record<string, unknown>): string {
    const files = Object.fromEntries(
      Object.entries(fixtures).map(([name, value]) => [`${name}.json`, { $schema: "../schema/fixture.schema.json", description: "d", value }]),
    );
    return scratchSpec({ "a.json": caseFile([{ id: "c", title: "t", steps: [PUT_STEP] }]) }, files);
  }

  test("a chain of 1000 fixtures is fine", () => {
    const chain: Record<string, unknown> = {};
    for (let i = 0; i < 999; i += 1) chain[`z${String(i).padStart(4, "0")}`] = { $fixture: `z${String(i + 1).padStart(4, "0")}` };
    chain.z0999 = "end";
    const ran = lint(withFixtures(chain));
    assert.equal(ran.status, 0, ran.lines.join("\n"));
  });

  test("fixtures that double at each step are rejected, each measured once", () => {
    const doubling: Record<string, unknown> = { z24: "x" };
    for (let i = 0; i < 24; i += 1) {
      const next = { $fixture: `z${String(i + 1).padStart(2, "0")}` };
      doubling[`z${String(i).padStart(2, "0")}`] = [next, next];
    }
    const root = withFixtures(doubling);
    for (const ran of [lint(root), run(root)]) {
      assert.equal(ran.status, 2);
      assert.equal(ran.stdout, "");
      assert.deepStrictEqual(
        ran.lines,
        Array.from({ length: 9 }, (_, i) => `error: ${join(root, "fixtures", `z0${i}.json`)}#/value: expanded, the fixture holds more than 100000 values [fixture-bounds]`),
      );
    }
  });
});

describe("graphs of named graphs (spec/README.md 8.1)", () => {
  function nestedGraphs(levels: number, width: number): Record<string, unknown> {
    const graphs: Record<string, unknown> = {};
    for (let level = 0; level < levels; level += 1) {
      let nodes: Record<string, unknown> = {};
      if (level < levels - 1) for (let i = 0; i < width; i += 1) nodes[`n${i}`] = { subgraph: `g${level + 1}` };
      else nodes = { leaf: { actions: [{ write: { x: 1 } }] } };
      graphs[`g${level}`] = { channels: { x: "last" }, nodes, edges: Object.keys(nodes).map((name) => ["__start__", name]) };
    }
    return graphs;
  }

  for (const [levels, width, message] of [
    [10, 1, "subgraphs nest more than 8 levels deep"],
    [8, 8, "the graph, its subgraphs expanded, has more than 200 nodes"],
    [5000, 1, "subgraphs nest more than 8 levels deep"],
  ] as const) {
    test(`${levels} levels of ${width}: ${message}`, () => {
      const root = scratchSpec({});
      mkdirSync(join(root, "scenarios"));
      const file = join(root, "scenarios", "s.json");
      const scenario = withLevel({
        id: "s1",
        title: "t",
        graph: "g0",
        steps: [{ op: "invoke", args: { thread: "t1", input: { x: 1 } } }, { op: "checkpoints", args: {} }],
      });
      const graphs = nestedGraphs(levels, width);
      writeFileSync(file, JSON.stringify({ $schema: "../schema/scenario-file.schema.json", topic: "t", description: "d", graphs, scenarios: [scenario] }));
      const ran = lint(root);
      assert.equal(ran.status, 2);
      // The scenario's problem comes last, after one for each named graph that breaks a bound: none is lost.
      assert.equal(ran.lines.at(-1), `error: ${file}#/scenarios/0/graph: ${message} [graph-bounds]`);
      if (levels === 5000) assert.equal(ran.lines.length, 4992);
    });
  }
});
