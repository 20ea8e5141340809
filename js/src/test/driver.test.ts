/** The driver protocol (spec/protocol.md), spoken to a real `checkpoint-spec-js driver` process. */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, test } from "node:test";

import { Ajv2020 } from "ajv/dist/2020.js";

import { loadSpec, readJson } from "../loading.js";
import { libraryVersions } from "../versions.js";
import { CLI, SELFTEST, SPEC_ROOT } from "./helpers.js";

const ajv = new Ajv2020({ strict: false });
const validateMessage = ajv.compile(readJson(join(SPEC_ROOT, "schema", "driver-message.schema.json")) as object);

function assertMessage(message: unknown): void {
  assert.ok(validateMessage(message), `${JSON.stringify(message)}: ${ajv.errorsText(validateMessage.errors)}`);
}

/** Start a driver, send the requests one at a time, and collect the replies and the exit status. */
async function converse(requests: unknown[], close = true): Promise<{ replies: Record<string, unknown>[]; status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, "driver", "--target", "js-memory"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const replies: Record<string, unknown>[] = [];
  for (const request of requests) {
    assertMessage(request);
    child.stdin.write(JSON.stringify(request) + "\n");
    const next = await lines.next();
    if (next.done) break;
    const reply = JSON.parse(next.value) as Record<string, unknown>;
    assertMessage(reply);
    replies.push(reply);
  }
  if (close) child.stdin.end();
  const rest = await lines.next();
  assert.ok(rest.done, `unexpected output: ${String(rest.value)}`);
  const status = await new Promise<number | null>((done) => (child.exitCode !== null ? done(child.exitCode) : child.on("exit", done)));
  return { replies, status, stderr };
}

const spec = loadSpec(SPEC_ROOT, join(SELFTEST, "cases"));
const verdicts = (readJson(join(SELFTEST, "verdicts.json")) as { verdicts: Record<string, { verdict: string; step?: number }> }).verdicts;
const rawCases = (readJson(join(SELFTEST, "cases", "selftest.json")) as { cases: { id: string }[] }).cases;

describe("driver", () => {
  test("start, run every self-test case, stop", async () => {
    const requests: unknown[] = [{ seq: 0, cmd: "start", version: 1, target: "js-memory", fixtures: spec.fixtures }];
    rawCases.forEach((raw, index) => requests.push({ seq: index + 1, cmd: "run", case: raw }));
    requests.push({ seq: rawCases.length + 1, cmd: "stop" });
    const { replies, status } = await converse(requests, false);
    assert.equal(status, 0);
    assert.equal(replies.length, requests.length);
    replies.forEach((reply, index) => assert.equal(reply.seq, index));
    const start = replies[0] as { ok: boolean; implementation: { language: string; libraries: Record<string, string>; capabilities: string[] } };
    assert.equal(start.ok, true);
    assert.equal(start.implementation.language, "typescript");
    assert.deepStrictEqual(start.implementation.libraries, libraryVersions());
    assert.ok(start.implementation.capabilities.includes("get_delta_channel_history"));
    assert.ok(!start.implementation.capabilities.includes("prune"));
    for (const [index, raw] of rawCases.entries()) {
      const result = (replies[index + 1] as { result: { id: string; status: string; steps: { index: number; problem: string | null; observation: object }[] } }).result;
      assert.equal(result.id, raw.id);
      assert.equal(result.status, verdicts[raw.id]!.verdict, raw.id);
      assert.equal(result.steps.find((step) => step.problem !== null)?.index, verdicts[raw.id]!.step, raw.id);
    }
    const dangling = (replies[1 + rawCases.findIndex((c) => c.id === "selftest-fail-dangling-pointer")] as { result: { steps: { observation: object }[] } }).result;
    assert.ok("not_run" in dangling.steps[1]!.observation);
    assert.deepStrictEqual(replies.at(-1), { seq: requests.length - 1, ok: true });
  });

  test("a malformed case gets ok false and the driver stays up; end of input exits 0", async () => {
    const { replies, status } = await converse([
      { seq: 0, cmd: "start", version: 1, target: "js-memory", fixtures: spec.fixtures },
      { seq: 1, cmd: "run", case: { id: "bad", steps: [{ op: "fly", args: {} }] } },
      { seq: 2, cmd: "run", case: { id: "good", title: "t", steps: [{ op: "get_tuple", args: { config: { configurable: { thread_id: "x" } } }, expect: { result: null } }] } },
    ]);
    assert.equal(replies[1]!.ok, false);
    assert.match(String(replies[1]!.error), /unknown operation/);
    assert.equal((replies[2] as { result: { status: string } }).result.status, "passed");
    assert.equal(status, 0);
  });

  test("a version it does not speak gets ok false and the driver exits", async () => {
    const { replies, status } = await converse([{ seq: 0, cmd: "start", version: 2, target: "js-memory", fixtures: {} }], false);
    assert.deepStrictEqual(Object.keys(replies[0]!).sort(), ["error", "ok", "seq"]);
    assert.equal(replies[0]!.ok, false);
    assert.notEqual(status, 0);
  });
});

interface Conversation {
  description: string;
  requests: (string | Record<string, unknown>)[];
  replies: { seq: number; ok: boolean; status?: string; error_contains?: string }[];
  exit: "zero" | "nonzero";
}
const conversations = (readJson(join(SPEC_ROOT, "selftest", "driver.json")) as { conversations: Conversation[] }).conversations;

/** Send every line at once, close the input, and collect what the driver wrote and its exit status. */
async function talk(lines: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  const child = spawn(process.execPath, [CLI, "driver", "--target", "js-memory"], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on("error", () => undefined); // the driver may exit before it has read everything
  child.stdin.end(lines.join(""));
  const status = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return { stdout, stderr, status };
}

describe("shared driver conversations (spec/selftest/driver.json)", () => {
  for (const conversation of conversations) {
    test(conversation.description, async () => {
      const lines = conversation.requests.map((request) => {
        if (typeof request === "string") return request + "\n";
        const filled: Record<string, unknown> = { ...request };
        if (filled.target === "TARGET") filled.target = "js-memory";
        if (filled.fixtures === "FIXTURES") filled.fixtures = spec.fixtures;
        return JSON.stringify(filled) + "\n";
      });
      const { stdout, stderr, status } = await talk(lines);
      const replies = stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(replies.length, conversation.replies.length, stdout);
      conversation.replies.forEach((want, index) => {
        const reply = replies[index]!;
        assert.equal(reply.seq, want.seq);
        assert.equal(reply.ok, want.ok, JSON.stringify(reply));
        if (want.status !== undefined) assert.equal((reply.result as { status: string }).status, want.status);
        if (want.error_contains !== undefined) assert.ok(String(reply.error).includes(want.error_contains), String(reply.error));
      });
      assert.equal(status === 0, conversation.exit === "zero", `exit ${String(status)}: ${stderr}`);
      assert.ok(!stderr.includes("    at "), stderr);
    });
  }
});

describe("driver scenarios", () => {
  test("a run whose case has a graph runs it as a scenario, with aliased observations", async () => {
    const full = loadSpec(SPEC_ROOT);
    const scenario = full.cases.find((c) => c.graph !== null && c.id === "interrupt-single-resume");
    assert.ok(scenario !== undefined, "the spec has the scenario interrupt-single-resume");
    const raw = {
      id: scenario.id,
      title: scenario.title,
      graph: scenario.graph,
      steps: scenario.steps.map((step) => ({ op: step.op, args: step.args, ...(step.expect === null ? {} : { expect: step.expect }) })),
    };
    const requests = [
      { seq: 0, cmd: "start", version: 1, target: "js-memory", fixtures: full.fixtures },
      { seq: 1, cmd: "run", case: raw },
      { seq: 2, cmd: "run", case: { ...raw, steps: raw.steps.slice(0, 1) } },
      { seq: 3, cmd: "stop" },
    ];
    const { replies, status } = await converse(requests, false);
    assert.equal(status, 0);
    const run = replies[1] as { ok: boolean; result: { id: string; steps: { index: number; observation: Record<string, unknown> }[] } };
    assert.equal(run.ok, true, JSON.stringify(run));
    assert.equal(run.result.id, scenario.id);
    assert.equal(run.result.steps.length, scenario.steps.length);
    const first = run.result.steps[0]!.observation.result as { __interrupt__: { id: string }[] };
    assert.equal(first.__interrupt__[0]!.id, "interrupt:1");
    // A scenario whose last step is not `checkpoints` is refused with the lint's reason.
    const refused = replies[2] as { ok: boolean; error: string };
    assert.equal(refused.ok, false);
    assert.match(refused.error, /last step of a scenario must be checkpoints/);
  });
});
