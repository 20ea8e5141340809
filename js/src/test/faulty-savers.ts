/**
 * Factories that fail in the ways a user's may (`--target ./dist/test/faulty-savers.js:EXPORT`):
 * each works for its first two calls (the capability probe and the first case), then fails.
 */

import { MemorySaver } from "@langchain/langgraph";

function afterFirstCase(fail: () => MemorySaver | Promise<MemorySaver>): () => MemorySaver | Promise<MemorySaver> {
  let calls = 0;
  return () => {
    calls += 1;
    return calls > 2 ? fail() : new MemorySaver();
  };
}

export const throwsAfterFirstCase = afterFirstCase(() => {
  throw new Error("the saver's server went away");
});

/** An error whose message is 5000 characters long, as a server's may be. */
export const throwsLongAfterFirstCase = afterFirstCase(() => {
  throw new Error("refused " + "x".repeat(5000));
});

export const rejectsEmptyAfterFirstCase = afterFirstCase(() => Promise.reject(new Error("")));

export const neverSettlesAfterFirstCase = afterFirstCase(() => new Promise<MemorySaver>(() => {}));

/** Never a saver: not even the first call settles. */
export function neverSettles(): Promise<MemorySaver> {
  return new Promise(() => {});
}

/** A saver whose getTuple never settles. */
export function hangingGetTuple(): MemorySaver {
  const saver = new MemorySaver();
  saver.getTuple = () => new Promise(() => {});
  return saver;
}

/** A saver whose put leaves behind an exception nobody can catch, and waits until it is thrown. */
export function strayException(): MemorySaver {
  const saver = new MemorySaver();
  const put = saver.put.bind(saver);
  saver.put = async (...args) => {
    await new Promise<void>((done) => {
      setImmediate(() => {
        throw new Error("thrown from a timer of the saver");
      });
      setTimeout(done, 20);
    });
    return put(...args);
  };
  return saver;
}

/** How often throwsAtOnce was called. */
export let throwsAtOnceCalls = 0;

/** Never a saver: the first call (the capability probe) throws. */
export function throwsAtOnce(): MemorySaver {
  throwsAtOnceCalls += 1;
  throw new Error("boom");
}
