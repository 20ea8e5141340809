"""Matching an observed canonical value against a pattern (spec/README.md section 5)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .codec import MATCHER_TAGS, TYPED_TAGS, tag_of


@dataclass(frozen=True)
class Mismatch:
    pointer: str
    reason: str


# spec/README.md section 2.3: \d and \w are ASCII, and . matches any character,
# as with ECMAScript's "su" flags.
REGEX_FLAGS = re.ASCII | re.DOTALL
_REGEX_ESCAPES = frozenset("dDwWnrt\\.[](){}*+?|^$/")
_QUANTIFIER = re.compile(r"\{[0-9]+(,[0-9]*)?\}")


def regex_problem(pattern: str) -> str | None:
    """Why pattern is outside the subset of spec/README.md section 2.3, or None."""
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if escaped not in _REGEX_ESCAPES or not escaped:
                return f"the escape \\{escaped} is not in the common subset"
            index += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            elif char == "[":
                return "a [ inside a character class must be escaped"
        elif char == "[":
            if pattern[index + 1 : index + 2] == "]" or pattern[index + 1 : index + 3] == "^]":
                return "an empty character class, or one starting with ], is not in the common subset"
            in_class = True
        elif char == "(" and pattern.startswith("(?", index) and not pattern.startswith("(?:", index):
            return "only plain ( ) and (?: ) groups are in the common subset"
        elif char == "{":
            quantifier = _QUANTIFIER.match(pattern, index)
            if quantifier is None:
                return "a { that does not start a {n}, {n,} or {n,m} quantifier must be escaped"
            index = quantifier.end()
            continue
        elif char in "}]":
            return f"a lone {char} must be escaped"
        index += 1
    return "a character class is not closed" if in_class else None


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _child(pointer: str, key: str | int) -> str:
    return f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_name(value: Any) -> str:
    tag = tag_of(value)
    if tag in TYPED_TAGS:
        return {
            "$bytes": "bytes",
            "$int": "integer",
            "$float": "number",
            "$datetime": "datetime",
            "$tuple": "tuple",
            "$object": "object",
            "$opaque": "opaque",
        }[tag]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if _is_number(value):
        return "integer" if float(value).is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _has_type(value: Any, wanted: str) -> bool:
    actual = _type_name(value)
    if wanted == "number":
        return actual in ("integer", "number")
    return actual == wanted


def _instant(text: Any) -> datetime | None:
    """The instant a $datetime text denotes; None (compare as text) when it has no offset or is malformed."""
    try:
        parsed = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else None


def _same_typed(tag: str, pattern: Any, value: Any, pointer: str) -> Mismatch | None:
    if tag_of(value) != tag:
        return Mismatch(pointer, f"expected a {tag} value, observed {_type_name(value)}")
    want, got = pattern[tag], value[tag]
    if tag == "$datetime":
        want_at, got_at = _instant(want), _instant(got)
        if want_at is not None and got_at is not None:
            return None if want_at == got_at else Mismatch(pointer, f"datetime {got} is not {want}")
    if tag == "$tuple":
        return match(want, got, pointer)
    if tag == "$object":
        # Member names here are literal, even those that would read as tags.
        return _members(want, got, pointer, partial=False, literal=True)
    return None if want == got else Mismatch(pointer, f"{tag} {_show(got)} is not {_show(want)}")


def _compare_gt(value: Any, bound: Any) -> bool:
    if _is_number(value) and _is_number(bound):
        return bool(value > bound)
    if isinstance(value, str) and isinstance(bound, str):
        return value > bound
    return False


def _unordered(patterns: list[Any], values: list[Any], pointer: str) -> Mismatch | None:
    if not isinstance(values, list):
        return Mismatch(pointer, f"expected an array, observed {_type_name(values)}")
    if len(values) != len(patterns):
        return Mismatch(pointer, f"expected {len(patterns)} items, observed {len(values)}")
    fits = [[match(p, v, "") is None for v in values] for p in patterns]
    taken: dict[int, int] = {}

    def assign(index: int, seen: set[int]) -> bool:
        # Augmenting path for a bipartite matching: patterns to values.
        for slot, ok in enumerate(fits[index]):
            if ok and slot not in seen:
                seen.add(slot)
                if slot not in taken or assign(taken[slot], seen):
                    taken[slot] = index
                    return True
        return False

    for index in range(len(patterns)):
        if not assign(index, set()):
            return Mismatch(pointer, f"no item matches pattern {index} in any order")
    return None


def match(pattern: Any, value: Any, pointer: str = "") -> Mismatch | None:
    """None when value matches pattern, else the first place they part."""
    tag = tag_of(pattern)
    if tag in MATCHER_TAGS:
        arg = pattern[tag]
        if tag == "$any":
            return None
        if tag == "$type":
            return (
                None
                if _has_type(value, arg)
                else Mismatch(pointer, f"expected type {arg}, observed {_type_name(value)}")
            )
        if tag == "$regex":
            if isinstance(value, str) and re.fullmatch(arg, value, REGEX_FLAGS) is not None:
                return None
            return Mismatch(pointer, f"{_show(value)} does not match /{arg}/")
        if tag == "$gt":
            return (
                None
                if _compare_gt(value, arg)
                else Mismatch(pointer, f"{_show(value)} is not greater than {_show(arg)}")
            )
        if tag == "$not":
            return (
                Mismatch(pointer, f"{_show(value)} matches what it must not")
                if match(arg, value, pointer) is None
                else None
            )
        if tag == "$partial":
            return _members(arg, value, pointer, partial=True)
        return _unordered(arg, value, pointer)
    if tag in TYPED_TAGS:
        return _same_typed(tag, pattern, value, pointer)
    if tag_of(value) in TYPED_TAGS:
        return Mismatch(pointer, f"expected {_show(pattern)}, observed {_show(value)}")
    if _is_number(pattern):
        if _is_number(value) and pattern == value:
            return None
        return Mismatch(pointer, f"expected {_show(pattern)}, observed {_show(value)}")
    if pattern is None or isinstance(pattern, (bool, str)):
        if type(value) is type(pattern) and value == pattern:
            return None
        return Mismatch(pointer, f"expected {_show(pattern)}, observed {_show(value)}")
    if isinstance(pattern, list):
        if not isinstance(value, list):
            return Mismatch(pointer, f"expected an array, observed {_type_name(value)}")
        if len(value) != len(pattern):
            return Mismatch(pointer, f"expected {len(pattern)} items, observed {len(value)}")
        for index, (want, got) in enumerate(zip(pattern, value, strict=True)):
            found = match(want, got, _child(pointer, index))
            if found is not None:
                return found
        return None
    return _members(pattern, value, pointer, partial=False)


def _members(
    pattern: dict[str, Any], value: Any, pointer: str, *, partial: bool, literal: bool = False
) -> Mismatch | None:
    if not isinstance(value, dict) or (tag_of(value) is not None and not literal):
        return Mismatch(pointer, f"expected an object, observed {_type_name(value)}")
    for key, want in pattern.items():
        if key not in value:
            return Mismatch(_child(pointer, key), "missing")
        found = match(want, value[key], _child(pointer, key))
        if found is not None:
            return found
    if not partial:
        extra = sorted(set(value) - set(pattern))
        if extra:
            return Mismatch(_child(pointer, extra[0]), "unexpected member")
    return None
