/** Savers for the plug-in target tests (`--target ./dist/test/plugin-saver.js:EXPORT`). */

import { MemorySaver } from "@langchain/langgraph";
import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type { RunnableConfig } from "@langchain/core/runnables";

/** A saver that forgets everything it stores. */
class ForgetfulSaver extends MemorySaver {
  override async getTuple(_config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    return undefined;
  }
}

/** A saver that provides copyThread itself. */
class CopyingSaver extends MemorySaver {
  async copyThread(_source: string, _target: string): Promise<void> {
    throw new Error("copyThread is not implemented by this test saver");
  }
}

export function forgetful(): MemorySaver {
  return new ForgetfulSaver();
}

export async function memory(): Promise<MemorySaver> {
  return new MemorySaver();
}

export function copying(): MemorySaver {
  return new CopyingSaver();
}

export const notAFunction = 1;

export function notASaver(): unknown {
  return { hello: "world" };
}

/** What withArgument was called with, call by call. */
export const givenArguments: unknown[][] = [];

/** A saver factory that takes its connection string as its one argument (`--target-arg`). */
export function withArgument(...given: unknown[]): MemorySaver {
  givenArguments.push(given);
  return new MemorySaver();
}

/** A saver lacking one core method (deleteThread) and extended ones (getDeltaChannelHistory; MemorySaver has no copyThread). */
class LacksDeleteThread extends MemorySaver {}
for (const method of ["deleteThread", "getDeltaChannelHistory"]) {
  Object.defineProperty(LacksDeleteThread.prototype, method, { value: undefined });
}

export function lacksDeleteThread(): MemorySaver {
  return new LacksDeleteThread();
}
