/**
 * The driver of spec/protocol.md: newline-delimited JSON requests on standard
 * input, one reply each on standard output, nothing else written there.
 */

import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

import { isPlainObject } from "./codec.js";
import { describeError } from "./errors.js";
import { runCase } from "./execution.js";
import { InvalidSpec, caseFromObject } from "./loading.js";
import type { Target } from "./targets/base.js";
import { makeTarget } from "./targets/index.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./timeouts.js";

export const PROTOCOL_VERSION = 1;

type Reply = Record<string, unknown> & { seq: number; ok: boolean };

function describe(error: unknown): string {
  if (error instanceof InvalidSpec) return error.problems.map((p) => p.message).join("; ");
  return describeError(error);
}

interface DriverState {
  target: Target | null;
  fixtures: Record<string, unknown>;
  /** The longest one step of a case may take, in seconds (as run's --timeout). */
  readonly timeout: number;
}

/** Answer one request; `stop` is true when the driver must exit after the reply. */
export async function handle(
  request: unknown,
  state: DriverState,
  targetName: string,
): Promise<{ reply: Reply | null; stop: boolean; status: number }> {
  if (!isPlainObject(request) || !Number.isInteger(request.seq)) {
    // Not a protocol message: a broken orchestrator, answered by exiting without a reply.
    return { reply: null, stop: true, status: 2 };
  }
  const seq = request.seq as number;
  switch (request.cmd) {
    case "start": {
      if (state.target !== null) {
        return { reply: { seq, ok: false, error: "start may be sent only once" }, stop: true, status: 1 };
      }
      if (request.version !== PROTOCOL_VERSION) {
        return { reply: { seq, ok: false, error: `this driver speaks protocol version ${PROTOCOL_VERSION} only` }, stop: true, status: 1 };
      }
      if (request.target !== targetName) {
        const asked = JSON.stringify(request.target);
        return { reply: { seq, ok: false, error: `this driver runs target ${targetName}, not ${asked}` }, stop: true, status: 1 };
      }
      if (!isPlainObject(request.fixtures)) {
        return { reply: { seq, ok: false, error: "start needs a fixtures object" }, stop: true, status: 1 };
      }
      try {
        state.target = await makeTarget(targetName, state.timeout);
      } catch (error) {
        return { reply: { seq, ok: false, error: describe(error) }, stop: true, status: 1 };
      }
      state.fixtures = request.fixtures;
      const target = state.target;
      return {
        reply: {
          seq,
          ok: true,
          version: PROTOCOL_VERSION,
          implementation: {
            language: "typescript",
            target: target.name,
            libraries: { ...target.libraries },
            capabilities: [...target.capabilities].sort(),
          },
        },
        stop: false,
        status: 0,
      };
    }
    case "run": {
      if (state.target === null) return { reply: { seq, ok: false, error: "run before start" }, stop: false, status: 0 };
      try {
        const testCase = caseFromObject(request.case, state.fixtures, "case");
        const result = await runCase(testCase, state.target, { fixtures: state.fixtures }, state.timeout);
        if (result.status === "errored") {
          // The protocol's statuses are the spec's verdicts; a case that could not finish is not run.
          return { reply: { seq, ok: false, error: `cannot run the case: ${result.reason}` }, stop: false, status: 0 };
        }
        return {
          reply: {
            seq,
            ok: true,
            result: {
              id: testCase.id,
              status: result.status,
              reason: result.reason,
              steps: result.steps.map((outcome) => ({
                index: outcome.step.index,
                observation: outcome.observation,
                problem: outcome.problem,
              })),
            },
          },
          stop: false,
          status: 0,
        };
      } catch (error) {
        return { reply: { seq, ok: false, error: `cannot run the case: ${describe(error)}` }, stop: false, status: 0 };
      }
    }
    case "stop":
      return { reply: { seq, ok: true }, stop: true, status: 0 };
    default:
      return { reply: { seq, ok: false, error: `unknown cmd ${JSON.stringify(request.cmd)}` }, stop: false, status: 0 };
  }
}

function write(output: Writable, reply: Reply): Promise<void> {
  return new Promise((done, fail) => {
    output.write(JSON.stringify(reply) + "\n", (error) => (error ? fail(error) : done()));
  });
}

/** Serve requests until `stop` or end of input; resolves to the exit status. */
export async function serve(
  targetName: string,
  input: Readable,
  output: Writable,
  timeout: number = DEFAULT_TIMEOUT_SECONDS,
): Promise<number> {
  const state: DriverState = { target: null, fixtures: {}, timeout };
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let request: unknown;
    try {
      request = JSON.parse(line) as unknown;
    } catch {
      process.stderr.write(`checkpoint-spec-js driver: not a JSON request: ${line.slice(0, 200)}\n`);
      lines.close();
      return 2;
    }
    const { reply, stop, status } = await handle(request, state, targetName);
    if (reply === null) process.stderr.write(`checkpoint-spec-js driver: not a protocol request: ${line.slice(0, 200)}\n`);
    else await write(output, reply);
    if (stop) {
      lines.close();
      return status;
    }
  }
  return 0;
}
