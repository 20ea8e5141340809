"""What a storage interop run produces: one verdict per read, counted by kind, direction and operation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

KINDS = ("sqlite", "postgres")
LANGUAGES = ("python", "typescript")
WRITE_OPS = frozenset({"put", "put_writes", "delete_thread"})
READ_OPS = frozenset({"get_tuple", "list", "get"})
# pending_writes is not a step's operation: the pending writes inside a get_tuple result, judged on their own.
REPORTED_OPS = ("get_tuple", "pending_writes", "list", "get")
VERDICTS = ("equal", "changed", "unreadable", "writer-error")
FINDING_VERDICTS = ("changed", "unreadable")


def other_language(language: str) -> str:
    return LANGUAGES[1] if language == LANGUAGES[0] else LANGUAGES[0]


def direction_name(writer: str) -> str:
    return f"{writer}->{other_language(writer)}"


DIRECTIONS = tuple(direction_name(language) for language in LANGUAGES)


def group_key(kind: str, direction: str, op: str, verdict: str) -> str:
    return f"{kind} {direction} {op} {verdict}"


@dataclass
class Read:
    """One read step, run on the final state by the writer's saver (`written`) and the reader's (`read`)."""

    kind: str
    direction: str
    case: str
    step: int
    op: str
    verdict: str
    detail: str | None
    written: dict[str, Any]
    read: dict[str, Any]

    @property
    def group(self) -> str:
        return group_key(self.kind, self.direction, self.op, self.verdict)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "direction": self.direction,
            "case": self.case,
            "step": self.step,
            "op": self.op,
            "verdict": self.verdict,
            "detail": self.detail,
            "written": self.written,
            "read": self.read,
        }


@dataclass
class InteropRun:
    kinds: list[str] = field(default_factory=list)
    reads: list[Read] = field(default_factory=list)
    cases: int = 0
    # kind -> why that kind could not be run (no server, the TypeScript side failed): the run fails
    errors: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
        """Counts per kind, direction, operation and verdict."""
        table: dict[str, dict[str, dict[str, Counter[str]]]] = {}
        for item in self.reads:
            ops = table.setdefault(item.kind, {}).setdefault(item.direction, {})
            ops.setdefault(item.op, Counter())[item.verdict] += 1
        return {
            kind: {
                direction: {
                    op: {verdict: counts[verdict] for verdict in VERDICTS} for op, counts in sorted(ops.items())
                }
                for direction, ops in directions.items()
            }
            for kind, directions in table.items()
        }

    def groups(self) -> dict[str, list[Read]]:
        """Reads that are changed or unreadable, by `KIND DIRECTION OP VERDICT`."""
        found: dict[str, list[Read]] = {}
        for item in self.reads:
            if item.verdict in FINDING_VERDICTS:
                found.setdefault(item.group, []).append(item)
        return found

    def verdict_counts(self) -> dict[str, int]:
        counts = Counter(item.verdict for item in self.reads)
        return {verdict: counts[verdict] for verdict in VERDICTS}
