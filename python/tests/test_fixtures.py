"""Fixtures that use fixtures (spec/README.md 2.2): measured once by the lint, expanded once at run time."""

from __future__ import annotations

import re
from typing import Any

import pytest

from checkpoint_spec.fixtures import MAX_FIXTURE_VALUES, measure_fixtures
from checkpoint_spec.references import UnresolvedReference, resolve


def name(i: int) -> str:
    return f"f{i:05d}"


def chain(length: int) -> dict[str, Any]:
    fixtures: dict[str, Any] = {name(i): {"$fixture": name(i + 1)} for i in range(length - 1)}
    fixtures[name(length - 1)] = "end"
    return fixtures


def doubling(length: int) -> dict[str, Any]:
    fixtures: dict[str, Any] = {name(length - 1): "x"}
    for i in range(length - 1):
        fixtures[name(i)] = [{"$fixture": name(i + 1)}, {"$fixture": name(i + 1)}]
    return fixtures


def test_a_chain_of_50000_fixtures_without_recursion() -> None:
    measures = measure_fixtures(chain(50_000))
    assert measures.problems == []
    assert measures.measured[name(0)] == (0, 1)


def test_fixtures_that_each_use_the_next_twice_are_counted_not_expanded() -> None:
    measures = measure_fixtures(doubling(1000))
    assert measures.measured[name(0)][1] == MAX_FIXTURE_VALUES + 1
    assert len(measures.problems) == 1000 - 16


def test_a_cycle_is_reported_where_the_walk_reaches_a_fixture_again() -> None:
    fixtures = {"a": [{"$fixture": "b"}, {"$fixture": "c"}], "b": [{"$fixture": "c"}], "c": [{"$fixture": "b"}]}
    assert measure_fixtures(fixtures).problems == [("b", "fixture-cycle", "fixture refers to itself: b -> c -> b")]


def test_a_chain_of_20000_fixtures_resolves_without_overflowing_the_stack() -> None:
    assert resolve({"$fixture": name(0)}, chain(20_000), {}) == "end"


def test_each_fixture_is_expanded_once_and_shared() -> None:
    fixtures = doubling(16)
    first = resolve({"$fixture": name(0)}, fixtures, {})
    assert resolve([{"$fixture": name(0)}], fixtures, {})[0] is first


def _deep(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("fixtures", "first", "message"),
    [
        ({"a": {"x": {"$fixture": "b"}}, "b": [{"$fixture": "a"}]}, "a", r"^fixture refers to itself: a -> b -> a$"),
        (doubling(40), name(0), r"expanded, is beyond 100 deep or 100000 values"),
        ({"a": _deep(5000)}, "a", r"expanded, is beyond 100 deep"),
        ({"a": 1}, "b", r"^no fixture named 'b'$"),
    ],
    ids=["cycle", "too many values", "too deep", "unknown"],
)
def test_fixtures_that_did_not_pass_the_lint_fail_the_reference_not_the_run(
    fixtures: dict[str, Any], first: str, message: str
) -> None:
    with pytest.raises(UnresolvedReference, match=re.compile(message)):
        resolve({"$fixture": first}, fixtures, {})
