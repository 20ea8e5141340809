"""Raw observations of what the graph runtime returns and stores (spec/README.md 8.3), before aliasing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from langgraph.types import Interrupt, Send

from .aliases import blank_generated
from .codec import encode


def _native(value: Any) -> Any:
    if isinstance(value, Interrupt):
        return {"id": value.id, "value": _native(value.value)}
    if isinstance(value, Send):
        return {"node": value.node, "arg": _native(value.arg)}
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return {key: _native(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_native(item) for item in value]
    return value


def plain(value: Any) -> Any:
    """Runtime objects as plain JSON: interrupts and Sends as objects, then the codec's encoding (2.1)."""
    return encode(_native(value))


def config(found: Any) -> Any:
    if not found:
        return None
    configurable = found.get("configurable", {})
    return {key: configurable.get(key) for key in ("thread_id", "checkpoint_ns", "checkpoint_id")}


def canonical_json(value: Any) -> str:
    """The sort key of 8.3: members sorted, no spaces, non-ASCII escaped, generated ids blanked."""
    return json.dumps(blank_generated(value), sort_keys=True, separators=(",", ":"))


def output(found: Any) -> Any:
    """An invocation's output; its interrupts sorted (the runtime lists them in the order their tasks finished)."""
    if not isinstance(found, Mapping):
        return plain(found)
    observed = {key: plain(item) for key, item in found.items() if key != "__interrupt__"}
    if "__interrupt__" in found:
        observed["__interrupt__"] = sorted((plain(item) for item in found["__interrupt__"]), key=canonical_json)
    return observed


def snapshot(found: Any) -> dict[str, Any]:
    return {
        "values": plain(found.values),
        "next": list(found.next),
        "tasks": [
            {
                "id": task.id,
                "name": task.name,
                "interrupts": [plain(item) for item in task.interrupts],
                "error": task.error if task.error is None or isinstance(task.error, str) else str(task.error),
            }
            for task in found.tasks
        ],
        "interrupts": [plain(item) for item in found.interrupts],
        "config": config(found.config),
        "parent_config": config(found.parent_config),
        "metadata": plain(found.metadata),
    }


def _write_key(write: list[Any]) -> tuple[str, str]:
    return str(write[1]), canonical_json(write[2])


def ordered_writes(writes: list[list[Any]], rank: Callable[[str], int | None]) -> list[list[Any]]:
    """8.3's order: grouped by task, each group's writes by channel and value, the groups by their writes.

    Groups with the same writes go by their task's alias number (rank), then in the saver's order.
    """
    groups: dict[str, list[list[Any]]] = {}
    for write in writes:
        groups.setdefault(str(write[0]), []).append(write)
    keyed = []
    for position, (task, group) in enumerate(groups.items()):
        group.sort(key=_write_key)
        known = rank(task)
        keyed.append((json.dumps([_write_key(write) for write in group]), known is None, known or 0, position, group))
    keyed.sort(key=lambda item: item[:4])
    return [write for *_, group in keyed for write in group]


def stored(tuples: Iterable[Any], rank: Callable[[str], int | None]) -> list[dict[str, Any]]:
    """Every stored checkpoint, oldest first (ascending id, which is the alias order); rank: a task's alias number."""
    entries = []
    for item in sorted(tuples, key=lambda found: str(found.config["configurable"]["checkpoint_id"])):
        checkpoint = item.checkpoint
        updated = checkpoint.get("updated_channels")
        writes = [[task, channel, plain(value)] for task, channel, value in item.pending_writes or []]
        entries.append(
            {
                **config(item.config),
                "parent_checkpoint_id": None
                if item.parent_config is None
                else item.parent_config["configurable"].get("checkpoint_id"),
                "metadata": plain(item.metadata),
                "channel_values": plain(checkpoint.get("channel_values", {})),
                "channel_versions": sorted(checkpoint.get("channel_versions", {})),
                "versions_seen": {node: sorted(seen) for node, seen in checkpoint.get("versions_seen", {}).items()},
                "updated_channels": None if updated is None else sorted(updated),
                "pending_writes": ordered_writes(writes, rank),
            }
        )
    return entries
