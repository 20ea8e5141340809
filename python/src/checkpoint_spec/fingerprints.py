"""Fingerprints of failed cases (spec/README.md 6.1): where and how each step fails, nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .matching import Mismatch

Fingerprint = frozenset["Mark"]


@dataclass(frozen=True, order=True)
class Mark:
    """One place a step fails: its index, the pointer inside its result, and the kind of failure."""

    step: int
    at: str
    kind: str

    def as_json(self) -> dict[str, Any]:
        return {"step": self.step, "at": self.at, "kind": self.kind}

    def __str__(self) -> str:
        return f"step {self.step} at {self.at or '/'}: {self.kind}"


def mark_from_json(raw: Mapping[str, Any]) -> Mark:
    return Mark(int(raw["step"]), str(raw["at"]), str(raw["kind"]))


def step_marks(
    index: int, observation: Mapping[str, Any], expect: Mapping[str, Any] | None, mismatches: Iterable[Mismatch]
) -> list[Mark]:
    """The marks of one step, from its observation, its expectation and the mismatches of its result."""
    if "not_run" in observation:
        return [Mark(index, "", "not_run")]
    if "error" in observation:
        wanted = None if expect is None else expect.get("error")
        if wanted in ("any", observation["error"]):
            return []
        return [Mark(index, "", f"raised:{observation['error']}")]
    if expect is not None and "error" in expect:
        return [Mark(index, "", "returned")]
    return [Mark(index, found.pointer, found.kind) for found in mismatches]


def fingerprint(marks: Iterable[Mark]) -> Fingerprint:
    return frozenset(marks)


def written(found: Fingerprint) -> list[dict[str, Any]]:
    """A fingerprint as the spec writes it: sorted by step, pointer and kind (code point order)."""
    return [mark.as_json() for mark in sorted(found)]


def describe(marks: Iterable[Mark], limit: int = 6) -> str:
    """Marks for people: the first few, then how many more."""
    ordered = sorted(marks)
    shown = "; ".join(str(mark) for mark in ordered[:limit])
    return shown + (f"; and {len(ordered) - limit} more" if len(ordered) > limit else "")
