"""Comparing targets: matcher equality, generated values, errors by category only."""

from __future__ import annotations

from typing import Any

from checkpoint_spec.parity.comparison import CaseComparison, observation_difference, value_difference
from checkpoint_spec.parity.model import TargetRun

from .conftest import SPEC


def test_numbers_compare_by_value_and_errors_by_category() -> None:
    assert observation_difference({"result": 1}, {"result": 1.0}) is None
    assert observation_difference({"error": "other", "detail": "a"}, {"error": "other", "detail": "b"}) is None
    assert observation_difference({"error": "other", "detail": "a"}, {"error": "missing_key", "detail": "a"}) == (
        "",
        "raised other | raised missing_key",
    )
    assert observation_difference({"result": None}, {"error": "other", "detail": "x"}) is not None


def test_the_first_place_two_results_part_is_named() -> None:
    found = observation_difference({"result": {"a": [1, 2]}}, {"result": {"a": [1, 3]}})
    assert found == ("/a/1", "2 | 3")
    assert observation_difference({"result": {"a": 1}}, {"result": {"a": 1, "b": 2}}) is not None
    same_instant = ({"$datetime": "2024-05-01T12:00:00+00:00"}, {"$datetime": "2024-05-01T14:00:00+02:00"})
    assert observation_difference({"result": same_instant[0]}, {"result": same_instant[1]}) is None


def test_values_the_case_leaves_open_are_not_compared() -> None:
    assert value_difference({"$regex": "v.*"}, "v1", "v2") is None
    assert value_difference({"$regex": "v.*"}, "v1", "x") is not None
    assert value_difference({"$regex": "v.*"}, "x", "v1") is not None
    assert value_difference({"$partial": {"id": {"$type": "string"}}}, {"id": "a", "k": 1}, {"id": "b", "k": 1}) is None
    # Members outside $partial are still compared.
    assert value_difference({"$partial": {}}, {"k": 1}, {"k": 2}) is not None
    assert value_difference({"$unordered": [1, 2]}, [1, 2], [2, 1]) is None
    assert value_difference({"$unordered": [1, 2]}, [1, 2], [2, 2]) is not None


def run(target: str, *observations: dict[str, Any], problem: str | None = None) -> TargetRun:
    steps = [{"index": i, "observation": o, "problem": problem} for i, o in enumerate(observations)]
    return TargetRun(target, "passed" if problem is None else "failed", None, steps)


def test_generated_results_with_no_expectation_compare_by_type() -> None:
    from checkpoint_spec.loading import load_spec

    spec = load_spec(SPEC)
    case = next(c for c in spec.cases if c.steps[0].op == "get_next_version" and c.steps[0].expect is None)
    comparison = CaseComparison(case, spec.fixtures)
    rest = [{"result": None}] * (len(case.steps) - 1)
    a = run("a", {"result": "01.0.5"}, *rest)
    b = run("b", {"result": "01.0.7"}, *rest)
    c = run("c", {"result": 1}, *rest)
    assert comparison.run_difference(a, b) is None
    assert comparison.run_difference(a, c) is not None
    assert comparison.partition({"a": a, "b": b, "c": c}, ["a", "b", "c"]) == [["a", "b"], ["c"]]


def test_skipped_against_run_is_a_difference_and_errored_targets_are_left_out() -> None:
    from checkpoint_spec.loading import load_spec

    spec = load_spec(SPEC)
    comparison = CaseComparison(spec.cases[0], spec.fixtures)
    skipped = TargetRun("s", "skipped", "target s does not support prune")
    errored = TargetRun("e", "errored", "driver exited")
    ran = run("r", *([{"result": None}] * len(spec.cases[0].steps)))
    assert comparison.run_difference(skipped, TargetRun("t", "skipped", "other words")) is None
    assert comparison.run_difference(skipped, ran) is not None
    assert comparison.partition({"s": skipped, "e": errored, "r": ran}, ["s", "e", "r"]) == [["s"], ["r"]]
