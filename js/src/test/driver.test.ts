/** The driver protocol (spec/protocol.md), spoken to a real `checkpoint-spec-js driver` process. */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { Readable, Writable } from "node:stream";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { Ajv2020 } from "ajv/dist/2020.js";

import { replyLine, serve } from "../driver.js";
import { loadSpec, readJson } from "../loading.js";
import { libraryVersions } from "../versions.js";
import { CLI, SELFTEST, SPEC_ROOT } from "./helpers.js";
import * as plugin from "./plugin-saver.js";

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
    assert.deepStrictEqual(replies[0], { seq: 0, ok: false, error: "this driver speaks protocol version 1 only" });
    assert.equal(status, 2);
  });
});

type RawRequest = string | { $bytes: string } | Record<string, unknown>;
type WantedReply = Record<string, unknown> & { seq: number; ok: boolean; error_prefix?: string; error_contains?: string[] };
interface Conversation {
  description: string;
  target?: string;
  requests: RawRequest[];
  replies: WantedReply[];
  exit: 0 | 2;
}
const conversations = (readJson(join(SPEC_ROOT, "selftest", "driver.json")) as { conversations: Conversation[] }).conversations;
const LANGUAGE_TARGET = "js-memory";

/** A request of spec/selftest/driver.json as the bytes it stands for. */
function requestBytes(request: RawRequest, target: string): Buffer {
  if (typeof request === "string") return Buffer.from(request.replaceAll("TARGET", target) + "\n", "utf-8");
  const keys = Object.keys(request);
  if (keys.length === 1 && keys[0] === "$bytes") return Buffer.from(request.$bytes as string, "base64");
  const filled: Record<string, unknown> = { ...request };
  if (filled.target === "TARGET") filled.target = target;
  if (filled.fixtures === "FIXTURES") filled.fixtures = spec.fixtures;
  return Buffer.from(JSON.stringify(filled) + "\n", "utf-8");
}

function withTarget(value: unknown, target: string): unknown {
  if (typeof value === "string") return value.replaceAll("TARGET", target);
  if (Array.isArray(value)) return value.map((item) => withTarget(item, target));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withTarget(item, target)]));
  return value;
}

/** A reply against one of driver.json's expected replies, by the rule its description states. */
function checkReply(reply: Record<string, unknown>, wanted: WantedReply, target: string): void {
  const want = withTarget(wanted, target) as WantedReply;
  const shown = JSON.stringify(reply);
  if (want.error_prefix !== undefined) {
    assert.deepStrictEqual(Object.keys(reply).sort(), ["error", "ok", "seq"], shown);
    assert.deepStrictEqual([reply.seq, reply.ok], [want.seq, false], shown);
    const error = reply.error as string;
    assert.ok(error.startsWith(want.error_prefix), shown);
    for (const part of want.error_contains ?? []) assert.ok(error.slice(want.error_prefix.length).includes(part), shown);
    return;
  }
  if (want.implementation === "IMPLEMENTATION") {
    const implementation = reply.implementation as { language: string; target: string } | undefined;
    assert.deepStrictEqual([implementation?.language, implementation?.target], ["typescript", target], shown);
    assert.deepStrictEqual(reply, { ...want, implementation });
    return;
  }
  assert.deepStrictEqual(reply, want);
}

/** Send the bytes at once, close the input, and collect what the driver wrote and its exit status. */
async function talk(input: Buffer, target = LANGUAGE_TARGET, cwd?: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  const child = spawn(process.execPath, [CLI, "driver", "--target", target], { stdio: ["pipe", "pipe", "pipe"], cwd });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on("error", () => undefined); // the driver may exit before it has read everything
  child.stdin.end(input);
  const status = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return { stdout, stderr, status };
}

describe("shared driver conversations (spec/selftest/driver.json)", () => {
  for (const conversation of conversations) {
    test(conversation.description, async () => {
      const target = conversation.target ?? LANGUAGE_TARGET;
      const input = Buffer.concat(conversation.requests.map((request) => requestBytes(request, target)));
      const { stdout, stderr, status } = await talk(input, target);
      assert.ok(stdout === "" || stdout.endsWith("\n"), stdout);
      const replies = stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(replies.length, conversation.replies.length, stdout);
      conversation.replies.forEach((want, index) => {
        assertMessage(replies[index]);
        checkReply(replies[index]!, want, target);
      });
      assert.equal(status, conversation.exit, `exit ${String(status)}: ${stderr}`);
      assert.ok(!stderr.includes("    at "), stderr);
    });
  }
});

describe("a reply that is not JSON text", () => {
  test("is replaced by an error reply: a lone surrogate, a number that is not finite", () => {
    for (const bad of ["\ud800", NaN, { "\udc00": 1 }]) {
      const line = replyLine({ seq: 4, ok: true, result: { steps: [{ observation: { result: bad } }] } });
      assert.ok(line.endsWith("\n") && !line.slice(0, -1).includes("\n"), line);
      const reply = JSON.parse(line) as { seq: number; ok: boolean; error: string };
      assert.deepStrictEqual(Object.keys(reply).sort(), ["error", "ok", "seq"]);
      assert.deepStrictEqual([reply.seq, reply.ok], [4, false]);
      assert.ok(reply.error.startsWith("cannot send the reply: it is not JSON text ("), reply.error);
    }
    assert.equal(replyLine({ seq: 1, ok: true, result: { text: "\ud83d\ude00" } }), '{"seq":1,"ok":true,"result":{"text":"\ud83d\ude00"}}\n');
  });
});

describe("the driver's exit status", () => {
  const startLine = (target: string): string => JSON.stringify({ seq: 0, cmd: "start", version: 1, target, fixtures: {} }) + "\n";

  test("0 after stop, and at the end of input", async () => {
    const stopped = await talk(Buffer.from(startLine(LANGUAGE_TARGET) + '{"seq":1,"cmd":"stop"}\nnot read\n'));
    assert.equal(stopped.status, 0);
    assert.equal(stopped.stdout.split("\n").at(-2), '{"seq":1,"ok":true}');
    const ended = await talk(Buffer.from('{"seq":0,"cmd":"run","case":{}}\n{"seq":1,"cmd":"x"}\n'));
    assert.equal(ended.status, 0);
    assert.equal(ended.stdout, '{"seq":0,"ok":false,"error":"run before a successful start"}\n{"seq":1,"ok":false,"error":"unknown cmd \\"x\\""}\n');
    assert.deepStrictEqual(await talk(Buffer.alloc(0)), { stdout: "", stderr: "", status: 0 });
  });

  test("2 after a refused start, with its reply", async () => {
    const { stdout, stderr, status } = await talk(Buffer.from('{"seq":0,"cmd":"start","version":1,"target":"js-memory"}\n{"seq":1,"cmd":"stop"}\n'));
    assert.deepStrictEqual([stdout, stderr, status], ['{"seq":0,"ok":false,"error":"start needs a fixtures object"}\n', "", 2]);
  });

  test("2 after a line that is not a protocol request, without a reply and with one line on standard error", async () => {
    const negative = await talk(Buffer.from(startLine(LANGUAGE_TARGET) + '{"seq":-1,"cmd":"stop"}\n'));
    assert.equal(negative.status, 2);
    assert.equal(negative.stdout.split("\n").length, 2, negative.stdout);
    assert.equal(negative.stderr, "checkpoint-spec-js driver: request line 2: not a protocol request (an object with a seq from 0 to 2^53-1)\n");
    const deep = await talk(Buffer.from('\n{"seq":0,"cmd":' + "[".repeat(3000) + "]".repeat(3000) + "}\n"));
    assert.deepStrictEqual([deep.stdout, deep.status], ["", 2]);
    assert.ok(deep.stderr.startsWith("checkpoint-spec-js driver: request line 2: arrays and objects nest more than 100 deep"), deep.stderr);
    assert.equal(deep.stderr.split("\n").length, 2, deep.stderr);
  });

  test("--target-arg reaches the factory: the start succeeds", async () => {
    const target = `${join(dirname(fileURLToPath(import.meta.url)), "plugin-saver.js")}:withArgument`;
    plugin.givenArguments.length = 0;
    let written = "";
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const input = Readable.from([Buffer.from(startLine(target) + '{"seq":1,"cmd":"stop"}\n')]);
    assert.equal(await serve(target, input, output, 5, "redis://127.0.0.1:6379/0"), 0);
    assert.equal((JSON.parse(written.split("\n")[0]!) as { ok: boolean }).ok, true, written);
    assert.deepStrictEqual(plugin.givenArguments, [["redis://127.0.0.1:6379/0"]]);
  });

  test("0 when the factory throws at start: the start is no refused one, each case is errored", async () => {
    const target = `${join(dirname(fileURLToPath(import.meta.url)), "faulty-savers.js")}:throwsAtOnce`;
    const run = { seq: 1, cmd: "run", case: { id: "c", title: "t", steps: [{ op: "get_tuple", args: { config: null } }] } };
    const { stdout, status } = await talk(Buffer.from(startLine(target) + JSON.stringify(run) + '\n{"seq":2,"cmd":"stop"}\n'), target);
    const replies = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { ok: boolean; error?: string });
    assert.deepStrictEqual(replies.map((reply) => reply.ok), [true, false, true]);
    assert.equal(replies[1]!.error, "cannot run the case: making the saver raised Error: boom");
    assert.equal(status, 0);
  });
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
