from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from hypothesis import given
from hypothesis import strategies as st

from checkpoint_spec.codec import MAX_SAFE_INTEGER, decode, encode

native_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.binary()
    | st.datetimes(timezones=st.just(UTC))
)
native_values = st.recursive(
    native_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and bool(a == b)


@given(native_values)
def test_decode_inverts_encode(value: Any) -> None:
    assert same(decode(encode(value)), value)


@given(native_values)
def test_encoding_is_canonical(value: Any) -> None:
    once = encode(value)
    assert encode(decode(once)) == once


def test_integer_boundaries() -> None:
    assert encode(MAX_SAFE_INTEGER) == MAX_SAFE_INTEGER
    assert encode(MAX_SAFE_INTEGER + 1) == {"$int": str(MAX_SAFE_INTEGER + 1)}
    assert encode(-MAX_SAFE_INTEGER - 1) == {"$int": str(-MAX_SAFE_INTEGER - 1)}


def test_dollar_members_are_wrapped() -> None:
    assert encode({"$x": b"hi"}) == {"$object": {"$x": {"$bytes": "aGk="}}}
    assert decode({"$object": {"$x": {"$bytes": "aGk="}}}) == {"$x": b"hi"}


def test_unknown_types_are_opaque() -> None:
    assert encode({1: "a"}) == {"$opaque": "dict"}
    assert encode({1, 2}) == {"$opaque": "set"}


def test_datetime_keeps_its_offset() -> None:
    moment = datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    assert encode(moment) == {"$datetime": "2024-01-01T12:00:00+02:00"}


def test_references_to_unknown_steps_are_unresolved() -> None:
    from checkpoint_spec.references import UnresolvedReference, resolve

    try:
        resolve({"$ref": "nobody#/x"}, {}, {})
    except UnresolvedReference as exc:
        assert "no earlier step is named 'nobody'" in str(exc)
    else:
        raise AssertionError("resolve accepted a reference to an unknown step")


def test_malformed_observed_datetime_compares_as_text() -> None:
    from checkpoint_spec.matching import match

    assert match({"$datetime": "2024-01-01T00:00:00+00:00"}, {"$datetime": "garbage"}) is not None
    assert match({"$datetime": "garbage"}, {"$datetime": "garbage"}) is None


class _Color(enum.StrEnum):
    RED = "red"


class _Size(enum.IntEnum):
    HUGE = 2**60
    ONE = 1


class _Point(NamedTuple):
    x: int
    y: int


class _Thing:
    pass


def test_subclasses_encode_as_their_exact_base_type() -> None:
    encoded = encode({_Color.RED: [_Color.RED, _Size.ONE, _Size.HUGE, _Point(1, 2)], "d": OrderedDict(a=1.5)})
    assert encoded == {"red": ["red", 1, {"$int": str(2**60)}, {"$tuple": [1, 2]}], "d": {"a": 1.5}}
    assert [type(key) for key in encoded] == [str, str]
    assert [type(item) for item in encoded["red"][:2]] == [str, int]


def test_booleans_are_not_numbers() -> None:
    assert [type(item) for item in encode([True, 1, False, 0])] == [bool, int, bool, int]


def test_the_dispatch_table_of_section_2_1() -> None:
    assert encode(bytearray(b"hi")) == {"$bytes": "aGk="}
    assert encode(memoryview(b"hi")) == {"$opaque": "memoryview"}
    assert encode(date(2024, 1, 1)) == {"$opaque": "date"}
    assert encode(time(12)) == {"$opaque": "time"}
    assert encode(frozenset()) == {"$opaque": "frozenset"}
    assert encode(MappingProxyType({"a": 1})) == {"$opaque": "mappingproxy"}
    assert encode(Decimal("1.5")) == {"$opaque": "Decimal"}
    assert encode(_Thing()) == {"$opaque": "_Thing"}
    assert encode(OrderedDict([(1, "a")])) == {"$opaque": "OrderedDict"}


def test_datetimes_are_written_by_isoformat() -> None:
    assert encode(datetime(2024, 1, 1, 12, tzinfo=UTC)) == {"$datetime": "2024-01-01T12:00:00+00:00"}
    assert encode(datetime(2024, 1, 1, 12, 0, 0, 500000, tzinfo=UTC)) == {
        "$datetime": "2024-01-01T12:00:00.500000+00:00"
    }
    assert encode(datetime(2024, 1, 1, 12)) == {"$datetime": "2024-01-01T12:00:00"}


def test_plain_numbers_decode_by_how_they_are_written() -> None:
    decoded = decode(json.loads("[3, -0, -0.0, 2.0, 1e300]"))
    assert [type(item) for item in decoded] == [int, int, float, float, float]
    assert decoded == [3, 0, 0.0, 2.0, 1e300]
    assert math.copysign(1.0, decoded[2]) == 1.0
    assert math.copysign(1.0, decode({"$float": "-0.0"})) == -1.0
