"""The operations of spec/README.md section 3, their arguments, and the lint of a step's arguments."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .lint_rules import LintRule
from .spec_json import escape_token


@dataclass(frozen=True)
class Operation:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    extended: bool = False
    # Optional arguments whose default is not the language's "no value": null would pass another call than absence.
    not_null: tuple[str, ...] = ()


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation("put", ("config", "checkpoint", "metadata", "new_versions")),
        Operation("put_writes", ("config", "writes", "task_id"), ("task_path",), not_null=("task_path",)),
        Operation("get_tuple", ("config",)),
        Operation("get", ("config",)),
        Operation("list", ("config",), ("filter", "before", "limit")),
        Operation("delete_thread", ("thread_id",)),
        Operation("get_next_version", ("current",)),
        Operation("delete_for_runs", ("run_ids",), extended=True),
        Operation("copy_thread", ("source_thread_id", "target_thread_id"), extended=True),
        Operation("prune", ("thread_ids",), ("strategy",), extended=True, not_null=("strategy",)),
        Operation("get_delta_channel_history", ("config", "channels"), extended=True),
    )
}

CORE_CAPABILITIES = frozenset(name for name, op in OPERATIONS.items() if not op.extended)
EXTENDED_CAPABILITIES = frozenset(name for name, op in OPERATIONS.items() if op.extended)
# Case files whose cases span several operations (a case file's `operation`, spec/README.md section 1).
GROUPS = ("roundtrip", "isolation")


def _quoted(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def unknown_operation(name: str) -> str:
    return f"unknown operation {_quoted(name)}; known: {', '.join(OPERATIONS)}"


def argument_problems(op: Operation, args: dict[str, Any]) -> list[tuple[str, LintRule, str]]:
    """(pointer below the step's args, rule, message) for each argument the operation cannot be called with."""
    problems: list[tuple[str, LintRule, str]] = [
        ("", "missing-argument", f"{op.name} needs argument {_quoted(name)}")
        for name in op.required
        if name not in args
    ]
    for name, value in args.items():
        at = "/" + escape_token(name)
        if name not in op.required and name not in op.optional:
            problems.append((at, "unknown-argument", f"{op.name} takes no argument {_quoted(name)}"))
        elif value is None and name in op.not_null:
            message = f"{op.name} argument {_quoted(name)} is not null; leave it out for its default"
            problems.append((at, "null-argument", message))
    if op.name == "put_writes" and "writes" in args:
        problems += [(f"/writes{at}", "writes-form", message) for at, message in _writes_problems(args["writes"])]
    return problems


def _writes_problems(writes: Any) -> list[tuple[str, str]]:
    """`writes` is written out: [channel, value] pairs whose channel is a string (only a value may refer)."""
    if not isinstance(writes, list):
        return [("", "writes is an array of [channel, value] pairs, written out")]
    problems = []
    for index, item in enumerate(writes):
        if not (isinstance(item, list) and len(item) == 2):
            problems.append((f"/{index}", "a write is a [channel, value] pair"))
        elif not isinstance(item[0], str):
            problems.append((f"/{index}/0", "a write's channel is a string"))
    return problems
