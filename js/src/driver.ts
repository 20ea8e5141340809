/**
 * The driver of spec/protocol.md: newline-delimited JSON requests on standard
 * input, one reply each on standard output, nothing else written there.
 */

import type { Readable, Writable } from "node:stream";

import { isPlainObject } from "./codec.js";
import { SpecError, TargetError, describeError } from "./errors.js";
import { runCase } from "./execution.js";
import { InvalidSpec, caseFromObject, type Case } from "./loading.js";
import { decodeUtf8, parseJson } from "./spec-json.js";
import type { Target } from "./targets/base.js";
import { makeTarget } from "./targets/index.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./timeouts.js";

export const PROTOCOL_VERSION = 1;

/** The members each request kind has (spec/protocol.md, "Requests"); any other member is refused. */
const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  start: ["seq", "cmd", "version", "target", "fixtures"],
  run: ["seq", "cmd", "case"],
  stop: ["seq", "cmd"],
};
/** A driver never exits 1: it has no verdict of its own. */
const EXIT_OK = 0;
const EXIT_BAD_INPUT = 2;

type Reply = Record<string, unknown> & { seq: number; ok: boolean };

/** A reply (null: the line is not a protocol request), and the exit status when the driver must exit after it. */
interface Handled {
  reply: Reply | null;
  exit: number | null;
}

interface DriverState {
  target: Target | null;
  fixtures: Record<string, unknown>;
  /** The longest one step of a case may take, in seconds (as run's --timeout). */
  readonly timeout: number;
  /** The factory's one argument (--target-arg), when given. */
  readonly targetArg: string | undefined;
}

function describe(error: unknown): string {
  if (error instanceof InvalidSpec) return error.problems.map((p) => p.message).join("; ");
  return describeError(error);
}

function stayUp(seq: number, error: string): Handled {
  return { reply: { seq, ok: false, error }, exit: null };
}

/** A refused start: the reply, and the driver exits 2. */
function refuse(seq: number, error: string): Handled {
  return { reply: { seq, ok: false, error }, exit: EXIT_BAD_INPUT };
}

/** The seq of a protocol request: an integer from 0 to 2^53-1 (1.0 is 1, as JSON.parse reads it); else null. */
function requestSeq(request: unknown): number | null {
  if (!isPlainObject(request)) return null;
  const seq = request.seq;
  // + 0 turns -0 into 0, as JSON.stringify would write it anyway.
  return typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 0 ? seq + 0 : null;
}

/** Answer one parsed request line. */
export async function handle(request: unknown, state: DriverState, targetName: string): Promise<Handled> {
  const seq = requestSeq(request);
  if (seq === null) return { reply: null, exit: EXIT_BAD_INPUT };
  const message = request as Record<string, unknown>;
  const command = message.cmd;
  if (typeof command !== "string") return stayUp(seq, "the request needs a string cmd");
  const members = Object.hasOwn(MEMBERS, command) ? MEMBERS[command] : undefined;
  if (members === undefined) return stayUp(seq, `unknown cmd ${JSON.stringify(command)}`);
  // Of several, the least by UTF-16 code units (sort's order): JSON.parse keeps no order of the text's members.
  const extra = Object.keys(message)
    .filter((name) => !members.includes(name))
    .sort()[0];
  if (extra !== undefined) {
    const why = `${command} has an unknown member ${JSON.stringify(extra)}`;
    return command === "start" ? refuse(seq, why) : stayUp(seq, why);
  }
  if (command === "start") return start(seq, message, state, targetName);
  if (command === "stop") return { reply: { seq, ok: true }, exit: EXIT_OK };
  return run(seq, message, state);
}

async function start(seq: number, request: Record<string, unknown>, state: DriverState, targetName: string): Promise<Handled> {
  if (state.target !== null) return refuse(seq, "start may be sent only once");
  if (request.version !== PROTOCOL_VERSION) return refuse(seq, `this driver speaks protocol version ${PROTOCOL_VERSION} only`);
  const name = request.target;
  if (typeof name !== "string") return refuse(seq, "start needs a target string");
  if (name !== targetName) return refuse(seq, `this driver runs target ${JSON.stringify(targetName)}, not ${JSON.stringify(name)}`);
  if (!isPlainObject(request.fixtures)) return refuse(seq, "start needs a fixtures object");
  try {
    state.target = await makeTarget(targetName, state.timeout, state.targetArg);
  } catch (error) {
    const why = error instanceof TargetError ? error.message : describe(error);
    return refuse(seq, `cannot make target ${JSON.stringify(name)}: ${why}`);
  }
  state.fixtures = request.fixtures;
  const target = state.target;
  const implementation = {
    language: "typescript",
    target: target.name,
    libraries: { ...target.libraries },
    capabilities: [...target.capabilities].sort(),
  };
  return { reply: { seq, ok: true, version: PROTOCOL_VERSION, implementation }, exit: null };
}

async function run(seq: number, request: Record<string, unknown>, state: DriverState): Promise<Handled> {
  const target = state.target;
  if (target === null) return stayUp(seq, "run before a successful start");
  if (!isPlainObject(request.case)) return stayUp(seq, "run needs a case object");
  let testCase: Case;
  try {
    testCase = caseFromObject(request.case, state.fixtures, "case");
  } catch (error) {
    return stayUp(seq, error instanceof InvalidSpec ? `invalid case: ${describe(error)}` : `cannot run the case: ${describe(error)}`);
  }
  try {
    const result = await runCase(testCase, target, { fixtures: state.fixtures }, state.timeout);
    // The protocol's statuses are the spec's verdicts; a case that could not finish is not run.
    if (result.status === "errored") return stayUp(seq, `cannot run the case: ${result.reason}`);
    const steps = result.steps.map((outcome) => ({ index: outcome.step.index, observation: outcome.observation, problem: outcome.problem }));
    return { reply: { seq, ok: true, result: { id: testCase.id, status: result.status, reason: result.reason, steps } }, exit: null };
  } catch (error) {
    return stayUp(seq, `cannot run the case: ${describe(error)}`);
  }
}

/** What in a value JSON.stringify would write but no reader takes as JSON text (spec/README.md 1.1); null: nothing. */
function notJsonText(key: string, value: unknown): string | null {
  if (!key.isWellFormed()) return "a member name holds a lone surrogate";
  if (typeof value === "string" && !value.isWellFormed()) return "a string holds a lone surrogate";
  if (typeof value === "number" && !Number.isFinite(value)) return "a number is not finite";
  return null;
}

/** The reply as a protocol line; an error reply in its place when it is not JSON text (a lone surrogate, NaN). */
export function replyLine(reply: Reply): string {
  const found: { why: string | null } = { why: null };
  let text: string;
  try {
    text = JSON.stringify(reply, (key: string, value: unknown) => {
      found.why ??= notJsonText(key, value);
      return value;
    });
  } catch (error) {
    found.why = describeError(error);
  }
  if (found.why === null) return text! + "\n";
  return JSON.stringify({ seq: reply.seq, ok: false, error: `cannot send the reply: it is not JSON text (${found.why})` }) + "\n";
}

function write(output: Writable, reply: Reply): Promise<void> {
  return new Promise((done, fail) => {
    output.write(replyLine(reply), (error) => (error ? fail(error) : done()));
  });
}

/** The lines of a byte stream as bytes, split at \n only, a last line without one included. */
async function* byteLines(input: Readable): AsyncGenerator<Buffer> {
  // A long line's chunks are joined once, when its newline comes.
  let parts: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let rest = typeof chunk === "string" ? Buffer.from(chunk, "utf-8") : chunk;
    for (let end = rest.indexOf(0x0a); end !== -1; end = rest.indexOf(0x0a)) {
      parts.push(rest.subarray(0, end + 1));
      yield Buffer.concat(parts);
      parts = [];
      rest = rest.subarray(end + 1);
    }
    if (rest.length > 0) parts.push(rest);
  }
  if (parts.length > 0) yield Buffer.concat(parts);
}

/** A line of JSON whitespace only is no request. */
function isBlank(line: Buffer): boolean {
  return line.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a);
}

/** A request line's document under spec/README.md 1.1 as a message reads it; SpecError when it breaks a rule. */
function readRequest(line: Buffer): unknown {
  let text: string;
  try {
    text = decodeUtf8(line, "request");
  } catch {
    throw new SpecError("request", "not UTF-8 text");
  }
  return parseJson(text, "request", true);
}

function complain(number: number, why: string): void {
  process.stderr.write(`checkpoint-spec-js driver: request line ${number}: ${why}\n`);
}

/** Serve requests until the driver is done or input ends; resolves to the exit status (0 or 2). */
export async function serve(
  targetName: string,
  input: Readable,
  output: Writable,
  timeout: number = DEFAULT_TIMEOUT_SECONDS,
  targetArg?: string,
): Promise<number> {
  const state: DriverState = { target: null, fixtures: {}, timeout, targetArg };
  let number = 0;
  for await (const line of byteLines(input)) {
    number += 1;
    if (isBlank(line)) continue;
    let request: unknown;
    try {
      request = readRequest(line);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      complain(number, error.problem + (error.pointer === null ? "" : ` at ${error.pointer || "/"}`));
      return EXIT_BAD_INPUT;
    }
    const { reply, exit } = await handle(request, state, targetName);
    if (reply === null) complain(number, "not a protocol request (an object with a seq from 0 to 2^53-1)");
    else await write(output, reply);
    if (exit !== null) return exit;
  }
  return EXIT_OK;
}
