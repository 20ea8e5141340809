"""Every difference between two targets' observations of one case (spec/protocol.md, "Comparing targets").

A difference is one place where the two observations part: the step, the
JSON pointer inside the step's result, and what each side shows there (its
*look*: `absent`, the value's kind, `error:CATEGORY` or `not_run`). The walk
never compares values the case leaves open (`$any`, `$type`, `$regex`, `$gt`,
`$not`, or a `$ref` to an earlier result): each side's own verdict judges
those. Registry causes (registry.py) explain differences by these looks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..codec import tag_of
from ..loading import Case
from ..matching import kind, match
from ..references import merge

ABSENT = "absent"
OPEN = frozenset({"$any", "$type", "$regex", "$gt", "$not", "$ref"})
# Operations whose result is generated (a version has a random part): with no
# expectation to say which parts are fixed, only the result's kind is compared.
GENERATED_RESULTS = frozenset({"get_next_version"})


@dataclass(frozen=True)
class Difference:
    """One place where two observations of a step part, and what each side shows there."""

    step: int
    op: str
    at: str
    looks: tuple[str, str]
    shown: tuple[str, str]

    @property
    def signature(self) -> tuple[str, str, str, str]:
        return (self.op, self.at, *self.looks)


def show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 120 else text[:117] + "..."


def _child(pointer: str, key: str | int) -> str:
    return f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _same(a: Any, b: Any) -> bool:
    return match(a, b) is None and match(b, a) is None


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NO_PATTERN: Any = _Marker("no pattern")  # compare whole
SAME_KIND: Any = _Marker("same kind")  # a generated result: compare kinds only
_MISSING: Any = _Marker("absent")


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


def _plain_object(value: Any) -> bool:
    return isinstance(value, dict) and tag_of(value) is None


class _Walk:
    """Collects the differences of one step's results."""

    def __init__(self, step: int, op: str) -> None:
        self.step, self.op = step, op
        self.found: list[Difference] = []

    def leaf(self, at: str, a: Any, b: Any) -> None:
        looks = (ABSENT if a is _MISSING else kind(a), ABSENT if b is _MISSING else kind(b))
        shown = ("nothing" if a is _MISSING else show(a), "nothing" if b is _MISSING else show(b))
        self.found.append(Difference(self.step, self.op, at, looks, shown))

    def values(self, pattern: Any, a: Any, b: Any, at: str) -> None:
        tag = tag_of(pattern)
        if tag in OPEN:
            return
        if pattern is SAME_KIND:
            if kind(a) != kind(b):
                self.leaf(at, a, b)
            return
        if tag == "$partial":
            pattern = pattern[tag]
        elif tag == "$unordered":
            if isinstance(a, list) and isinstance(b, list) and _same_multiset(a, b):
                return
            pattern = NO_PATTERN
        if _plain_object(a) and _plain_object(b):
            self.members(pattern if isinstance(pattern, dict) and tag_of(pattern) is None else NO_PATTERN, a, b, at)
        elif isinstance(a, list) and isinstance(b, list):
            self.items(pattern if isinstance(pattern, list) else NO_PATTERN, a, b, at)
        elif tag_of(a) in ("$tuple", "$object") and tag_of(a) == tag_of(b):
            # The payload is walked as it stands: an $object's member names are literal, never tags.
            wrapper = str(tag_of(a))
            inner = pattern[wrapper] if tag_of(pattern) == wrapper else NO_PATTERN
            if wrapper == "$object" and isinstance(a[wrapper], dict) and isinstance(b[wrapper], dict):
                self.members(inner, a[wrapper], b[wrapper], _child(at, wrapper))
            elif wrapper == "$tuple" and isinstance(a[wrapper], list) and isinstance(b[wrapper], list):
                self.items(inner, a[wrapper], b[wrapper], _child(at, wrapper))
            elif not _same(a, b):
                self.leaf(at, a, b)
        elif not _same(a, b):
            self.leaf(at, a, b)

    def members(self, pattern: Any, a: dict[str, Any], b: dict[str, Any], at: str) -> None:
        for key in list(a) + [key for key in b if key not in a]:
            sub = pattern.get(key, NO_PATTERN) if isinstance(pattern, dict) else NO_PATTERN
            if key not in b or key not in a:
                if tag_of(sub) not in OPEN:
                    self.leaf(_child(at, key), a.get(key, _MISSING), b.get(key, _MISSING))
            else:
                self.values(sub, a[key], b[key], _child(at, key))

    def items(self, pattern: Any, a: list[Any], b: list[Any], at: str) -> None:
        for index in range(max(len(a), len(b))):
            sub = pattern[index] if isinstance(pattern, list) and index < len(pattern) else NO_PATTERN
            left = a[index] if index < len(a) else _MISSING
            right = b[index] if index < len(b) else _MISSING
            if left is _MISSING or right is _MISSING:
                self.leaf(_child(at, index), left, right)
            else:
                self.values(sub, left, right, _child(at, index))


def _same_multiset(a: list[Any], b: list[Any]) -> bool:
    if len(a) != len(b):
        return False
    remaining = list(b)
    for item in a:
        twin = next((i for i, other in enumerate(remaining) if _same(item, other)), None)
        if twin is None:
            return False
        remaining.pop(twin)
    return True


def _look(observation: Mapping[str, Any]) -> str:
    if "error" in observation:
        return f"error:{observation['error']}"
    if "not_run" in observation:
        return "not_run"
    return kind(observation.get("result"))


def observation_differences(
    step: int, op: str, a: Mapping[str, Any], b: Mapping[str, Any], pattern: Any = NO_PATTERN
) -> list[Difference]:
    """Every difference between two observations of one step."""
    if "result" in a and "result" in b:
        walk = _Walk(step, op)
        walk.values(pattern, a["result"], b["result"], "")
        return walk.found
    looks = (_look(a), _look(b))
    if looks[0] == looks[1]:
        return []  # the same error category, or both not run: detail is never compared
    shown = tuple(
        show(side["result"]) if "result" in side else f"raised {side['error']}" if "error" in side else "not run"
        for side in (a, b)
    )
    return [Difference(step, op, "", looks, (shown[0], shown[1]))]


class CaseComparison:
    """Compares targets' runs of one case; the step patterns are worked out once."""

    def __init__(self, case: Case, fixtures: Mapping[str, Any]) -> None:
        self.ops = [step.op for step in case.steps]
        self.patterns: list[Any] = []
        for step in case.steps:
            expect = step.expect
            if expect is not None and "result" in expect:
                self.patterns.append(parity_pattern(expect["result"], fixtures))
            elif step.op in GENERATED_RESULTS:
                self.patterns.append(SAME_KIND)
            else:
                self.patterns.append(NO_PATTERN)

    def differences(self, a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[Difference]:
        """Every difference between two runs' steps (each {index, observation, problem})."""
        found: list[Difference] = []
        for index, (left, right) in enumerate(zip(a, b, strict=False)):
            pattern = self.patterns[index] if index < len(self.patterns) else NO_PATTERN
            op = self.ops[index] if index < len(self.ops) else "?"
            found.extend(observation_differences(index, op, left["observation"], right["observation"], pattern))
        return found
