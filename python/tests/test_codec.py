from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

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
