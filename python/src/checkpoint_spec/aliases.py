"""Stable aliases for the identifiers a graph run generates (spec/README.md 8.3, "Aliases")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

NULL_TASK_ID = "00000000-0000-0000-0000-000000000000"
INTERRUPT_LISTS = ("__interrupt__", "interrupts")
NAMESPACE_MAPS = ("parents", "checkpoint_map")
ALIAS_FORMS = {
    "checkpoint": re.compile(r"checkpoint:[1-9][0-9]*\Z"),
    "interrupt": re.compile(r"interrupt:[1-9][0-9]*\Z"),
}
# The forms both runtimes give their generated ids: UUIDs (checkpoints, tasks) and 32 hex digits (interrupts).
GENERATED_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}", re.IGNORECASE)


class Aliases:
    """One scenario run's table: raw identifier to alias and back, numbered per kind from 1."""

    def __init__(self) -> None:
        self._alias: dict[str, str] = {}
        self._raw: dict[str, str] = {}
        self._count: dict[str, int] = {}

    def _give(self, kind: str, raw: str) -> None:
        if raw in self._alias or raw == NULL_TASK_ID:
            return
        self._count[kind] = self._count.get(kind, 0) + 1
        alias = f"{kind}:{self._count[kind]}"
        self._alias[raw] = alias
        self._raw[alias] = raw

    def raw(self, alias: str) -> str | None:
        return self._raw.get(alias)

    def rank(self, raw: str) -> int | None:
        """The number of the raw identifier's alias (task:3 -> 3), None when it has none."""
        alias = self._alias.get(raw)
        return None if alias is None else int(alias.rsplit(":", 1)[1])

    def add_checkpoints(self, listed: Iterable[str]) -> None:
        """Rule 1: the ids not seen before, in ascending order of their text."""
        for raw in sorted(set(listed) - self._alias.keys()):
            self._give("checkpoint", raw)

    def apply(self, observation: Any) -> Any:
        """Rules 2 and 3: alias the identifiers first met in this observation, then substitute every one."""
        self._walk(observation)
        return self._substitute(observation)

    def _namespace(self, namespace: Any) -> None:
        if isinstance(namespace, str):
            for segment in namespace.split("|"):
                if ":" in segment:
                    self._give("task", segment.rsplit(":", 1)[1])

    def _interrupts(self, items: Any) -> None:
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    self._give("interrupt", item["id"])

    def _tasks(self, items: Any) -> None:
        if isinstance(items, list):
            for task in items:
                if isinstance(task, dict) and isinstance(task.get("id"), str):
                    self._give("task", task["id"])

    def _pending_writes(self, items: Any) -> None:
        if isinstance(items, list):
            for write in items:
                if isinstance(write, list) and len(write) == 3:
                    if isinstance(write[0], str):
                        self._give("task", write[0])
                    if write[1] == "__interrupt__":
                        self._interrupts(write[2])

    def _member_ids(self, name: str, item: Any) -> None:
        """Alias the identifiers that the member's name says its value holds."""
        if name in INTERRUPT_LISTS:
            self._interrupts(item)
        elif name == "tasks":
            self._tasks(item)
        elif name == "checkpoint_ns":
            self._namespace(item)
        elif name in NAMESPACE_MAPS and isinstance(item, dict):
            for namespace in sorted(item):
                self._namespace(namespace)
        elif name == "pending_writes":
            self._pending_writes(item)

    def _walk(self, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self._walk(item)
        elif isinstance(value, dict):
            for name in sorted(value):
                self._member_ids(name, value[name])
                self._walk(value[name])

    def _text(self, text: str) -> str:
        if text in self._alias:
            return self._alias[text]
        if ":" not in text:
            return text
        segments = []
        for segment in text.split("|"):
            head, colon, tail = segment.rpartition(":")
            segments.append(f"{head}{colon}{self._alias[tail]}" if colon and tail in self._alias else segment)
        return "|".join(segments)

    def _substitute(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, list):
            return [self._substitute(item) for item in value]
        if isinstance(value, dict):
            return {self._text(name): self._substitute(item) for name, item in value.items()}
        return value


def blank_generated(value: Any) -> Any:
    """The value with every string (and member name) of a generated id's form replaced by "" (8.3 sort key)."""
    if isinstance(value, str):
        return "" if GENERATED_ID.fullmatch(value) else value
    if isinstance(value, list):
        return [blank_generated(item) for item in value]
    if isinstance(value, dict):
        return {blank_generated(name): blank_generated(item) for name, item in value.items()}
    return value
