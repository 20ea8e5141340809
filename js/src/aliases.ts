/** Stable aliases for the identifiers a graph run generates (spec/README.md 8.3, "Aliases"). */

import { isPlainObject, objectFrom } from "./codec.js";
import { compareCodePoints } from "./matching.js";

export const NULL_TASK_ID = "00000000-0000-0000-0000-000000000000";
const INTERRUPT_LISTS = new Set(["__interrupt__", "interrupts"]);
const NAMESPACE_MAPS = new Set(["parents", "checkpoint_map"]);

export const ALIAS_FORMS: Readonly<Record<"checkpoint" | "interrupt", RegExp>> = {
  checkpoint: /^checkpoint:[1-9][0-9]*$/,
  interrupt: /^interrupt:[1-9][0-9]*$/,
};

/** The forms both runtimes give their generated ids: UUIDs (checkpoints, tasks) and 32 hex digits (interrupts). */
const GENERATED_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

function sortedNames(value: Record<string, unknown>): string[] {
  return Object.keys(value).sort(compareCodePoints);
}

/** One scenario run's table: raw identifier to alias and back, numbered per kind from 1. */
export class Aliases {
  private readonly aliasOf = new Map<string, string>();
  private readonly rawOf = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  private give(kind: string, raw: string): void {
    if (this.aliasOf.has(raw) || raw === NULL_TASK_ID) return;
    const count = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, count);
    const alias = `${kind}:${count}`;
    this.aliasOf.set(raw, alias);
    this.rawOf.set(alias, raw);
  }

  /** The raw identifier an alias stands for, or null when this run has not given it. */
  raw(alias: string): string | null {
    return this.rawOf.get(alias) ?? null;
  }

  /** The number of a raw identifier's alias (task:3 gives 3), or null when it has none. */
  rank(raw: string): number | null {
    const alias = this.aliasOf.get(raw);
    return alias === undefined ? null : Number(alias.slice(alias.lastIndexOf(":") + 1));
  }

  /** The alias of a raw identifier, or null. */
  alias(raw: string): string | null {
    return this.aliasOf.get(raw) ?? null;
  }

  /** Rule 1: the checkpoint ids not seen before, in ascending order of their text. */
  addCheckpoints(listed: Iterable<string>): void {
    const fresh = [...new Set(listed)].filter((raw) => !this.aliasOf.has(raw)).sort(compareCodePoints);
    for (const raw of fresh) this.give("checkpoint", raw);
  }

  /** Rules 2 and 3: alias the identifiers first met in this observation, then substitute every one. */
  apply(observation: unknown): unknown {
    this.walk(observation);
    return this.substitute(observation);
  }

  private namespace(namespace: unknown): void {
    if (typeof namespace !== "string") return;
    for (const segment of namespace.split("|")) {
      const colon = segment.lastIndexOf(":");
      if (colon >= 0) this.give("task", segment.slice(colon + 1));
    }
  }

  private interrupts(items: unknown): void {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (isPlainObject(item) && typeof item.id === "string") this.give("interrupt", item.id);
    }
  }

  private tasks(items: unknown): void {
    if (!Array.isArray(items)) return;
    for (const task of items) {
      if (isPlainObject(task) && typeof task.id === "string") this.give("task", task.id);
    }
  }

  private pendingWrites(items: unknown): void {
    if (!Array.isArray(items)) return;
    for (const write of items) {
      if (!Array.isArray(write) || write.length !== 3) continue;
      if (typeof write[0] === "string") this.give("task", write[0]);
      if (write[1] === "__interrupt__") this.interrupts(write[2]);
    }
  }

  /** Alias the identifiers that the member's name says its value holds. */
  private memberIds(name: string, item: unknown): void {
    if (INTERRUPT_LISTS.has(name)) this.interrupts(item);
    else if (name === "tasks") this.tasks(item);
    else if (name === "checkpoint_ns") this.namespace(item);
    else if (NAMESPACE_MAPS.has(name) && isPlainObject(item)) {
      for (const namespace of sortedNames(item)) this.namespace(namespace);
    } else if (name === "pending_writes") this.pendingWrites(item);
  }

  private walk(value: unknown): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item);
    } else if (isPlainObject(value)) {
      for (const name of sortedNames(value)) {
        this.memberIds(name, value[name]);
        this.walk(value[name]);
      }
    }
  }

  private text(text: string): string {
    const whole = this.aliasOf.get(text);
    if (whole !== undefined) return whole;
    if (!text.includes(":")) return text;
    return text
      .split("|")
      .map((segment) => {
        const colon = segment.lastIndexOf(":");
        if (colon < 0) return segment;
        const alias = this.aliasOf.get(segment.slice(colon + 1));
        return alias === undefined ? segment : segment.slice(0, colon + 1) + alias;
      })
      .join("|");
  }

  private substitute(value: unknown): unknown {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.substitute(item));
    if (isPlainObject(value)) return objectFrom(Object.entries(value).map(([name, item]) => [this.text(name), this.substitute(item)]));
    return value;
  }
}

/** The value with every string (and member name) of a generated id's form replaced by "" (the 8.3 sort key). */
export function blankGenerated(value: unknown): unknown {
  if (typeof value === "string") return GENERATED_ID.test(value) ? "" : value;
  if (Array.isArray(value)) return value.map(blankGenerated);
  if (isPlainObject(value)) return objectFrom(Object.entries(value).map(([name, item]) => [blankGenerated(name) as string, blankGenerated(item)]));
  return value;
}

/** Canonical JSON: members sorted by code point, no spaces, every character outside printable ASCII escaped. */
export function canonicalJson(value: unknown): string {
  let text: string;
  if (Array.isArray(value)) text = `[${value.map(canonicalJson).join(",")}]`;
  else if (isPlainObject(value)) {
    text = `{${sortedNames(value).map((name) => `${JSON.stringify(name)}:${canonicalJson(value[name])}`).join(",")}}`;
  } else {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify(undefined) is undefined, which its type omits
    text = JSON.stringify(value) ?? "null";
  }
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
