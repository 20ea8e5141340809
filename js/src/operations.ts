/** The operations of spec/README.md section 3 and their parameters. */

export interface Operation {
  readonly name: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly extended: boolean;
}

function operation(name: string, required: string[], optional: string[] = [], extended = false): Operation {
  return { name, required, optional, extended };
}

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  [
    operation("put", ["config", "checkpoint", "metadata", "new_versions"]),
    operation("put_writes", ["config", "writes", "task_id"], ["task_path"]),
    operation("get_tuple", ["config"]),
    operation("get", ["config"]),
    operation("list", ["config"], ["filter", "before", "limit"]),
    operation("delete_thread", ["thread_id"]),
    operation("get_next_version", ["current"]),
    operation("delete_for_runs", ["run_ids"], [], true),
    operation("copy_thread", ["source_thread_id", "target_thread_id"], [], true),
    operation("prune", ["thread_ids"], ["strategy"], true),
    operation("get_delta_channel_history", ["config", "channels"], [], true),
  ].map((op) => [op.name, op]),
);

export const CORE_CAPABILITIES: readonly string[] = [...OPERATIONS.values()].filter((op) => !op.extended).map((op) => op.name);
export const EXTENDED_CAPABILITIES: readonly string[] = [...OPERATIONS.values()].filter((op) => op.extended).map((op) => op.name);
