"""Resolution of `$fixture`, `$ref` and `$merge` (spec/README.md section 2.2)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .codec import LITERAL_NAME_TAGS, tag_of
from .fixtures import MAX_FIXTURE_VALUES, FixtureMeasures, measure_fixtures, uses_first
from .spec_json import MAX_DEPTH

# RFC 6901: the syntax of a pointer, and an array index (ASCII digits without a leading zero).
_POINTER = re.compile("(/([^~/]|~[01])*)*", re.DOTALL)
_INDEX = re.compile("0|[1-9][0-9]*", re.ASCII)


class UnresolvedReference(Exception):
    """A reference that cannot be resolved at run time."""


def is_pointer(text: str) -> bool:
    """Whether text is an RFC 6901 JSON pointer: empty, or `/` tokens with `~` only in `~0` and `~1`."""
    return _POINTER.fullmatch(text) is not None


def resolve_pointer(document: Any, pointer: str) -> Any:
    """RFC 6901 lookup in the JSON as written (through tag wrappers); raises KeyError when any part is missing."""
    if not is_pointer(pointer):
        raise KeyError(pointer)
    if pointer == "":
        return document
    current = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and _INDEX.fullmatch(token) and int(token) < len(current):
            current = current[int(token)]
        else:
            raise KeyError(pointer)
    return current


def merge(left: Any, right: Any) -> Any:
    """Two plain objects merge member by member; anything else (a typed value too) gives way to the right side."""
    if isinstance(left, dict) and isinstance(right, dict) and tag_of(left) is None and tag_of(right) is None:
        merged = dict(left)
        for key, value in right.items():
            merged[key] = merge(merged[key], value) if key in merged else value
        return merged
    return right


class _Expansions:
    """Every fixture's expanded value, made once per set of fixtures and shared from then on."""

    def __init__(self, fixtures: Mapping[str, Any]) -> None:
        self.fixtures = fixtures
        self.measures: FixtureMeasures = measure_fixtures(fixtures)
        self.values: dict[str, Any] = {}

    def value(self, name: Any) -> Any:
        if not isinstance(name, str) or name not in self.fixtures:
            raise UnresolvedReference(f"no fixture named {name!r}")
        if name in self.values:
            return self.values[name]

        def cycle(trail: list[str]) -> Exception:
            return UnresolvedReference("fixture refers to itself: " + " -> ".join(trail))

        # Innermost first, so that expanding one fixture never recurses into another.
        for used in uses_first(self.fixtures, name, cycle):
            if used in self.values:
                continue
            depth, count = self.measures.measured[used]
            if depth > MAX_DEPTH or count > MAX_FIXTURE_VALUES:
                raise UnresolvedReference(
                    f"fixture {used!r}, expanded, is beyond {MAX_DEPTH} deep or {MAX_FIXTURE_VALUES} values"
                )
            self.values[used] = resolve(self.fixtures[used], self.fixtures, {})
        return self.values[name]


# The few sets of fixtures in use (a spec's, a driver's), by identity; fixtures that did not come
# through the lint (the driver's) are measured first, so a cycle fails the reference, not the run.
_expansions: list[_Expansions] = []


def _fixture_value(fixtures: Mapping[str, Any], name: Any) -> Any:
    known = next((entry for entry in _expansions if entry.fixtures is fixtures), None)
    if known is None:
        known = _Expansions(fixtures)
        _expansions.insert(0, known)
        del _expansions[8:]
    return known.value(name)


def resolve(
    value: Any,
    fixtures: Mapping[str, Any],
    results: Mapping[str, Any],
) -> Any:
    """Replace every reference tag in value, innermost first.

    `results` maps a step name to its observation; a step that raised or was
    not run makes any reference to it fail with UnresolvedReference. Member
    names inside `$object` and `$partial` are literal: only their values are
    walked.
    """
    tag = tag_of(value)
    if tag == "$fixture":
        return _fixture_value(fixtures, value[tag])
    if tag == "$ref":
        name, _, pointer = value[tag].partition("#")
        if name not in results:
            raise UnresolvedReference(f"no earlier step is named {name!r}")
        observation = results[name]
        if "result" not in observation:
            why = f"raised {observation['error']}" if "error" in observation else "was not run"
            raise UnresolvedReference(f"step {name!r} {why}, so there is no result to refer to")
        try:
            return resolve_pointer(observation["result"], pointer)
        except KeyError:
            raise UnresolvedReference(f"the result of step {name!r} has nothing at {pointer!r}") from None
    if tag == "$merge":
        merged: Any = {}
        for part in value[tag]:
            merged = merge(merged, resolve(part, fixtures, results))
        return merged
    if tag in LITERAL_NAME_TAGS and isinstance(value[tag], dict):
        return {tag: {key: resolve(item, fixtures, results) for key, item in value[tag].items()}}
    if isinstance(value, dict):
        return {key: resolve(item, fixtures, results) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, fixtures, results) for item in value]
    return value
