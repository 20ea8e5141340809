"""Every difference between two observations, and causes as rules that explain them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.loading import Case, Step
from checkpoint_spec.parity.differences import CaseComparison, Difference, observation_differences
from checkpoint_spec.parity.registry import Cause, Registry, Rule, Side, look_matches, pointer_matches


def places(a: object, b: object, pattern: object = None) -> list[tuple[str, tuple[str, str]]]:
    from checkpoint_spec.parity.differences import NO_PATTERN

    found = observation_differences(
        0, "get_tuple", {"result": a}, {"result": b}, NO_PATTERN if pattern is None else pattern
    )
    return [(d.at, d.looks) for d in found]


def test_numbers_compare_by_value_and_errors_by_category_only() -> None:
    assert places(1, 1.0) == []
    same = observation_differences(0, "put", {"error": "other", "detail": "a"}, {"error": "other", "detail": "b"})
    assert same == []
    (found,) = observation_differences(
        0, "put", {"error": "other", "detail": "a"}, {"error": "missing_key", "detail": "a"}
    )
    assert (found.at, found.looks) == ("", ("error:other", "error:missing_key"))
    (found,) = observation_differences(0, "put", {"result": None}, {"not_run": "x"})
    assert found.looks == ("null", "not_run")


def test_every_place_two_results_part_is_named_with_its_full_pointer() -> None:
    a = {"checkpoint": {"id": "1", "updated_channels": None, "v": 1}, "items": [1, 2], "w": {"$tuple": [1, "x"]}}
    b = {"checkpoint": {"id": "1", "v": "1"}, "items": [1, 3, 4], "extra": True, "w": {"$tuple": [2, "x"]}}
    assert places(a, b) == [
        ("/checkpoint/updated_channels", ("null", "absent")),
        ("/checkpoint/v", ("number", "string")),
        ("/items/1", ("number", "number")),
        ("/items/2", ("absent", "number")),
        ("/w/$tuple/0", ("number", "number")),
        ("/extra", ("absent", "boolean")),
    ]


def test_members_outside_a_partial_are_compared_under_their_parent() -> None:
    pattern = {"$partial": {"checkpoint": {"$partial": {"id": "1"}}}}
    a = {"checkpoint": {"id": "1", "updated_channels": None}}
    b = {"checkpoint": {"id": "1"}}
    assert places(a, b, pattern) == [("/checkpoint/updated_channels", ("null", "absent"))]


def test_values_the_case_leaves_open_are_never_compared_even_when_one_side_misses() -> None:
    pattern = {"v": {"$regex": "v.*"}, "n": {"$type": "integer"}, "r": {"$ref": "saved"}, "a": {"$any": True}}
    a = {"v": "v1", "n": 1, "r": "x", "a": 1}
    b = {"v": "nope", "n": "one", "r": "y", "a": [2]}
    assert places(a, b, pattern) == []
    assert places({"v": "v1"}, {}, {"$partial": {"v": {"$regex": "v.*"}}}) == []


def test_a_ref_leaves_open_only_the_value_it_names() -> None:
    pattern = {"config": {"$ref": "saved"}, "v": 1}
    assert places({"config": "x", "v": 1}, {"config": "y", "v": 2}, pattern) == [("/v", ("number", "number"))]


def test_an_unordered_array_compares_as_a_multiset() -> None:
    assert places([1, 2, 2], [2, 1, 2], {"$unordered": [1, 2, 2]}) == []
    assert places([1, 2], [2, 3], {"$unordered": [1, 2]}) != []


def test_object_payloads_are_walked_with_literal_member_names() -> None:
    a = {"v": {"$object": {"$y": {"$object": {"$z": "w"}}}}}
    assert places(a, a) == []
    b = {"v": {"$object": {"$y": {"$object": {"$z": "q"}}}}}
    assert places(a, b) == [("/v/$object/$y/$object/$z", ("string", "string"))]


def test_generated_results_with_no_expectation_compare_by_kind() -> None:
    steps = (Step(0, "get_next_version", {"current": None}, None, None),)
    comparison = CaseComparison(Case("v", "v", "get_next_version", (), steps, Path("<t>"), ""), {})

    def run(value: object) -> list[dict[str, Any]]:
        return [{"index": 0, "observation": {"result": value}, "problem": None}]

    assert comparison.differences(run("00000001.5"), run("00000001.7")) == []
    (found,) = comparison.differences(run("00000001.5"), run(1))
    assert found.looks == ("string", "number") and found.op == "get_next_version"


@pytest.mark.parametrize(
    ("pattern", "pointer", "matches"),
    [
        ("", "", True),
        ("", "/a", False),
        ("/a/*", "/a/b", True),
        ("/a/*", "/a/b/c", False),
        ("/*/checkpoint/*", "/3/checkpoint/updated_channels", True),
        ("/a/**", "/a", True),
        ("/a/**", "/a/b/c", True),
        ("/**/x", "/a/b/x", True),
        ("/**/x", "/a/b/y", False),
        ("/a~1b", "/a~1b", True),
    ],
)
def test_pointer_patterns(pattern: str, pointer: str, matches: bool) -> None:
    assert pointer_matches(pattern, pointer) is matches


def test_looks() -> None:
    assert look_matches("present", "object") and look_matches("present", "$datetime")
    assert not look_matches("present", "absent") and not look_matches("present", "error:other")
    assert look_matches("error", "error:missing_key") and not look_matches("error", "not_run")
    assert look_matches("string", "string") and not look_matches("string", "number")


def _registry(*rules: Rule, between: tuple[Side, Side] = (Side("python"), Side("typescript"))) -> Registry:
    cause = Cause("drops", "Drops keys.", between, ("memory",), rules)
    return Registry(Path("registry.json"), {"drops": cause})


DROPPED = Difference(2, "get_tuple", "/checkpoint/updated_channels", ("null", "absent"), ("null", "nothing"))


def test_a_rule_explains_a_difference_by_operation_place_looks_family_and_side() -> None:
    registry = _registry(Rule(("/checkpoint/*",), ("present",), ("absent",), ("get_tuple",)))
    py, ts = ("py-memory", "python"), ("js-memory", "typescript")
    assert registry.explaining("c", "memory", py, ts, DROPPED) == [("drops", 0)]
    # The other way round the looks are swapped with the sides.
    swapped = Difference(2, "get_tuple", "/checkpoint/updated_channels", ("absent", "null"), ("nothing", "null"))
    assert registry.explaining("c", "memory", ts, py, swapped) == [("drops", 0)]
    assert registry.explaining("c", "sqlite", py, ts, DROPPED) == []  # another family
    assert registry.explaining("c", "memory", py, ("other-py", "python"), DROPPED) == []  # not between its sides
    assert registry.explaining("c", "memory", ts, py, DROPPED) == []  # present on the wrong side
    other_op = Difference(2, "list", DROPPED.at, DROPPED.looks, DROPPED.shown)
    assert registry.explaining("c", "memory", py, ts, other_op) == []


def test_a_rule_narrowed_to_cases_explains_only_those() -> None:
    registry = _registry(Rule(("/checkpoint/*",), ("present",), ("absent",), cases=("put-*",)))
    py, ts = ("py-memory", "python"), ("js-memory", "typescript")
    assert registry.explaining("put-keeps", "memory", py, ts, DROPPED) == [("drops", 0)]
    assert registry.explaining("list-keeps", "memory", py, ts, DROPPED) == []


def test_sides_may_name_targets() -> None:
    registry = _registry(
        Rule(("/checkpoint/*",), ("present",), ("absent",)),
        between=(Side(targets=("py-sqlite",)), Side(targets=("py-sqlite-async", "js-sqlite"))),
    )
    first, second = ("py-sqlite", "python"), ("py-sqlite-async", "python")
    assert registry.explaining("c", "memory", first, second, DROPPED) == [("drops", 0)]
    assert registry.explaining("c", "memory", second, ("js-sqlite", "typescript"), DROPPED) == []
