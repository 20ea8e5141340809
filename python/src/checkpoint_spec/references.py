"""Resolution of `$fixture`, `$ref` and `$merge` (spec/README.md section 2.2)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .codec import tag_of

# RFC 6901: an array index is ASCII digits without a leading zero.
_INDEX = re.compile("0|[1-9][0-9]*", re.ASCII)


class UnresolvedReference(Exception):
    """A reference that cannot be resolved at run time."""


def resolve_pointer(document: Any, pointer: str) -> Any:
    """RFC 6901 lookup; raises KeyError naming the part that is missing."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise KeyError(pointer)
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
    if isinstance(left, dict) and isinstance(right, dict) and tag_of(left) is None and tag_of(right) is None:
        merged = dict(left)
        for key, value in right.items():
            merged[key] = merge(merged[key], value) if key in merged else value
        return merged
    return right


def resolve(
    value: Any,
    fixtures: Mapping[str, Any],
    results: Mapping[str, Any],
) -> Any:
    """Replace every reference tag in value.

    `results` maps a step name to its observation; a step that raised makes
    any reference to it fail with UnresolvedReference.
    """
    tag = tag_of(value)
    if tag == "$fixture":
        return resolve(fixtures[value[tag]], fixtures, results)
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
    if isinstance(value, dict):
        return {key: resolve(item, fixtures, results) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, fixtures, results) for item in value]
    return value
