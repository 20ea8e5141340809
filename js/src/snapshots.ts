/** Raw observations of what the graph runtime returns and stores (spec/README.md 8.3), before aliasing. */

import { Send } from "@langchain/langgraph";

import { blankGenerated, canonicalJson } from "./aliases.js";
import { encode, isPlainObject, objectFrom, type Json } from "./codec.js";
import { compareCodePoints } from "./matching.js";

/** Runtime objects as plain values: a Send as {node, arg}; interrupts are plain {id, value} objects in LangGraph JS. */
function native(value: unknown): unknown {
  if (value instanceof Send) return { node: value.node as unknown, arg: native(value.args) };
  if (Array.isArray(value)) return value.map(native);
  if (isPlainObject(value)) return objectFrom(Object.entries(value).map(([key, item]) => [key, native(item)]));
  if (value instanceof Map && [...value.keys()].every((key) => typeof key === "string")) {
    return objectFrom([...(value as Map<string, unknown>).entries()].map(([key, item]) => [key, native(item)]));
  }
  return value;
}

/** Runtime objects as plain JSON, then the codec's encoding (2.1). */
export function plain(value: unknown): Json {
  return encode(native(value));
}

/** A config as {thread_id, checkpoint_ns, checkpoint_id}, or null when there is none. */
export function config(found: unknown): Json {
  if (!isPlainObject(found)) return null;
  const configurable = isPlainObject(found.configurable) ? found.configurable : {};
  return {
    thread_id: plain(configurable.thread_id),
    checkpoint_ns: plain(configurable.checkpoint_ns),
    checkpoint_id: plain(configurable.checkpoint_id),
  };
}

/**
 * The output of invoke: the output channels that have values, with `__interrupt__` when it stopped at one,
 * its interrupts sorted (the runtime lists them in the order their tasks finished).
 */
export function output(found: unknown): Json {
  const observed = plain(found);
  if (isPlainObject(observed) && Array.isArray(observed.__interrupt__)) {
    const keyed = observed.__interrupt__.map((item) => ({ item, key: canonicalJson(blankGenerated(item)) }));
    keyed.sort((a, b) => compareCodePoints(a.key, b.key));
    observed.__interrupt__ = keyed.map((entry) => entry.item);
  }
  return observed;
}

function errorText(error: unknown): Json {
  if (error === undefined || error === null) return null;
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  if (isPlainObject(error) && typeof error.message === "string") return error.message;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any other thrown value, as Python's str() has it
  return String(error);
}

interface SnapshotLike {
  values?: unknown;
  next?: readonly string[];
  tasks?: readonly { id?: unknown; name?: unknown; interrupts?: unknown; error?: unknown }[];
  interrupts?: unknown;
  config?: unknown;
  parentConfig?: unknown;
  metadata?: unknown;
}

/**
 * A StateSnapshot. LangGraph JS's StateSnapshot has no `interrupts` member
 * (Python's has): it is observed only when the runtime gives it, so the
 * difference shows instead of being filled in from the tasks.
 */
export function snapshot(found: unknown): Json {
  const state = found as SnapshotLike;
  const observed: Record<string, Json> = {
    values: plain(state.values),
    next: [...(state.next ?? [])],
    tasks: (state.tasks ?? []).map((task) => ({
      id: plain(task.id),
      name: plain(task.name),
      interrupts: plain(task.interrupts ?? []),
      error: errorText(task.error),
    })),
  };
  if (Object.hasOwn(state, "interrupts")) observed.interrupts = plain(state.interrupts);
  observed.config = config(state.config);
  observed.parent_config = config(state.parentConfig);
  observed.metadata = plain(state.metadata);
  return observed;
}

interface TupleLike {
  config: { configurable?: Record<string, unknown> };
  checkpoint: Record<string, unknown>;
  metadata?: unknown;
  parentConfig?: { configurable?: Record<string, unknown> };
  pendingWrites?: readonly (readonly unknown[])[];
}

/** The raw id of a listed checkpoint tuple. */
export function checkpointId(item: unknown): string {
  return String((item as TupleLike).config.configurable?.checkpoint_id);
}

function names(value: unknown): string[] {
  return isPlainObject(value) ? Object.keys(value).sort(compareCodePoints) : [];
}

function writeKey(write: readonly Json[]): [string, string] {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a write's channel is a string: String() only types it
  return [String(write[1]), canonicalJson(blankGenerated(write[2]))];
}

function compareWrites(a: readonly Json[], b: readonly Json[]): number {
  const [left, right] = [writeKey(a), writeKey(b)];
  return compareCodePoints(left[0], right[0]) || compareCodePoints(left[1], right[1]);
}

/**
 * 8.3's order: grouped by task, each group's writes by channel and value, the groups by their writes;
 * groups with the same writes by their task's alias number (rank), then in the saver's order.
 */
export function orderedWrites(writes: readonly Json[][], rank: (raw: string) => number | null): Json[][] {
  const groups = new Map<string, Json[][]>();
  for (const write of writes) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a write's task id is a string: String() only types it
    const task = String(write[0]);
    const group = groups.get(task);
    if (group === undefined) groups.set(task, [write]);
    else group.push(write);
  }
  const keyed = [...groups.entries()].map(([task, group], position) => {
    group.sort(compareWrites);
    const known = rank(task);
    return { key: JSON.stringify(group.map(writeKey)), known, position, group };
  });
  keyed.sort(
    (a, b) =>
      compareCodePoints(a.key, b.key) ||
      Number(a.known === null) - Number(b.known === null) ||
      (a.known ?? 0) - (b.known ?? 0) ||
      a.position - b.position,
  );
  return keyed.flatMap((entry) => entry.group);
}

/** Every stored checkpoint, oldest first (ascending id, which is the alias order); rank: a task's alias number. */
export function stored(tuples: readonly unknown[], rank: (raw: string) => number | null): Json[] {
  const ordered = [...tuples].sort((a, b) => compareCodePoints(checkpointId(a), checkpointId(b)));
  return ordered.map((found) => {
    const item = found as TupleLike;
    const checkpoint = item.checkpoint;
    const updated = checkpoint.updated_channels;
    const writes = (item.pendingWrites ?? []).map((write) => [plain(write[0]), plain(write[1]), plain(write[2])]);
    const seen = isPlainObject(checkpoint.versions_seen) ? checkpoint.versions_seen : {};
    const base = config(item.config) as Record<string, Json>;
    return {
      ...base,
      parent_checkpoint_id: item.parentConfig == null ? null : plain(item.parentConfig.configurable?.checkpoint_id),
      metadata: plain(item.metadata),
      channel_values: plain(checkpoint.channel_values ?? {}),
      channel_versions: names(checkpoint.channel_versions),
      versions_seen: objectFrom(Object.entries(seen).map(([nodeName, channels]) => [nodeName, names(channels)])) as Record<string, Json>,
      updated_channels: updated === undefined || updated === null ? null : [...(updated as string[])].sort(compareCodePoints),
      pending_writes: orderedWrites(writes, rank),
    };
  });
}
