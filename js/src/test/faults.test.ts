/**
 * Faults of a user's saver belong to the case they happen in: a factory that
 * throws, rejects or never settles, a step that never settles, a saver that
 * cannot be closed. The run goes on; only the runner's own bugs end it, as one
 * line with the details in a file.
 */

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import { runCase } from "../execution.js";
import { internalErrorLine } from "../internal-error.js";
import { loadSpec } from "../loading.js";
import { makeTarget } from "../targets/index.js";
import * as faulty from "./faulty-savers.js";
import { CLI, PUT_STEP, caseFile, scratchDir, scratchSpec } from "./helpers.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const FAULTY = join(HERE, "faulty-savers.js");
const GET_STEP = { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: { $type: "object" } } };
const root = scratchSpec({
  "a.json": caseFile(["first", "second", "third"].map((id) => ({ id, title: id, steps: [PUT_STEP, GET_STEP] }))),
});
const where = (id: string) => `${join(root, "cases", "a.json")}#/cases/${["first", "second", "third"].indexOf(id)}`;

/** The command line in its own process, with a generous hang guard. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf-8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("a factory that fails after the first case", () => {
  for (const [name, reason] of [
    ["throwsAfterFirstCase", "making the saver raised Error: the saver's server went away"],
    ["rejectsEmptyAfterFirstCase", "making the saver raised Error: (no message)"],
    ["neverSettlesAfterFirstCase", "making the saver timed out after 0.2 s"],
  ] as const) {
    test(`${name}: the later cases are errored with a readable reason, the run goes on, exit 1`, () => {
      const run = cli("run", "--target", `${FAULTY}:${name}`, "--spec", root, "--timeout", "0.2");
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.equal(run.stderr, "");
      const lines = run.stdout.trimEnd().split("\n").slice(1);
      assert.deepStrictEqual(lines, [
        `ERROR second (${where("second")}): ${reason}`,
        "  ... and 1 more cases the same way: third",
        "contract: 1 passed, 2 failed, 0 skipped",
        "1 matched the spec, 0 known divergences, 0 unexpected failures, 0 stale entries, 0 unsupported, 2 errored",
        "1 passed, 2 failed, 0 skipped",
      ]);
    });
  }
});

describe("--update-known with errored cases", () => {
  test("an errored case keeps its entry, since it says nothing of how the case fails; exit 1", () => {
    const known = join(scratchDir(), "known.json");
    const entry = { reason: "It drops the checkpoint.", fails: [{ step: 1, at: "", kind: "returned" }] };
    const listed = { $schema: "../schema/known-divergences.schema.json", target: `${FAULTY}:throwsAfterFirstCase`, divergences: { second: entry } };
    writeFileSync(known, JSON.stringify(listed));
    const run = cli("run", "--target", `${FAULTY}:throwsAfterFirstCase`, "--spec", root, "--known", known, "--update-known");
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.trimEnd().split("\n").at(-1), `rewrote ${known}; 2 errored cases keep their entries`);
    assert.deepStrictEqual((JSON.parse(readFileSync(known, "utf-8")) as typeof listed).divergences, { second: entry });
  });
});

describe("a step that never settles", () => {
  test("its case is errored after --timeout with the steps run so far; the report says so", () => {
    const report = join(scratchDir(), "report.json");
    const run = cli("run", "--target", `${FAULTY}:hangingGetTuple`, "--spec", root, "--case", "first", "--timeout", "0.2", "--json", report);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.ok(run.stdout.includes(`ERROR first (${where("first")}): step 1 timed out after 0.2 s\n`), run.stdout);
    const document = JSON.parse(readFileSync(report, "utf-8")) as {
      summary: Record<string, number>;
      cases: { verdict: string; reason: string; fingerprint: unknown; steps: { index: number }[] }[];
    };
    assert.deepStrictEqual(document.summary, { passed: 0, known: 0, failed: 0, stale: 0, skipped: 0, errored: 1 });
    const [only] = document.cases;
    assert.equal(only?.verdict, "errored");
    assert.equal(only.reason, "step 1 timed out after 0.2 s");
    assert.equal(only.fingerprint, null);
    assert.deepStrictEqual(only.steps.map((step) => step.index), [0]);
  });

  test("a factory whose first call never settles errors every case, exit 1", () => {
    const report = join(scratchDir(), "report.json");
    const run = cli("run", "--target", `${FAULTY}:neverSettles`, "--spec", root, "--timeout", "0.2", "--json", report);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.ok(run.stdout.includes(`ERROR first (${where("first")}): making the saver timed out after 0.2 s\n`), run.stdout);
    assert.ok(run.stdout.includes(" 0 unsupported, 3 errored\n"), run.stdout);
    const { cases } = JSON.parse(readFileSync(report, "utf-8")) as { cases: { verdict: string; reason: string }[] };
    assert.deepStrictEqual(
      cases.map((c) => [c.verdict, c.reason]),
      ["first", "second", "third"].map(() => ["errored", "making the saver timed out after 0.2 s"]),
    );
  });

  test("a factory whose first call throws errors every case, even one needing an extended capability, and is not called again", async () => {
    const before = faulty.throwsAtOnceCalls;
    const target = await makeTarget(`${FAULTY}:throwsAtOnce`, 0.2);
    const spec = loadSpec(root);
    const needsPrune = { ...spec.cases[0]!, id: "needs-prune", requires: ["prune"] };
    for (const testCase of [...spec.cases, needsPrune]) {
      const result = await runCase(testCase, target, spec, 0.2);
      assert.deepStrictEqual([result.status, result.reason], ["errored", "making the saver raised Error: boom"]);
    }
    assert.equal(faulty.throwsAtOnceCalls - before, 1);
  });
});

describe("the runner's own failures", () => {
  function detailsFile(line: string): string {
    const match = /^error: internal error: .+; details in (\S+)$/.exec(line);
    assert.ok(match !== null, line);
    const file = match[1]!;
    assert.equal(dirname(file), tmpdir());
    assert.match(file, new RegExp(`checkpoint-spec-js-internal-\\d+-\\d+\\.txt$`));
    return file;
  }

  test("an error nobody catches is one line naming a file with the stack, exit 2", () => {
    const run = cli("run", "--target", `${FAULTY}:strayException`, "--spec", root);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /^error: internal error: Error: thrown from a timer of the saver; /);
    const file = detailsFile(lines[0]!);
    try {
      assert.match(readFileSync(file, "utf-8"), /thrown from a timer of the saver\n\s+at /);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test("a run left waiting for a promise that never settles does not exit silently", () => {
    const run = cli("run", "--target", `${join(HERE, "never-imported.js")}:make`, "--spec", root);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    const file = detailsFile(run.stderr.trimEnd());
    rmSync(file, { force: true });
  });

  test("the line gives the error's type and message", () => {
    const line = internalErrorLine(new RangeError("out of range"), 7);
    assert.equal(line, `error: internal error: RangeError: out of range; details in ${join(tmpdir(), `checkpoint-spec-js-internal-${process.pid}-7.txt`)}`);
    const file = detailsFile(line);
    assert.ok(existsSync(file));
    rmSync(file);
  });
});

describe("the driver", () => {
  /** A driver of the target, the requests sent one at a time; its replies and exit status. */
  async function converse(target: string, requests: unknown[], ...options: string[]) {
    const child = spawn(process.execPath, [CLI, "driver", "--target", target, ...options], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const replies: Record<string, unknown>[] = [];
    for (const request of requests) {
      child.stdin.write(JSON.stringify(request) + "\n");
      const next = await lines.next();
      if (next.done) break;
      replies.push(JSON.parse(next.value) as Record<string, unknown>);
    }
    child.stdin.end();
    const status = await new Promise<number | null>((done) => (child.exitCode !== null ? done(child.exitCode) : child.on("exit", done)));
    return { replies, status, stderr };
  }

  const spec = loadSpec(root);
  const raw = { id: "first", title: "first", steps: [PUT_STEP, GET_STEP] };
  const start = (target: string) => ({ seq: 0, cmd: "start", version: 1, target, fixtures: spec.fixtures });

  test("a factory failure is that case's error reply, and the driver keeps serving", async () => {
    const target = `${FAULTY}:throwsAfterFirstCase`;
    const { replies, status, stderr } = await converse(target, [
      start(target),
      { seq: 1, cmd: "run", case: raw },
      { seq: 2, cmd: "run", case: raw },
      { seq: 3, cmd: "run", case: raw },
      { seq: 4, cmd: "stop" },
    ]);
    assert.equal(replies.length, 5, stderr);
    assert.equal((replies[1]!.result as { status: string }).status, "passed");
    for (const reply of replies.slice(2, 4)) {
      assert.deepStrictEqual(reply, {
        seq: reply.seq,
        ok: false,
        error: "cannot run the case: making the saver raised Error: the saver's server went away",
      });
    }
    assert.deepStrictEqual(replies[4], { seq: 4, ok: true });
    assert.equal(status, 0);
  });

  test("a step that never settles is an error reply after --timeout", async () => {
    const target = `${FAULTY}:hangingGetTuple`;
    const { replies, status } = await converse(target, [start(target), { seq: 1, cmd: "run", case: raw }, { seq: 2, cmd: "stop" }], "--timeout", "0.2");
    assert.deepStrictEqual(replies.slice(1), [
      { seq: 1, ok: false, error: "cannot run the case: step 1 timed out after 0.2 s" },
      { seq: 2, ok: true },
    ]);
    assert.equal(status, 0);
  });
});
