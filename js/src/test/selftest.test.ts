/** The shared self-test vectors every runner must agree with: verdicts.json on js-memory, known.json, reading.json, values.json, references.json, globs.json and more. */

import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, sep } from "node:path";
import { describe, test } from "node:test";

import * as langgraph from "@langchain/langgraph";

import { verdictFor, type Judged, type Verdict } from "../divergences.js";
import { parseLevel, type Level } from "../levels.js";
import { closingLines, runPasses } from "../report.js";
import { caseFingerprint, firstFailure, runCase } from "../execution.js";
import { fingerprint, markFromJson, written, type Mark } from "../fingerprints.js";
import { CodecError, decode } from "../codec.js";
import { SpecError } from "../errors.js";
import { LINT_RULES } from "../lint-rules.js";
import { GlobError, compileGlob } from "../globs.js";
import { InvalidSpec, Lint, expectationProblems, fixtureProblems, loadSpec, readJson } from "../loading.js";
import { lintSpec } from "../spec-lint.js";
import { decodeUtf8, parseJson } from "../spec-json.js";
import { NotImplementedOperation, errorCategory } from "../observation.js";
import { missingReasons } from "../strict-lists.js";
import { UnresolvedReference, resolve, type Observation } from "../references.js";
import { jsMemory } from "../targets/memory.js";
import { SELFTEST, SPEC_ROOT } from "./helpers.js";

const spec = loadSpec(SPEC_ROOT, join(SELFTEST, "cases"));
const verdicts = (
  readJson(join(SELFTEST, "verdicts.json")) as { verdicts: Record<string, { verdict: string; step?: number; fails?: Mark[] }> }
).verdicts;
const target = await jsMemory();

interface KnownVector {
  description: string;
  status: "passed" | "failed" | "skipped";
  observed?: Mark[];
  listed: Mark[] | null;
  verdict: string;
  new?: Mark[];
  gone?: Mark[];
}

const asJson = (mark: Mark): Mark => ({ step: mark.step, at: mark.at, kind: mark.kind });
const known = (readJson(join(SELFTEST, "known.json")) as { vectors: KnownVector[] }).vectors;

describe("verdicts.json", () => {
  test("names every self-test case and no other", () => {
    assert.deepStrictEqual(Object.keys(verdicts).sort(), spec.cases.map((c) => c.id).sort());
  });

  for (const testCase of spec.cases) {
    test(testCase.id, async () => {
      const expected = verdicts[testCase.id];
      assert.ok(expected, `verdicts.json has no entry for ${testCase.id}`);
      const result = await runCase(testCase, target, spec);
      assert.equal(result.status, expected.verdict);
      assert.equal(firstFailure(result)?.step.index, expected.step);
      assert.equal(result.steps.length, testCase.steps.length, "every step runs, even after a failure");
      assert.deepStrictEqual(result.status === "failed" ? written(caseFingerprint(result)) : undefined, expected.fails);
    });
  }
});

const reasons = (readJson(join(SELFTEST, "reasons.json")) as { vectors: { description: string; reason: string; placeholder: "empty" | "todo" | null }[] })
  .vectors;

interface ArgumentsVector {
  description: string;
  step: { op: string; args: Record<string, unknown> };
  requires?: string[];
  problems: { at: string; message: string }[];
}

describe("arguments.json", () => {
  for (const vector of (readJson(join(SELFTEST, "arguments.json")) as { vectors: ArgumentsVector[] }).vectors) {
    test(vector.description, () => {
      const lint = new Lint({});
      lint.caseObject({ id: "v", title: "t", level: "contract", requires: vector.requires ?? [], steps: [vector.step] }, "arguments", "");
      assert.deepStrictEqual(lint.problems.map((problem) => problem.pointer), vector.problems.map((item) => `/steps/0${item.at}`));
      lint.problems.forEach((problem, index) => assert.ok(problem.problem.startsWith(vector.problems[index]!.message), problem.problem));
    });
  }
});

describe("reasons.json", () => {
  for (const vector of reasons) {
    test(vector.description, () => {
      const found = missingReasons("list.json", [["/entry", vector.reason]]).map((problem) => problem.message);
      const placeholder = vector.placeholder === null ? null : vector.placeholder === "empty" ? "an empty one" : "a TODO placeholder";
      assert.deepStrictEqual(found, placeholder === null ? [] : [`list.json#/entry: needs a one-sentence reason, not ${placeholder} [reason-placeholder]`]);
    });
  }
});

describe("known.json", () => {
  for (const vector of known) {
    test(vector.description, () => {
      const entry = vector.listed === null ? null : { reason: "a reason", fails: fingerprint(vector.listed.map(markFromJson)) };
      const observed = fingerprint((vector.observed ?? []).map(markFromJson));
      const [verdict, added, gone] = verdictFor(vector.status, observed, entry);
      assert.equal(verdict, vector.verdict);
      // In the written order, as the vectors list them.
      assert.deepStrictEqual(added.map(asJson), vector.new ?? []);
      assert.deepStrictEqual(gone.map(asJson), vector.gone ?? []);
    });
  }
});

interface ReadingVector {
  description: string;
  text?: string;
  base64?: string;
  valid: boolean;
  pointer?: string;
  line?: number;
  column?: number;
}

const reading = (readJson(join(SELFTEST, "reading.json")) as { texts: ReadingVector[] }).texts;

describe("reading.json", () => {
  for (const vector of reading) {
    test(vector.description, () => {
      const bytes = vector.base64 !== undefined ? Buffer.from(vector.base64, "base64") : new TextEncoder().encode(vector.text);
      let problem: SpecError | null = null;
      try {
        parseJson(decodeUtf8(bytes, "file"), "file");
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        problem = error;
      }
      assert.equal(problem === null, vector.valid, problem?.message);
      if (vector.pointer !== undefined) assert.equal(problem?.pointer, vector.pointer);
      if (vector.line !== undefined) assert.ok(problem?.message.includes(`at line ${vector.line} column ${vector.column}`), problem?.message);
    });
  }
});

interface ValuesFile {
  values: { description: string; value: unknown; valid: boolean; names?: string[]; pointer?: string }[];
  fixtures: { description: string; fixtures: Record<string, unknown>; invalid: string[] }[];
}

const values = readJson(join(SELFTEST, "values.json")) as ValuesFile;

describe("values.json", () => {
  for (const vector of values.values) {
    test(vector.description, () => {
      const found = expectationProblems(vector.value, vector.names);
      assert.equal(found.length === 0, vector.valid, found.map((p) => p.message).join("\n"));
      if (vector.pointer !== undefined) assert.deepStrictEqual(found.map((p) => p.pointer), [vector.pointer]);
    });
  }
  for (const vector of values.fixtures) {
    test(vector.description, () => {
      const found = fixtureProblems("fixtures", vector.fixtures);
      assert.deepStrictEqual(found.map((p) => basename(p.where, ".json")).sort(), vector.invalid);
    });
  }
});

interface ReferenceVector {
  description: string;
  in: "args" | "expect";
  fixtures?: Record<string, unknown>;
  results?: Record<string, Observation>;
  value: unknown;
  resolved?: unknown;
  not_run?: true;
}

const references = (readJson(join(SELFTEST, "references.json")) as { vectors: ReferenceVector[] }).vectors;

describe("references.json", () => {
  for (const vector of references) {
    test(vector.description, () => {
      let resolved: unknown;
      try {
        resolved = resolve(vector.value, vector.fixtures ?? {}, new Map(Object.entries(vector.results ?? {})));
        if (vector.in === "args") decode(resolved);
      } catch (error) {
        if (!(error instanceof UnresolvedReference) && !(error instanceof CodecError)) throw error;
        assert.equal(vector.not_run, true, error.message);
        return;
      }
      assert.ok(Object.hasOwn(vector, "resolved"), `resolved to ${JSON.stringify(resolved)}`);
      assert.deepStrictEqual(resolved, vector.resolved);
    });
  }
});

interface LintVector {
  description: string;
  copy?: string[];
  files?: Record<string, unknown>;
  texts?: Record<string, string>;
  bytes?: Record<string, string>;
  problems: { file: string; pointer: string | null; rule: string }[];
}

const lintFile = readJson(join(SELFTEST, "lint.json")) as { rules: Record<string, string>; vectors: LintVector[] };

/** The vector's spec folder: the spec's schemas, the folders it copies, then its own files. */
function writeLintVector(root: string, vector: LintVector): void {
  cpSync(join(SPEC_ROOT, "schema"), join(root, "schema"), { recursive: true });
  for (const folder of vector.copy ?? []) cpSync(join(SPEC_ROOT, folder), join(root, folder), { recursive: true });
  const contents = new Map<string, Uint8Array | string>();
  for (const [name, document] of Object.entries(vector.files ?? {})) contents.set(name, JSON.stringify(document, null, 2));
  for (const [name, text] of Object.entries(vector.texts ?? {})) contents.set(name, text);
  for (const [name, data] of Object.entries(vector.bytes ?? {})) contents.set(name, Buffer.from(data, "base64"));
  for (const [name, data] of contents) {
    const path = join(root, ...name.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
}

/** What linting root reports, as "file pointer rule" lines (file relative to root, "" for root itself). */
function lintProblems(root: string): string[] {
  let problems: SpecError[];
  try {
    lintSpec(root);
    return [];
  } catch (error) {
    if (error instanceof InvalidSpec) problems = error.problems;
    else if (error instanceof SpecError) problems = [error];
    else throw error;
  }
  return problems.map((problem) => JSON.stringify([relative(root, problem.where).split(sep).join("/"), problem.pointer, problem.rule]));
}

describe("lint.json", () => {
  // Memory-backed where there is one: each vector writes a small spec folder.
  const scratch = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  for (const vector of lintFile.vectors) {
    test(vector.description, () => {
      const root = mkdtempSync(join(scratch, "checkpoint-spec-js-lint-"));
      let found: string[];
      try {
        writeLintVector(root, vector);
        found = lintProblems(root);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
      const expected = vector.problems.map((problem) => JSON.stringify([problem.file, problem.pointer, problem.rule]));
      assert.deepStrictEqual([...new Set(found)].sort(), [...new Set(expected)].sort());
    });
  }

  test("the lint's rules are those of lint.json", () => {
    assert.deepStrictEqual(LINT_RULES, lintFile.rules);
  });

  test("every lint rule has a vector", () => {
    const used = new Set(lintFile.vectors.flatMap((vector) => vector.problems.map((problem) => problem.rule)));
    assert.deepStrictEqual(Object.keys(LINT_RULES).filter((rule) => !used.has(rule)), []);
    assert.deepStrictEqual([...used].filter((rule) => !Object.hasOwn(LINT_RULES, rule)), []);
  });
});

interface GlobVector {
  description: string;
  glob: string;
  bad?: true;
  match?: string[];
  no_match?: string[];
}

describe("globs.json", () => {
  for (const vector of (readJson(join(SELFTEST, "globs.json")) as { vectors: GlobVector[] }).vectors) {
    test(vector.description, () => {
      if (vector.bad === true) {
        assert.throws(() => compileGlob(vector.glob), GlobError);
        return;
      }
      const glob = compileGlob(vector.glob);
      assert.deepStrictEqual((vector.match ?? []).filter((text) => !glob.matches(text)), []);
      assert.deepStrictEqual((vector.no_match ?? []).filter((text) => glob.matches(text)), []);
    });
  }
});

interface ErrorVector {
  description: string;
  language: "python" | "typescript";
  class: { name: string; bases?: [string] } | null;
  message: string;
  category: string;
}

type ErrorClass = new (message: string) => Error;

/** JavaScript's global Error classes, LangGraph's and the adapter's, by name (AggregateError takes its errors first). */
function errorClass(name: string): ErrorClass {
  if (name === "AggregateError") {
    return class extends AggregateError {
      constructor(message: string) {
        super([], message);
      }
    };
  }
  if (name === "NotImplementedOperation") return NotImplementedOperation;
  const found = (globalThis as Record<string, unknown>)[name] ?? (langgraph as Record<string, unknown>)[name];
  assert.ok(typeof found === "function" && (found === Error || Object.prototype.isPrototypeOf.call(Error, found)), `no Error class ${name}`);
  return found as ErrorClass;
}

/** The error a vector describes: a class by name, a new subclass of its base so named, or the message itself thrown. */
function thrown(vector: ErrorVector): unknown {
  const described = vector.class;
  if (described === null) return vector.message;
  if (described.bases === undefined) return new (errorClass(described.name))(vector.message);
  const Base = errorClass(described.bases[0]);
  const name = described.name;
  const Made = class extends Base {
    constructor(message: string) {
      super(message);
      this.name = name;
    }
  };
  Object.defineProperty(Made, "name", { value: name });
  return new Made(vector.message);
}

describe("errors.json", () => {
  const every = (readJson(join(SELFTEST, "errors.json")) as { vectors: ErrorVector[] }).vectors;
  for (const vector of every.filter((v) => v.language === "typescript")) {
    test(vector.description, () => {
      const error = thrown(vector);
      if (vector.class !== null) assert.equal((error as Error).name, vector.class.name);
      assert.equal(errorCategory(error), vector.category);
    });
  }
});

interface LevelsVector {
  description: string;
  target: "built-in" | "user";
  level?: string;
  cases: { level: Level; verdict: Verdict }[];
  judging: string;
  lines: string[];
  exit: 0 | 1;
}
const levels = (readJson(join(SELFTEST, "levels.json")) as { vectors: LevelsVector[] }).vectors;

describe("levels.json", () => {
  for (const vector of levels) {
    test(vector.description, () => {
      const judging = parseLevel(vector.level, vector.target === "built-in");
      assert.equal(judging, vector.judging);
      const template = spec.cases[0]!;
      const judged: Judged[] = vector.cases.map((item, index) => ({
        result: { case: { ...template, id: `c${index}`, level: item.level }, target: "t", status: "passed", reason: null, steps: [] },
        verdict: item.verdict,
        knownReason: null,
        newMarks: [],
        goneMarks: [],
      }));
      assert.deepStrictEqual(closingLines(judged, 0, judging), vector.lines);
      assert.equal(runPasses(judged, judging) ? 0 : 1, vector.exit);
    });
  }
});
