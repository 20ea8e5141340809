/** The operations of spec/README.md section 3, their arguments, and the lint of a step's arguments. */

import type { LintRule } from "./lint-rules.js";
import { escapeToken } from "./spec-json.js";

export interface Operation {
  readonly name: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly extended: boolean;
  /** Optional arguments whose default is not the language's "no value": null would pass another call than absence. */
  readonly notNull: readonly string[];
}

function operation(name: string, required: string[], optional: string[] = [], extended = false, notNull: string[] = []): Operation {
  return { name, required, optional, extended, notNull };
}

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  [
    operation("put", ["config", "checkpoint", "metadata", "new_versions"]),
    operation("put_writes", ["config", "writes", "task_id"], ["task_path"], false, ["task_path"]),
    operation("get_tuple", ["config"]),
    operation("get", ["config"]),
    operation("list", ["config"], ["filter", "before", "limit"]),
    operation("delete_thread", ["thread_id"]),
    operation("get_next_version", ["current"]),
    operation("delete_for_runs", ["run_ids"], [], true),
    operation("copy_thread", ["source_thread_id", "target_thread_id"], [], true),
    operation("prune", ["thread_ids"], ["strategy"], true, ["strategy"]),
    operation("get_delta_channel_history", ["config", "channels"], [], true),
  ].map((op) => [op.name, op]),
);

export const CORE_CAPABILITIES: readonly string[] = [...OPERATIONS.values()].filter((op) => !op.extended).map((op) => op.name);
export const EXTENDED_CAPABILITIES: readonly string[] = [...OPERATIONS.values()].filter((op) => op.extended).map((op) => op.name);
/** Case files whose cases span several operations (a case file's `operation`, spec/README.md section 1). */
export const GROUPS: readonly string[] = ["roundtrip", "isolation"];

const quoted = (name: string): string => JSON.stringify(name);

export function unknownOperation(name: string): string {
  return `unknown operation ${quoted(name)}; known: ${[...OPERATIONS.keys()].join(", ")}`;
}

/** [pointer below the step's args, rule, message] for each argument the operation cannot be called with. */
export function argumentProblems(op: Operation, args: Readonly<Record<string, unknown>>): [string, LintRule, string][] {
  const problems: [string, LintRule, string][] = op.required
    .filter((name) => !Object.hasOwn(args, name))
    .map((name) => ["", "missing-argument", `${op.name} needs argument ${quoted(name)}`]);
  for (const [name, value] of Object.entries(args)) {
    const at = `/${escapeToken(name)}`;
    if (!op.required.includes(name) && !op.optional.includes(name)) problems.push([at, "unknown-argument", `${op.name} takes no argument ${quoted(name)}`]);
    else if (value === null && op.notNull.includes(name)) problems.push([at, "null-argument", `${op.name} argument ${quoted(name)} is not null; leave it out for its default`]);
  }
  if (op.name === "put_writes" && Object.hasOwn(args, "writes")) {
    for (const [at, message] of writesProblems(args.writes)) problems.push([`/writes${at}`, "writes-form", message]);
  }
  return problems;
}

/** `writes` is written out: an array of [channel, value] pairs whose channel is a string (only a value may refer). */
function writesProblems(writes: unknown): [string, string][] {
  if (!Array.isArray(writes)) return [["", "writes is an array of [channel, value] pairs, written out"]];
  const problems: [string, string][] = [];
  writes.forEach((item: unknown, index) => {
    if (!(Array.isArray(item) && item.length === 2)) problems.push([`/${index}`, "a write is a [channel, value] pair"]);
    else if (typeof item[0] !== "string") problems.push([`/${index}/0`, "a write's channel is a string"]);
  });
  return problems;
}
