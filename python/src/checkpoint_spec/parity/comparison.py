"""Comparing targets with each other, step by step, with the matcher's notion of equality.

Two observations are the same when each matches the other as a pattern
(spec/README.md section 5: 1 matches 1.0, datetimes by instant, typed values
by their text). Errors are compared by category only, never by detail.
Values the case itself leaves open (generated versions, ids and timestamps)
are not compared; see value_difference.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..codec import tag_of
from ..loading import Case
from ..matching import Mismatch, match
from ..references import merge, resolve_pointer
from .model import TargetRun


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 120 else text[:117] + "..."


def _kind(observation: dict[str, Any]) -> str:
    for kind in ("result", "error", "not_run"):
        if kind in observation:
            return kind
    return "unknown"


def _describe(observation: dict[str, Any]) -> str:
    kind = _kind(observation)
    if kind == "result":
        return f"returned {_show(observation['result'])}"
    if kind == "error":
        return f"raised {observation['error']}"
    return "did not run the step"


GENERATED = frozenset({"$any", "$type", "$regex", "$gt", "$not", "$ref"})
# Operations whose result is generated (a version has a random part): with no
# expectation to say which parts are fixed, only the result's type is compared.
GENERATED_RESULTS = frozenset({"get_next_version"})


def parity_pattern(value: Any, fixtures: Mapping[str, Any]) -> Any:
    """A step's expectation with fixtures inlined; $ref is left in place (it differs per target)."""
    tag = tag_of(value)
    if tag == "$fixture":
        return parity_pattern(fixtures[value[tag]], fixtures)
    if tag == "$merge":
        parts = [parity_pattern(part, fixtures) for part in value[tag]]
        if any(_has_ref(part) for part in parts):
            return {"$ref": "(merged)"}
        merged: Any = {}
        for part in parts:
            merged = merge(merged, part)
        return merged
    if tag is not None:
        inner = value[tag]
        if isinstance(inner, (dict, list)) and tag in ("$partial", "$unordered", "$tuple", "$object"):
            return {tag: parity_pattern(inner, fixtures)}
        return value
    if isinstance(value, dict):
        return {key: parity_pattern(item, fixtures) for key, item in value.items()}
    if isinstance(value, list):
        return [parity_pattern(item, fixtures) for item in value]
    return value


def _has_ref(value: Any) -> bool:
    if tag_of(value) == "$ref":
        return True
    if isinstance(value, dict):
        return any(_has_ref(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_ref(item) for item in value)
    return False


def _exact(a: Any, b: Any) -> Mismatch | None:
    return match(a, b) or match(b, a)


def value_difference(pattern: Any, a: Any, b: Any, pointer: str = "") -> Mismatch | None:
    """Where two observed values part, compared where the expectation fixes them.

    Where the expectation says "any value of this shape" ($regex, $type, $any,
    $gt, $not) or "the value an earlier step returned" ($ref), the spec's own
    check has judged each side and the values may be generated (versions,
    timestamps), so they are not compared with each other. Everywhere else,
    including members outside a $partial and steps with no expectation, the
    two values must be the same.
    """
    tag = tag_of(pattern)
    if tag in GENERATED:
        if _has_ref(pattern):
            return None  # only reached where both sides met the spec at this step
        if (match(pattern, a) is None) == (match(pattern, b) is None):
            return None
        return _exact(a, b)
    if pattern is _NO_PATTERN:
        return _exact(a, b)
    if pattern is _SAME_TYPE:
        return None if _json_type(a) == _json_type(b) else Mismatch(pointer, "values of different types")
    if tag == "$partial":
        pattern = pattern[tag]
        if isinstance(a, dict) and isinstance(b, dict) and tag_of(a) is None and tag_of(b) is None:
            return _members(pattern, a, b, pointer)
        return _exact(a, b)
    if tag == "$unordered":
        if _exact(a, b) is None:
            return None
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            remaining = list(b)
            for item in a:
                twin = next((i for i, other in enumerate(remaining) if _exact(item, other) is None), None)
                if twin is None:
                    return _exact(a, b)
                remaining.pop(twin)
            return None
        return _exact(a, b)
    if tag in ("$tuple", "$object"):
        if tag_of(a) != tag or tag_of(b) != tag:
            return _exact(a, b)
        if tag == "$object":
            return _members(pattern[tag], a[tag], b[tag], f"{pointer}/{tag}")
        return value_difference(pattern[tag], a[tag], b[tag], f"{pointer}/{tag}")
    if isinstance(pattern, dict) and tag is None:
        if not (isinstance(a, dict) and isinstance(b, dict)) or tag_of(a) is not None or tag_of(b) is not None:
            return _exact(a, b)
        return _members(pattern, a, b, pointer)
    if isinstance(pattern, list):
        if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
            return _exact(a, b)
        for index, (left, right) in enumerate(zip(a, b, strict=True)):
            sub = pattern[index] if index < len(pattern) else _NO_PATTERN
            found = value_difference(sub, left, right, f"{pointer}/{index}")
            if found is not None:
                return found
        return None
    found = _exact(a, b)
    return None if found is None else Mismatch(pointer + found.pointer, found.reason)


def _members(pattern: dict[str, Any], a: dict[str, Any], b: dict[str, Any], pointer: str) -> Mismatch | None:
    for key in sorted(set(a) | set(b)):
        child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        if key not in a or key not in b:
            return Mismatch(child, "present on one side only")
        found = value_difference(pattern.get(key, _NO_PATTERN), a[key], b[key], child)
        if found is not None:
            return found
    return None


class _Absent:
    """No expectation here: compare exactly."""


_NO_PATTERN: Any = _Absent()
_SAME_TYPE: Any = _Absent()


def _json_type(value: Any) -> str:
    tag = tag_of(value)
    if tag is not None:
        return tag
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def observation_difference(a: dict[str, Any], b: dict[str, Any], pattern: Any = _NO_PATTERN) -> tuple[str, str] | None:
    """None when the observations are the same, else (pointer inside the result, reason)."""
    kind_a, kind_b = _kind(a), _kind(b)
    if kind_a != kind_b:
        return "", f"{_describe(a)} | {_describe(b)}"
    if kind_a == "error":
        if a["error"] != b["error"]:
            return "", f"raised {a['error']} | raised {b['error']}"
        return None
    if kind_a != "result":
        return None
    found = value_difference(pattern, a["result"], b["result"])
    if found is None:
        return None

    def at(observation: dict[str, Any]) -> str:
        try:
            return _show(resolve_pointer(observation["result"], found.pointer))
        except KeyError:
            return "nothing"

    return found.pointer, f"{at(a)} | {at(b)}"


class CaseComparison:
    """Compares targets' runs of one case; the step patterns are worked out once."""

    def __init__(self, case: Case, fixtures: Mapping[str, Any]) -> None:
        self.patterns: list[Any] = []
        for step in case.steps:
            expect = step.expect
            if expect is not None and "result" in expect:
                self.patterns.append(parity_pattern(expect["result"], fixtures))
            elif step.op in GENERATED_RESULTS:
                self.patterns.append(_SAME_TYPE)
            else:
                self.patterns.append(_NO_PATTERN)

    def step_difference(self, a: TargetRun, b: TargetRun, index: int) -> tuple[str, str] | None:
        left, right = a.steps[index], b.steps[index]
        # A pattern naming an earlier result ($ref) is trusted only where both sides met the spec here.
        pattern = self.patterns[index] if index < len(self.patterns) else _NO_PATTERN
        if _has_ref(pattern) and not (left["problem"] is None and right["problem"] is None):
            pattern = _NO_PATTERN
        return observation_difference(left["observation"], right["observation"], pattern)

    def run_difference(self, a: TargetRun, b: TargetRun) -> tuple[int | None, str, str] | None:
        """None when two targets behaved the same on a case, else (step, pointer, why)."""
        if a.status == "skipped" or b.status == "skipped":
            if a.status == b.status:
                return None
            return None, "", f"{a.target} {_ran(a)} | {b.target} {_ran(b)}"
        if len(a.steps) != len(b.steps):
            return None, "", f"{a.target} reported {len(a.steps)} steps | {b.target} {len(b.steps)}"
        for index in range(len(a.steps)):
            found = self.step_difference(a, b, index)
            if found is not None:
                return int(a.steps[index]["index"]), found[0], found[1]
        return None

    def differing_steps(self, runs: list[TargetRun]) -> list[int]:
        """Steps on which any two of these runs differ."""
        usable = [run for run in runs if run.status not in ("errored", "skipped")]
        if len(usable) < 2 or any(len(run.steps) != len(usable[0].steps) for run in usable):
            return []
        return [
            index
            for index in range(len(usable[0].steps))
            if any(self.step_difference(usable[0], other, index) is not None for other in usable[1:])
        ]

    def partition(self, runs: dict[str, TargetRun], order: list[str]) -> list[list[str]]:
        """Targets grouped by identical behaviour, in target order; errored targets are left out."""
        classes: list[list[str]] = []
        for name in order:
            run = runs[name]
            if run.status == "errored":
                continue
            for group in classes:
                if self.run_difference(runs[group[0]], run) is None:
                    group.append(name)
                    break
            else:
                classes.append([name])
        return classes


def _ran(run: TargetRun) -> str:
    return f"skipped the case ({run.reason})" if run.status == "skipped" else "ran the case"
