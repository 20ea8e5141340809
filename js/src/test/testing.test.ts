/** The test-runner integration (testing.ts): one registered test per case, skips, failures and teardown. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { MemorySaver } from "@langchain/langgraph-checkpoint";

import { checkCase, loadBundledSpec, registerSpecTests, saverTarget, type RegisterTest } from "../testing.js";
import { listReversed } from "./broken-savers.js";
import { SPEC_ROOT } from "./helpers.js";

// MemorySaver's known divergences, under the name their file gives.
const MEMORY = { name: "js-memory", known: join(SPEC_ROOT, "known-divergences", "js-memory.json") };

interface Registered {
  name: string;
  skip: string | boolean | undefined;
  fn: () => Promise<void>;
}

function collector(): { registered: Registered[]; register: RegisterTest } {
  const registered: Registered[] = [];
  return { registered, register: (name, options, fn) => registered.push({ name, skip: options.skip, fn }) };
}

async function outcome(item: Registered): Promise<string | null> {
  try {
    await item.fn();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("registerSpecTests", () => {
  test("one test per case of the bundled spec, named by the case id; MemorySaver passes those it supports", async () => {
    const { registered, register } = collector();
    const cases = ["copy-thread-*", "put-*"];
    const count = await registerSpecTests({ ...MEMORY, factory: () => new MemorySaver(), test: register, cases, level: "all" });
    const spec = loadBundledSpec();
    const ids = spec.cases.map((c) => c.id).filter((id) => id.startsWith("copy-thread-") || id.startsWith("put-"));
    assert.equal(count, ids.length);
    assert.deepStrictEqual(registered.map((r) => r.name), ids);
    // MemorySaver has no copyThread: those cases are skipped tests, with the reason.
    const skipped = registered.filter((r) => r.skip !== false);
    assert.ok(skipped.length > 0 && skipped.every((r) => r.name.startsWith("copy-thread-")));
    assert.match(String(skipped[0]!.skip), /^js-memory does not support copy_thread/);
    for (const item of registered.filter((r) => r.skip === false)) assert.equal(await outcome(item), null, item.name);
  });

  test("only the cases of the level judged are registered, the contract unless the option says", async () => {
    const spec = loadBundledSpec();
    const put = spec.cases.filter((c) => c.id.startsWith("put-"));
    const expected = {
      contract: put.filter((c) => c.level === "contract").map((c) => c.id),
      reference: put.filter((c) => c.level === "reference").map((c) => c.id),
      all: put.map((c) => c.id),
    };
    assert.ok(expected.contract.length > 0 && expected.reference.length > 0, "put-* has cases of both levels");
    for (const level of [undefined, "contract", "reference", "all"] as const) {
      const { registered, register } = collector();
      const count = await registerSpecTests({ ...MEMORY, factory: () => new MemorySaver(), test: register, cases: ["put-*"], level });
      const ids = expected[level ?? "contract"];
      assert.deepStrictEqual(registered.map((r) => r.name), ids, String(level));
      assert.equal(count, ids.length);
    }
  });

  test("a level that is not one is refused before the factory is called", async () => {
    let made = 0;
    const factory = (): MemorySaver => {
      made += 1;
      return new MemorySaver();
    };
    for (const level of ["Contract", "", "both"]) {
      await assert.rejects(
        registerSpecTests({ factory, test: collector().register, level: level as "all" }),
        { name: "SpecError", message: `level: must be contract, reference or all, not ${JSON.stringify(level)}` },
      );
    }
    assert.equal(made, 0);
  });

  test("a failing case throws its report: the step, what was expected and what was observed", async () => {
    const { registered, register } = collector();
    // The order list-* pins is the reference savers' (spec/README.md 1.2): judged on all levels.
    await registerSpecTests({ name: "reversed", factory: listReversed, test: register, cases: ["list-*"], spec: SPEC_ROOT, level: "all" });
    const messages = (await Promise.all(registered.map(outcome))).filter((m): m is string => m !== null);
    assert.ok(messages.length > 0);
    assert.match(messages[0]!, /^FAIL list-\S+ \(.*\): step \d+ list: /);
    assert.match(messages[0]!, /\n {2}expected: .*\n {2}observed: /);
  });

  test("{ saver, close } and Symbol.asyncDispose: the saver is released when each case ends, the first one too", async () => {
    let made = 0;
    let closed = 0;
    const { registered, register } = collector();
    await registerSpecTests({
      ...MEMORY,
      factory: () => {
        made += 1;
        return { saver: new MemorySaver(), close: async () => void (closed += 1) };
      },
      test: register,
      cases: ["put-*"],
    });
    assert.equal(made, 1);
    assert.equal(closed, 1);
    for (const item of registered) await item.fn();
    assert.equal(made, registered.length + 1);
    assert.equal(closed, made);
    const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose!;
    let disposed = 0;
    const target = await saverTarget(() => Object.assign(new MemorySaver(), { [dispose]: async () => void (disposed += 1) }));
    const spec = loadBundledSpec();
    const verdict = await checkCase(spec.cases.find((c) => c.id === "put-parent-chain")!, target, spec);
    assert.equal(verdict.ok, true, verdict.problems.join("\n"));
    assert.equal(disposed, 2);
  });

  test("a factory that gives no saver is refused with what it must give", async () => {
    await assert.rejects(
      registerSpecTests({ factory: () => ({ saver: 1 }), test: collector().register }),
      /did not return a checkpoint saver .* or \{ saver, close \} with a close function/,
    );
  });
});
