"""The operations of spec/README.md section 3 and their parameters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Operation:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    extended: bool = False


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation("put", ("config", "checkpoint", "metadata", "new_versions")),
        Operation("put_writes", ("config", "writes", "task_id"), ("task_path",)),
        Operation("get_tuple", ("config",)),
        Operation("get", ("config",)),
        Operation("list", ("config",), ("filter", "before", "limit")),
        Operation("delete_thread", ("thread_id",)),
        Operation("get_next_version", ("current",)),
        Operation("delete_for_runs", ("run_ids",), extended=True),
        Operation("copy_thread", ("source_thread_id", "target_thread_id"), extended=True),
        Operation("prune", ("thread_ids",), ("strategy",), extended=True),
        Operation("get_delta_channel_history", ("config", "channels"), extended=True),
    )
}

CORE_CAPABILITIES = frozenset(name for name, op in OPERATIONS.items() if not op.extended)
EXTENDED_CAPABILITIES = frozenset(name for name, op in OPERATIONS.items() if op.extended)
