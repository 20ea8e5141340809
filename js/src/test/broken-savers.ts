/**
 * Deliberately broken savers: MemorySaver behind a delegating wrapper, each
 * wrapper adding one bug. The tests use them to show that a known-divergence
 * list of fingerprints catches a bug inside a case the list already names, and
 * the parity run uses them as drivers
 * (`node dist/cli.js driver --target ./dist/test/broken-savers.js:listReversed`).
 * Every export is a factory returning a fresh saver, as `--target` expects.
 */

import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  MemorySaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type DeltaChannelHistory,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";

/** MemorySaver behind plain delegation: the wrapper with no bug behaves exactly like MemorySaver. */
export class DelegatingSaver extends BaseCheckpointSaver {
  /** Typed as the base class, so every argument of the API (newVersions too) is passed on. */
  readonly inner: BaseCheckpointSaver;

  constructor(inner: BaseCheckpointSaver = new MemorySaver()) {
    super(inner.serde);
    this.inner = inner;
  }

  getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    return this.inner.getTuple(config);
  }

  list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    return this.inner.list(config, options);
  }

  put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    return this.inner.put(config, checkpoint, metadata, newVersions);
  }

  putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    return this.inner.putWrites(config, writes, taskId, taskPath);
  }

  deleteThread(threadId: string): Promise<void> {
    return this.inner.deleteThread(threadId);
  }

  override getNextVersion(current: number | undefined): number {
    return this.inner.getNextVersion(current);
  }

  override getDeltaChannelHistory(options: { config: RunnableConfig; channels: string[] }): Promise<Record<string, DeltaChannelHistory>> {
    return this.inner.getDeltaChannelHistory(options);
  }
}

/** A tuple with a changed copy of its fields, leaving MemorySaver's own object alone. */
function reshaped(tuple: CheckpointTuple, change: (copy: CheckpointTuple) => void): CheckpointTuple {
  const copy = { ...tuple };
  change(copy);
  return copy;
}

/** Bugs that change each tuple getTuple and list give back. */
abstract class TupleBug extends DelegatingSaver {
  protected abstract alter(tuple: CheckpointTuple): CheckpointTuple;

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const tuple = await this.inner.getTuple(config);
    return tuple === undefined ? undefined : this.alter(tuple);
  }

  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    for await (const tuple of this.inner.list(config, options)) yield this.alter(tuple);
  }
}

// --- list: order and filters -------------------------------------------------

class ListReversed extends DelegatingSaver {
  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const all: CheckpointTuple[] = [];
    for await (const tuple of this.inner.list(config, options)) all.push(tuple);
    yield* all.reverse();
  }
}

class ListDropsLast extends DelegatingSaver {
  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const all: CheckpointTuple[] = [];
    for await (const tuple of this.inner.list(config, options)) all.push(tuple);
    yield* all.slice(0, -1);
  }
}

class ListIgnoresFilter extends DelegatingSaver {
  override list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    return this.inner.list(config, { ...options, filter: undefined });
  }
}

// --- list: before and limit --------------------------------------------------

class ListNoLimitYieldsNothing extends DelegatingSaver {
  override list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    // `limit ?? 0` where "no limit" was meant: a list without a limit is empty.
    return this.inner.list(config, { ...options, limit: options?.limit ?? 0 });
  }
}

class ListSkipsNewest extends DelegatingSaver {
  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    if (options?.before !== undefined) {
      yield* this.inner.list(config, options);
      return;
    }
    // Without `before`, it acts as if before were each namespace's newest checkpoint (newest comes first).
    const seen = new Set<string>();
    for await (const tuple of this.inner.list(config, options)) {
      const where = JSON.stringify([tuple.config.configurable?.thread_id, tuple.config.configurable?.checkpoint_ns]);
      if (seen.has(where)) yield tuple;
      seen.add(where);
    }
  }
}

// --- namespaces and configs --------------------------------------------------

function inRootNamespace(config: RunnableConfig): RunnableConfig {
  if (config.configurable === undefined || !("checkpoint_ns" in config.configurable)) return config;
  return { ...config, configurable: { ...config.configurable, checkpoint_ns: "" } };
}

class NamespaceIgnored extends DelegatingSaver {
  override getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    return this.inner.getTuple(inRootNamespace(config));
  }

  override list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    return this.inner.list(inRootNamespace(config), options);
  }

  override put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    return this.inner.put(inRootNamespace(config), checkpoint, metadata, newVersions);
  }

  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    return this.inner.putWrites(inRootNamespace(config), writes, taskId, taskPath);
  }

  override getDeltaChannelHistory(options: { config: RunnableConfig; channels: string[] }): Promise<Record<string, DeltaChannelHistory>> {
    return this.inner.getDeltaChannelHistory({ ...options, config: inRootNamespace(options.config) });
  }
}

class PutConfigWithoutNamespace extends DelegatingSaver {
  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    const stored = await this.inner.put(config, checkpoint, metadata, newVersions);
    return { configurable: { thread_id: stored.configurable?.thread_id as unknown, checkpoint_id: stored.configurable?.checkpoint_id as unknown } };
  }
}

class ParentConfigWithoutNamespace extends TupleBug {
  protected alter(tuple: CheckpointTuple): CheckpointTuple {
    const parent = tuple.parentConfig?.configurable;
    if (parent === undefined) return tuple;
    return reshaped(tuple, (copy) => {
      copy.parentConfig = { configurable: { thread_id: parent.thread_id as unknown, checkpoint_id: parent.checkpoint_id as unknown } };
    });
  }
}

// --- pending writes ----------------------------------------------------------

class WritesDropLast extends DelegatingSaver {
  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    return this.inner.putWrites(config, writes.slice(0, -1), taskId, taskPath);
  }
}

class WriteFieldsSwapped extends TupleBug {
  protected alter(tuple: CheckpointTuple): CheckpointTuple {
    // Each pending write as [channel, task_id, value] instead of [task_id, channel, value].
    return reshaped(tuple, (copy) => {
      copy.pendingWrites = tuple.pendingWrites?.map(([taskId, channel, value]) => [channel, taskId, value]);
    });
  }
}

// --- delete scope ------------------------------------------------------------

class DeleteThreadReturnsRemoved extends DelegatingSaver {
  override async deleteThread(threadId: string): Promise<void> {
    const removed: string[] = [];
    for await (const tuple of this.inner.list({ configurable: { thread_id: threadId } })) {
      removed.push(String(tuple.config.configurable?.checkpoint_id));
    }
    await this.inner.deleteThread(threadId);
    // The bug: it answers with what it deleted, where the API promises nothing.
    return removed as unknown as undefined;
  }
}

// --- metadata and versions ---------------------------------------------------

class MetadataExtraKey extends DelegatingSaver {
  override put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    return this.inner.put(config, checkpoint, { ...metadata, saved_by: "broken-savers" } as CheckpointMetadata, newVersions);
  }
}

class VersionsNotIncreasing extends DelegatingSaver {
  override getNextVersion(current: number | undefined): number {
    // The next version is the current one: versions never increase.
    return current ?? 1;
  }
}

/** The wrapper with no bug. */
export function noBug(): BaseCheckpointSaver {
  return new DelegatingSaver();
}

/** list yields oldest first. */
export function listReversed(): BaseCheckpointSaver {
  return new ListReversed();
}

/** list drops the last tuple it would yield. */
export function listDropsLast(): BaseCheckpointSaver {
  return new ListDropsLast();
}

/** list ignores `filter`. */
export function listIgnoresFilter(): BaseCheckpointSaver {
  return new ListIgnoresFilter();
}

/** list without a `limit` yields nothing. */
export function listNoLimitYieldsNothing(): BaseCheckpointSaver {
  return new ListNoLimitYieldsNothing();
}

/** list without `before` leaves out each namespace's newest checkpoint. */
export function listSkipsNewest(): BaseCheckpointSaver {
  return new ListSkipsNewest();
}

/** Every checkpoint_ns is read and written as the root namespace "". */
export function namespaceIgnored(): BaseCheckpointSaver {
  return new NamespaceIgnored();
}

/** put returns a config without checkpoint_ns. */
export function putConfigWithoutNamespace(): BaseCheckpointSaver {
  return new PutConfigWithoutNamespace();
}

/** getTuple and list give parent configs without checkpoint_ns. */
export function parentConfigWithoutNamespace(): BaseCheckpointSaver {
  return new ParentConfigWithoutNamespace();
}

/** putWrites drops the last write of each call. */
export function writesDropLast(): BaseCheckpointSaver {
  return new WritesDropLast();
}

/** Pending writes come back as [channel, task_id, value]. */
export function writeFieldsSwapped(): BaseCheckpointSaver {
  return new WriteFieldsSwapped();
}

/** deleteThread resolves to the ids of the checkpoints it removed instead of nothing. */
export function deleteThreadReturnsRemoved(): BaseCheckpointSaver {
  return new DeleteThreadReturnsRemoved();
}

/** put stores every checkpoint's metadata with an extra key, saved_by. */
export function metadataExtraKey(): BaseCheckpointSaver {
  return new MetadataExtraKey();
}

/** getNextVersion returns the current version (1 when there is none). */
export function versionsNotIncreasing(): BaseCheckpointSaver {
  return new VersionsNotIncreasing();
}
