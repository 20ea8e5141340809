/** runCase: a session that cannot be closed, whose steps hang, or whose results the runner cannot observe, makes its case errored. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import type { RunnableConfig } from "@langchain/core/runnables";
import { MemorySaver, type CheckpointTuple } from "@langchain/langgraph-checkpoint";

import { runCase } from "../execution.js";
import { loadSpec } from "../loading.js";
import { NotImplementedOperation, RunnerFailure } from "../observation.js";
import type { Session, Target } from "../targets/base.js";
import { makeTarget } from "../targets/index.js";
import { SaverTarget, invoke } from "../targets/saver.js";
import { PUT_STEP, caseFile, scratchSpec } from "./helpers.js";

const GET_STEP = { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: { $type: "object" } } };
const root = scratchSpec({ "a.json": caseFile([{ id: "first", title: "first", steps: [PUT_STEP, GET_STEP] }]) });

describe("closing a saver", () => {
  const spec = loadSpec(root);
  const testCase = spec.cases[0]!;

  /** js-memory, with sessions whose close fails as given and whose calls may hang. */
  async function wrapped(close: () => Promise<void>, hang = false): Promise<Target> {
    const memory = await makeTarget("js-memory");
    return {
      ...memory,
      name: memory.name,
      language: memory.language,
      capabilities: memory.capabilities,
      libraries: memory.libraries,
      async open(): Promise<Session> {
        const session = await memory.open();
        return {
          call: (op, args) => (hang && op === "get_tuple" ? new Promise(() => {}) : session.call(op, args)),
          close,
        };
      },
    };
  }

  test("a close that throws makes the case errored, with the steps kept", async () => {
    const result = await runCase(testCase, await wrapped(() => Promise.reject(new TypeError("the pool is gone"))), spec, 0.2);
    assert.equal(result.status, "errored");
    assert.equal(result.reason, "closing the saver raised TypeError: the pool is gone");
    assert.equal(result.steps.length, 2);
  });

  test("a close that never settles times out", async () => {
    const result = await runCase(testCase, await wrapped(() => new Promise(() => {})), spec, 0.2);
    assert.equal(result.status, "errored");
    assert.equal(result.reason, "closing the saver timed out after 0.2 s");
  });

  test("after a step timed out, closing is still tried, and the step's reason stands", async () => {
    let closed = false;
    const close = () => {
      closed = true;
      return Promise.reject(new Error("close failed too"));
    };
    const result = await runCase(testCase, await wrapped(close, true), spec, 0.2);
    assert.equal(result.reason, "step 1 timed out after 0.2 s");
    assert.ok(closed);
  });
});

describe("the runner's own failures around a call (spec/README.md section 4)", () => {
  const spec = loadSpec(root);
  const testCase = spec.cases[0]!;

  /** Returns its pending writes as a number, which no tuple observation can be made of. */
  class NumberWrites extends MemorySaver {
    override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
      const found = await super.getTuple(config);
      return found === undefined ? undefined : ({ ...found, pendingWrites: 5 } as unknown as CheckpointTuple);
    }
  }

  test("a result the runner cannot observe errors the case and is no saver error", async () => {
    const result = await runCase(testCase, await SaverTarget.create("numbers", () => new NumberWrites(), {}), spec, 5);
    assert.equal(result.status, "errored");
    assert.equal(result.steps.length, 1);
    assert.match(result.reason ?? "", /^step 1: the runner failed observing the result: TypeError: /);
  });

  test("an operation the runner does not know is its own failure; a method the saver lacks is the saver's", async () => {
    await assert.rejects(invoke(new MemorySaver() as unknown as Record<string, unknown>, "no_such_operation", {}), RunnerFailure);
    const lacking = { getTuple: () => undefined, put: () => undefined };
    await assert.rejects(invoke(lacking, "prune", { thread_ids: [] }), NotImplementedOperation);
  });
});
