/** Adapter from the spec's operations onto any JavaScript BaseCheckpointSaver. */

import { encode } from "../codec.js";
import { describeError } from "../errors.js";
import { NotImplementedOperation, RunnerFailure, observeDeltaHistory, observeTuple, type DeltaHistoryEntry, type TupleLike } from "../observation.js";
import { CORE_CAPABILITIES, EXTENDED_CAPABILITIES } from "../operations.js";
import { DEFAULT_TIMEOUT_SECONDS, withinTimeout } from "../timeouts.js";
import type { Session, Target } from "./base.js";

/** A function returning a fresh saver, or a promise of one. */
export type SaverFactory = () => unknown;

/** The saver's method for each spec operation (the spec uses Python's names). */
export const METHODS: Readonly<Record<string, string>> = {
  put: "put",
  put_writes: "putWrites",
  get_tuple: "getTuple",
  get: "get",
  list: "list",
  delete_thread: "deleteThread",
  get_next_version: "getNextVersion",
  delete_for_runs: "deleteForRuns",
  copy_thread: "copyThread",
  prune: "prune",
  get_delta_channel_history: "getDeltaChannelHistory",
};

/**
 * Extended operations whose base-class method (when the base has one) is only a
 * placeholder: a saver supports them when a class below BaseCheckpointSaver
 * defines the method. The base's getDeltaChannelHistory is a working default
 * (it walks getTuple), so every saver that has the method has that capability.
 */
const PLACEHOLDER_METHODS = new Set(["deleteForRuns", "copyThread", "prune"]);

type Saver = Record<string, unknown>;

/** The class (constructor name) in the prototype chain that defines a method, or null. */
function ownerOf(saver: object, method: string): string | null {
  for (let proto = Object.getPrototypeOf(saver) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.hasOwn(proto, method)) {
      const ctor = (proto as { constructor?: { name?: string } }).constructor;
      return ctor?.name ?? "";
    }
  }
  return Object.hasOwn(saver, method) ? "(own property)" : null;
}

export function saverCapabilities(saver: object): Set<string> {
  const supported = new Set(CORE_CAPABILITIES);
  for (const capability of EXTENDED_CAPABILITIES) {
    const method = METHODS[capability]!;
    if (typeof (saver as Saver)[method] !== "function") continue;
    if (PLACEHOLDER_METHODS.has(method) && ownerOf(saver, method) === "BaseCheckpointSaver") continue;
    supported.add(capability);
  }
  return supported;
}

function isSaver(value: unknown): value is Saver {
  return typeof value === "object" && value !== null && typeof (value as Saver).getTuple === "function" && typeof (value as Saver).put === "function";
}

/** A case's saver and what releases it (a server's tables, a connection) when the case ends. */
export interface MadeSaver {
  readonly saver: Saver;
  close(): Promise<void>;
}

// Node 20 has the symbol; the TypeScript library this project targets does not name it.
const ASYNC_DISPOSE = (Symbol as { asyncDispose?: symbol }).asyncDispose;

/** A call of `method` on `owner` whose result, awaited, is dropped. */
function releasing(owner: object, method: unknown): () => Promise<void> {
  return async () => {
    await (method as (this: object) => unknown).call(owner);
  };
}

function disposerOf(owner: object): (() => Promise<void>) | null {
  const dispose = ASYNC_DISPOSE === undefined ? undefined : (owner as Record<symbol, unknown>)[ASYNC_DISPOSE];
  return typeof dispose === "function" ? releasing(owner, dispose) : null;
}

/**
 * What a factory gave: a saver, `{ saver, close }`, or either with `Symbol.asyncDispose`;
 * `close` (or the disposer) runs when the case ends, so a server-backed saver can drop what it made.
 */
export async function makeSaver(factory: SaverFactory): Promise<MadeSaver> {
  const made = await factory();
  if (isSaver(made)) return { saver: made, close: disposerOf(made) ?? (async () => {}) };
  const wrapper = typeof made === "object" && made !== null ? (made as { saver?: unknown; close?: unknown }) : null;
  if (wrapper !== null && isSaver(wrapper.saver)) {
    const close = typeof wrapper.close === "function" ? wrapper.close : null;
    const release = close === null ? disposerOf(wrapper) : releasing(wrapper, close);
    if (release !== null) return { saver: wrapper.saver, close: release };
  }
  throw new TypeError(
    "the factory did not return a checkpoint saver (an object with put and getTuple methods), " +
      "or { saver, close } with a close function",
  );
}

async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** An optional argument given as null is the TypeScript "no value", undefined (spec/README.md section 3). */
function optional(a: Record<string, unknown>, key: string): unknown {
  return a[key] === null ? undefined : a[key];
}

type Call = (...args: unknown[]) => unknown;
/** How one operation calls the saver's method (what it throws is the saver's), and how what it returned is observed. */
type Invocation = readonly [() => Promise<unknown>, (returned: unknown) => unknown];

const observeList = (found: unknown): unknown => (found as unknown[]).map((item) => observeTuple(item as TupleLike));

function invocation(op: string, call: Call, a: Record<string, unknown>): Invocation {
  switch (op) {
    case "put":
      return [async () => call(a.config, a.checkpoint, a.metadata, a.new_versions), encode];
    case "put_writes": {
      const writes = (a.writes as unknown[][]).map(([channel, value]) => [channel, value]);
      return [async () => call(a.config, writes, a.task_id, Object.hasOwn(a, "task_path") ? optional(a, "task_path") : ""), encode];
    }
    case "get_tuple":
      return [async () => call(a.config), (found) => observeTuple(found as TupleLike | undefined)];
    case "get":
      return [async () => call(a.config), encode];
    case "list": {
      // The spec's `config: null` (list every thread) is `{}` in the TypeScript API.
      const options = Object.fromEntries(["filter", "before", "limit"].filter((key) => Object.hasOwn(a, key)).map((key) => [key, optional(a, key)]));
      return [() => collect(call(a.config === null ? {} : a.config, options) as AsyncIterable<unknown>), observeList];
    }
    case "delete_thread":
      return [async () => call(a.thread_id), encode];
    case "get_next_version":
      // The spec's `current: null` (no version yet) is `undefined` in the TypeScript API.
      return [async () => call(optional(a, "current")), encode];
    case "delete_for_runs":
      return [async () => call(a.run_ids), encode];
    case "copy_thread":
      return [async () => call(a.source_thread_id, a.target_thread_id), encode];
    case "prune":
      return [async () => (Object.hasOwn(a, "strategy") ? call(a.thread_ids, optional(a, "strategy")) : call(a.thread_ids)), encode];
    case "get_delta_channel_history":
      return [async () => call({ config: a.config, channels: a.channels }), (found) => observeDeltaHistory(found as Record<string, DeltaHistoryEntry>)];
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

/**
 * Call the saver's method for one spec operation; resolves to the canonical result, rejects with
 * what the saver threw, or with RunnerFailure for a failure of the runner's own before or after the call.
 */
export async function invoke(saver: Saver, op: string, a: Record<string, unknown>): Promise<unknown> {
  const name = METHODS[op];
  if (name === undefined) throw new RunnerFailure(`the runner failed before calling the saver: unknown operation ${op}`);
  const method = saver[name];
  // The adapter's own error, but for the saver: it lacks the method (spec/README.md section 4).
  if (typeof method !== "function") throw new NotImplementedOperation(`the saver has no method ${name}`);
  let calling: Invocation;
  try {
    calling = invocation(op, (...args) => (method as Call).apply(saver, args), a);
  } catch (error) {
    throw new RunnerFailure(`the runner failed before calling the saver: ${describeError(error)}`);
  }
  const [run, observe] = calling;
  const returned = await run();
  try {
    return observe(returned);
  } catch (error) {
    throw new RunnerFailure(`the runner failed observing the result: ${describeError(error)}`);
  }
}

export class SaverSession implements Session {
  constructor(private readonly made: MadeSaver) {}

  get saver(): Saver {
    return this.made.saver;
  }

  call(op: string, args: Record<string, unknown>): Promise<unknown> {
    return invoke(this.made.saver, op, args);
  }

  close(): Promise<void> {
    return this.made.close();
  }
}

export class SaverTarget implements Target {
  readonly language = "typescript";

  private constructor(
    readonly name: string,
    readonly factory: SaverFactory,
    readonly libraries: Readonly<Record<string, string>>,
    readonly capabilities: ReadonlySet<string>,
    /** Why the first saver could not be made; every case is then errored with it (spec/README.md section 6). */
    readonly failure: { readonly error: unknown } | null = null,
  ) {}

  /**
   * Build a target; the factory is called once (within `timeout` seconds) to learn the saver's capabilities.
   * A factory that throws or overruns is no bad input: the target is made, and each of its cases is errored.
   */
  static async create(
    name: string,
    factory: SaverFactory,
    libraries: Readonly<Record<string, string>>,
    timeout: number = DEFAULT_TIMEOUT_SECONDS,
  ): Promise<SaverTarget> {
    let probe: MadeSaver;
    try {
      probe = await withinTimeout(makeSaver(factory), timeout, "making the saver");
    } catch (error) {
      // Its capabilities are unknown: none is missing, so no case is skipped and each is errored.
      return new SaverTarget(name, factory, libraries, new Set([...CORE_CAPABILITIES, ...EXTENDED_CAPABILITIES]), { error });
    }
    const capabilities = saverCapabilities(probe.saver);
    // A close that fails is no case's: each case closes its own saver and is errored if that fails.
    await withinTimeout(probe.close(), timeout, "closing the saver").catch(() => undefined);
    return new SaverTarget(name, factory, libraries, capabilities);
  }

  async open(): Promise<Session> {
    // The factory is not called again: the reason is the first call's.
    if (this.failure !== null) throw this.failure.error;
    return new SaverSession(await makeSaver(this.factory));
  }
}
