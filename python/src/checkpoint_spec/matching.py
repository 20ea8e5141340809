"""Matching an observed canonical value against a pattern (spec/README.md section 5)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .codec import MATCHER_TAGS, TYPED_TAGS, CodecError, decode, tag_of
from .regex_subset import full_match


@dataclass(frozen=True)
class Mismatch:
    """One place where a value and its pattern part: where, why (for people) and the mark's kind (5.1)."""

    pointer: str
    reason: str
    kind: str = "value"


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


def _same_typed(tag: str, pattern: Any, value: Any, pointer: str) -> list[Mismatch]:
    if tag_of(value) != tag:
        return [Mismatch(pointer, f"expected a {tag} value, observed {_type_name(value)}", "type")]
    want, got = pattern[tag], value[tag]
    inner = _child(pointer, tag)
    if tag == "$tuple":
        return marks(want, got, inner)
    if tag == "$object":
        # Member names here are literal, even those that would read as tags.
        return _members(want, got, inner, partial=False, literal=True)
    if tag == "$datetime":
        want_at, got_at = _instant(want), _instant(got)
        if want_at is not None and got_at is not None:
            return [] if want_at == got_at else [Mismatch(pointer, f"datetime {got} is not {want}", "value")]
    return [] if want == got else [Mismatch(pointer, f"{tag} {_show(got)} is not {_show(want)}", "value")]


def _numeric(value: Any) -> int | float | None:
    """The number a value denotes, plain or typed (`$int`, `$float`); None for anything else (booleans too)."""
    if _is_number(value):
        return value  # type: ignore[no-any-return]
    tag = tag_of(value)
    if tag in ("$int", "$float"):
        try:
            return decode(value)  # type: ignore[no-any-return]
        except CodecError:
            return None
    return None


def _compare_gt(value: Any, bound: Any) -> bool:
    number, limit = _numeric(value), _numeric(bound)
    if number is not None and limit is not None:
        # Exact across int and float; nothing is greater than NaN, and NaN is greater than nothing.
        return number > limit
    if isinstance(value, str) and isinstance(bound, str):
        return value > bound
    return False


def _unordered(patterns: list[Any], values: list[Any], pointer: str) -> list[Mismatch]:
    if not isinstance(values, list):
        return [Mismatch(pointer, f"expected an array, observed {_type_name(values)}", "type")]
    if len(values) != len(patterns):
        return [Mismatch(pointer, f"expected {len(patterns)} items, observed {len(values)}", "value")]
    fits = [[match(p, v) is None for v in values] for p in patterns]
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
            return [Mismatch(pointer, f"no item matches pattern {index} in any order", "value")]
    return []


def kind(value: Any) -> str:
    """A value's kind (spec/README.md 5.1): its tag for a typed value, else its JSON type."""
    tag = tag_of(value)
    if tag in TYPED_TAGS:
        return tag
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if _is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def match(pattern: Any, value: Any, pointer: str = "") -> Mismatch | None:
    """None when value matches pattern, else the first place they part."""
    found = marks(pattern, value, pointer)
    return found[0] if found else None


def marks(pattern: Any, value: Any, pointer: str = "") -> list[Mismatch]:
    """Every place where value and pattern part (spec/README.md 5.1), in the order the rules give."""
    tag = tag_of(pattern)
    if tag in MATCHER_TAGS:
        return _matcher_marks(tag, pattern[tag], value, pointer)
    if tag in TYPED_TAGS:
        return _same_typed(tag, pattern, value, pointer)
    if tag_of(value) in TYPED_TAGS:
        return [Mismatch(pointer, f"expected {_show(pattern)}, observed {_show(value)}", "type")]
    if pattern is None or isinstance(pattern, (bool, str, int, float)):
        return _scalar_marks(pattern, value, pointer)
    if isinstance(pattern, list):
        return _array_marks(pattern, value, pointer)
    return _members(pattern, value, pointer, partial=False)


def _matcher_marks(tag: str, arg: Any, value: Any, pointer: str) -> list[Mismatch]:
    """The marks of a matcher pattern {tag: arg}."""
    if tag == "$any":
        return []
    if tag == "$type":
        if _has_type(value, arg):
            return []
        return [Mismatch(pointer, f"expected type {arg}, observed {_type_name(value)}", "type")]
    if tag == "$regex":
        if isinstance(value, str) and full_match(arg, value):
            return []
        return [Mismatch(pointer, f"{_show(value)} does not match /{arg}/", "value")]
    if tag == "$gt":
        if _compare_gt(value, arg):
            return []
        return [Mismatch(pointer, f"{_show(value)} is not greater than {_show(arg)}", "value")]
    if tag == "$not":
        if match(arg, value) is None:
            return [Mismatch(pointer, f"{_show(value)} matches what it must not", "value")]
        return []
    if tag == "$partial":
        return _members(arg, value, pointer, partial=True)
    return _unordered(arg, value, pointer)


def _scalar_marks(pattern: Any, value: Any, pointer: str) -> list[Mismatch]:
    """The marks of a null, boolean, number or string pattern: a number matches a number of the same value."""
    if _is_number(pattern):
        same = _is_number(value) and pattern == value
    else:
        same = type(value) is type(pattern) and value == pattern
    if same:
        return []
    found_kind = "value" if kind(value) == kind(pattern) else "type"
    return [Mismatch(pointer, f"expected {_show(pattern)}, observed {_show(value)}", found_kind)]


def _array_marks(pattern: list[Any], value: Any, pointer: str) -> list[Mismatch]:
    """The marks of an array pattern: item by item, then the missing items, then the extra ones."""
    if not isinstance(value, list):
        return [Mismatch(pointer, f"expected an array, observed {_type_name(value)}", "type")]
    found: list[Mismatch] = []
    for index, (want, got) in enumerate(zip(pattern, value, strict=False)):
        found.extend(marks(want, got, _child(pointer, index)))
    for index in range(len(value), len(pattern)):
        found.append(Mismatch(_child(pointer, index), f"missing (expected {len(pattern)} items)", "missing"))
    for index in range(len(pattern), len(value)):
        found.append(Mismatch(_child(pointer, index), f"unexpected item (expected {len(pattern)})", "extra"))
    return found


def _members(
    pattern: dict[str, Any], value: Any, pointer: str, *, partial: bool, literal: bool = False
) -> list[Mismatch]:
    if not isinstance(value, dict) or (tag_of(value) is not None and not literal):
        return [Mismatch(pointer, f"expected an object, observed {_type_name(value)}", "type")]
    found: list[Mismatch] = []
    # One walk over the names in code point order (5.1), so the first mark is the same in every language.
    names = set(pattern) if partial else set(pattern) | set(value)
    for key in sorted(names):
        if key not in pattern:
            found.append(Mismatch(_child(pointer, key), "unexpected member", "extra"))
        elif key not in value:
            found.append(Mismatch(_child(pointer, key), "missing", "missing"))
        else:
            found.extend(marks(pattern[key], value[key], _child(pointer, key)))
    return found
