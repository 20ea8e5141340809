/** Canonical observations of what a saver returned or threw (spec/README.md section 4). */

import { encode, type Json } from "./codec.js";

/** Thrown by an adapter for an operation the saver does not provide. */
export class NotImplementedOperation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotImplementedOperation";
  }
}

/** The runner's own failure around a saver's call (not the saver's error): the case is errored, not observed. */
export class RunnerFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunnerFailure";
  }
}

const CONFIG_MEMBERS = "configurable|thread_id|checkpoint_ns|checkpoint_id";

/**
 * How a thrown value maps onto a category, first rule that applies wins.
 * JavaScript has no KeyError, so the saver's messages are recognised; the
 * same table is in spec/README.md section 4.
 */
export const ERROR_CATEGORY_RULES: readonly { readonly category: string; readonly test: (error: unknown) => boolean }[] = [
  // MemorySaver: 'The passed RunnableConfig is missing a required "thread_id" field ...'
  { category: "missing_key", test: (e) => e instanceof Error && new RegExp(`missing a required "(${CONFIG_MEMBERS})"`).test(e.message) },
  // A config member read through a missing one: "Cannot read properties of undefined (reading 'thread_id')".
  {
    category: "missing_key",
    test: (e) =>
      e instanceof TypeError &&
      new RegExp(`^Cannot read properties of (undefined|null) \\(reading '(${CONFIG_MEMBERS})'\\)`).test(e.message),
  },
  { category: "not_implemented", test: (e) => e instanceof NotImplementedOperation },
  { category: "not_implemented", test: (e) => e instanceof Error && /\bnot implemented\b/i.test(e.message) },
  // MemorySaver's storage-key guard: 'Invalid configurable value for key "thread_id": ...'
  { category: "invalid_argument", test: (e) => e instanceof Error && e.message.startsWith("Invalid configurable value") },
  // BaseCheckpointSaver.getNextVersion given a string version.
  { category: "invalid_argument", test: (e) => e instanceof Error && e.message.startsWith("Please override this method to use string versions") },
  { category: "invalid_argument", test: (e) => e instanceof TypeError || e instanceof RangeError },
];

/** The category (spec/README.md section 4) of what the saver threw. */
export function errorCategory(error: unknown): string {
  for (const rule of ERROR_CATEGORY_RULES) if (rule.test(error)) return rule.category;
  return "other";
}

export function errorDetail(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return `thrown ${typeof error}: ${String(error)}`;
  } catch {
    return `thrown ${typeof error}`;
  }
}

export function observeError(error: unknown): { error: string; detail: string } {
  return { error: errorCategory(error), detail: errorDetail(error) };
}

/** What a JavaScript saver returns for a checkpoint tuple. */
export interface TupleLike {
  config?: unknown;
  checkpoint?: unknown;
  metadata?: unknown;
  parentConfig?: unknown;
  pendingWrites?: readonly (readonly unknown[])[] | null;
}

function observeWrites(writes: readonly (readonly unknown[])[]): Json[] {
  return writes.map((write) => [encode(write[0]), encode(write[1]), encode(write[2])]);
}

/** A CheckpointTuple (or undefined) as the spec's tuple object. */
export function observeTuple(found: TupleLike | undefined | null): Json {
  if (found === undefined || found === null) return null;
  const writes = found.pendingWrites;
  return {
    config: encode(found.config),
    checkpoint: encode(found.checkpoint),
    metadata: encode(found.metadata),
    parent_config: found.parentConfig === undefined || found.parentConfig === null ? null : encode(found.parentConfig),
    pending_writes: writes === undefined || writes === null ? null : observeWrites(writes),
  };
}

export interface DeltaHistoryEntry {
  writes: readonly (readonly unknown[])[];
  seed?: unknown;
}

export function observeDeltaHistory(history: Readonly<Record<string, DeltaHistoryEntry>>): Json {
  const observed: [string, Json][] = [];
  for (const [channel, entry] of Object.entries(history)) {
    const item: Record<string, Json> = { writes: observeWrites(entry.writes) };
    if (Object.hasOwn(entry, "seed")) item.seed = encode(entry.seed);
    observed.push([channel, item]);
  }
  return Object.fromEntries(observed);
}
