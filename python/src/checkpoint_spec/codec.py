"""The typed-value codec of spec/README.md section 2.1.

Encoding turns a native value into its single canonical JSON spelling;
decoding turns case JSON (already free of references) into native values.
"""

from __future__ import annotations

import base64
import math
import re
from datetime import date, datetime
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1

TYPED_TAGS = frozenset({"$bytes", "$int", "$float", "$datetime", "$tuple", "$object", "$opaque"})
REFERENCE_TAGS = frozenset({"$fixture", "$ref", "$merge"})
MATCHER_TAGS = frozenset({"$any", "$type", "$regex", "$gt", "$not", "$partial", "$unordered"})
ALL_TAGS = TYPED_TAGS | REFERENCE_TAGS | MATCHER_TAGS
# Tags whose payload is an object with literal member names: never read as a tag, `$` names allowed.
LITERAL_NAME_TAGS = frozenset({"$object", "$partial"})

# spec/README.md section 2.1: the one $datetime spelling, and $int text.
_DATETIME_TEXT = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(:(?P<second>[0-9]{2})(\.[0-9]{1,6})?)?(Z|[+-](?P<off_hour>[0-9]{2}):(?P<off_minute>[0-9]{2}))",
    re.ASCII,
)
INT_TEXT = re.compile(r"-?(0|[1-9][0-9]{0,999})", re.ASCII)


def is_datetime_text(text: str) -> bool:
    """Whether text is $datetime text: the form, a real calendar date and time, an offset under 24 hours."""
    form = _DATETIME_TEXT.fullmatch(text)
    if form is None:
        return False
    limits = {"hour": 23, "minute": 59, "second": 59, "off_hour": 23, "off_minute": 59}
    if any(form[part] is not None and int(form[part]) > limit for part, limit in limits.items()):
        return False
    try:
        date.fromisoformat(form["date"])
    except ValueError:
        return False
    return True


_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0.0": -0.0}


def tag_of(value: Any) -> str | None:
    """The tag name when value is a tag object (one member, named with `$`)."""
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        if isinstance(key, str) and key.startswith("$"):
            return key
    return None


class CodecError(ValueError):
    """A tagged value whose payload is malformed."""


def decode(value: Any) -> Any:
    """Case JSON to a native Python value."""
    tag = tag_of(value)
    if tag is not None:
        return _decode_tagged(tag, value[tag])
    if isinstance(value, dict):
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, float) and value == 0.0:
        # A plain number is never negative zero (JSON has no such integer); that is {"$float": "-0.0"}.
        return 0.0
    return value


def _decode_tagged(tag: str, payload: Any) -> Any:
    """The native value of the tag object {tag: payload}."""
    if tag in ("$bytes", "$int", "$float", "$datetime"):
        return _decode_literal(tag, payload)
    if tag == "$tuple":
        return tuple(decode(item) for item in payload)
    if tag == "$object":
        return {key: decode(item) for key, item in payload.items()}
    raise CodecError(f"{tag} cannot be decoded into an argument")


def _decode_literal(tag: str, payload: Any) -> Any:
    """The native value of a $bytes, $int, $float or $datetime payload."""
    if tag == "$bytes":
        return base64.b64decode(payload, validate=True)
    if tag == "$int":
        if not isinstance(payload, str) or not INT_TEXT.fullmatch(payload):
            raise CodecError(f"$int takes decimal text of at most 1000 digits, not {payload!r:.60}")
        return int(payload)
    if tag == "$float":
        if payload not in _SPECIAL_FLOATS:
            raise CodecError(f"$float takes NaN, Infinity, -Infinity or -0.0, not {payload!r}")
        return _SPECIAL_FLOATS[payload]
    if not isinstance(payload, str) or not is_datetime_text(payload):
        raise CodecError(f"$datetime takes ISO 8601 text with a UTC offset, not {payload!r:.60}")
    return datetime.fromisoformat(payload)


def encode(value: Any) -> Any:
    """A native Python value to its canonical JSON spelling (the dispatch table of section 2.1).

    Subclasses of the listed types encode as their base type, as the exact base type,
    so that an IntEnum is a number and a StrEnum a string.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return _encode_int(int.__int__(value))
    if isinstance(value, float):
        return _encode_float(value)
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime):
        # isoformat(): six fraction digits, none when the microsecond is 0; no offset when naive.
        return {"$datetime": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return _encode_mapping(value)
    return {"$opaque": type(value).__name__}


def _encode_int(number: int) -> Any:
    if -MAX_SAFE_INTEGER <= number <= MAX_SAFE_INTEGER:
        return number
    return {"$int": str(number)}


def _encode_float(value: float) -> Any:
    if math.isnan(value):
        return {"$float": "NaN"}
    if math.isinf(value):
        return {"$float": "Infinity" if value > 0 else "-Infinity"}
    if value == 0.0 and math.copysign(1.0, value) < 0:
        return {"$float": "-0.0"}
    return float.__float__(value)


def _encode_mapping(value: dict[Any, Any]) -> Any:
    if not all(isinstance(key, str) for key in value):
        return {"$opaque": type(value).__name__}
    encoded = {str.__str__(key): encode(item) for key, item in value.items()}
    if any(key.startswith("$") for key in encoded):
        return {"$object": encoded}
    return encoded
