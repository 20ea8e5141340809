"""Every way a spec file can be wrong gives one problem naming file and pointer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.loading import InvalidSpec, load_spec

from .conftest import SPEC, case_file, put_step, write_json


def problems(root: Path) -> list[str]:
    with pytest.raises(InvalidSpec) as caught:
        load_spec(root)
    return [str(problem) for problem in caught.value.problems]


def one_case(**overrides: Any) -> dict[str, Any]:
    case = {"id": "c1", "title": "t", "steps": [put_step()]}
    case.update(overrides)
    return case_file(case)


def test_the_repository_spec_is_valid() -> None:
    spec = load_spec(SPEC)
    assert len(spec.cases) >= 1
    assert len({case.id for case in spec.cases}) == len(spec.cases)


def test_not_json(make_spec: Callable[..., Path]) -> None:
    root = make_spec({"bad.json": '{"cases": [,]}'})
    (found,) = problems(root)
    assert found.startswith(f"{root / 'cases' / 'bad.json'}: not JSON")
    assert "line 1 column" in found


def test_schema_error_has_a_pointer(make_spec: Callable[..., Path]) -> None:
    document = one_case()
    document["cases"][0]["steps"][0]["expect"] = {"error": "exploded"}
    (found,) = problems(make_spec({"a.json": document}))
    assert "a.json#/cases/0/steps/0/expect" in found


def test_missing_required_member(make_spec: Callable[..., Path]) -> None:
    document = one_case()
    del document["cases"][0]["title"]
    (found,) = problems(make_spec({"a.json": document}))
    assert "a.json#/cases/0: 'title' is a required property" in found


def test_unknown_operation(make_spec: Callable[..., Path]) -> None:
    (found,) = problems(make_spec({"a.json": one_case(steps=[{"op": "explode", "args": {}}])}))
    assert 'a.json#/cases/0/steps/0/op: unknown operation "explode"' in found


def test_unresolved_fixture(make_spec: Callable[..., Path]) -> None:
    (found,) = problems(make_spec({"a.json": one_case(steps=[put_step(fixture="nope")])}))
    assert "#/cases/0/steps/0/args/checkpoint/$fixture: no fixture named 'nope'" in found


def test_ref_to_a_later_or_unknown_step(make_spec: Callable[..., Path]) -> None:
    steps = [{"op": "get_tuple", "args": {"config": {"$ref": "saved"}}}, put_step()]
    (found,) = problems(make_spec({"a.json": one_case(steps=steps)}))
    assert "#/cases/0/steps/0/args/config/$ref: $ref names 'saved'" in found


def test_duplicate_ids_across_files(make_spec: Callable[..., Path]) -> None:
    (found,) = problems(make_spec({"a.json": one_case(), "b.json": one_case()}))
    assert "b.json#/cases/0/id: id 'c1' is already used at" in found


def test_integers_need_one_spelling(make_spec: Callable[..., Path]) -> None:
    step = put_step()
    step["args"]["metadata"] = {"small": {"$int": "5"}}
    found = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert any("args/metadata/small/$int: $int is only for integers outside" in p for p in found)


def test_an_integer_literal_out_of_range_is_rejected_on_reading(make_spec: Callable[..., Path]) -> None:
    step = put_step()
    step["args"]["metadata"] = {"big": 2**60}
    (found,) = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert "a.json#/cases/0/steps/0/args/metadata/big: integer literal outside" in found


def test_matchers_only_in_expectations(make_spec: Callable[..., Path]) -> None:
    step = put_step()
    step["args"]["metadata"] = {"x": {"$any": True}}
    (found,) = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert "matcher $any may appear only in an expectation" in found


def test_dollar_member_must_be_wrapped(make_spec: Callable[..., Path]) -> None:
    step = put_step()
    step["args"]["metadata"] = {"$a": 1, "$b": 2}
    found = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert any("metadata/$a: member '$a' reads as a tag" in p for p in found)


def test_extended_operation_must_be_required(make_spec: Callable[..., Path]) -> None:
    steps = [{"op": "prune", "args": {"thread_ids": ["t1"]}}]
    (found,) = problems(make_spec({"a.json": one_case(steps=steps)}))
    assert "prune is an extended capability" in found


def test_missing_and_unknown_arguments(make_spec: Callable[..., Path]) -> None:
    steps = [{"op": "get_tuple", "args": {"cfg": {}}}]
    found = problems(make_spec({"a.json": one_case(steps=steps)}))
    assert any('get_tuple needs argument "config"' in p for p in found)
    assert any('args/cfg: get_tuple takes no argument "cfg"' in p for p in found)


def test_bad_typed_values(make_spec: Callable[..., Path]) -> None:
    step = put_step()
    step["args"]["metadata"] = {
        "b": {"$bytes": "not base64!"},
        "f": {"$float": "nan"},
        "d": {"$datetime": "2024-01-01T00:00:00"},
        "basic": {"$datetime": "20240101T000000Z"},
        "u": {"$nonsense": 1},
    }
    found = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert any("b/$bytes: $bytes is not valid base64" in p for p in found)
    assert any("f/$float: $float takes one of" in p for p in found)
    assert any("d/$datetime: $datetime takes ISO 8601 text with a UTC offset" in p for p in found)
    assert any("basic/$datetime: $datetime takes ISO 8601 text with a UTC offset" in p for p in found)
    assert any("u/$nonsense: unknown tag $nonsense" in p for p in found)


def test_pointer_escapes_member_names(make_spec: Callable[..., Path]) -> None:
    step = put_step()
    step["args"]["metadata"] = {"$object": {"a/b~c": {"$float": "nan"}}}
    (found,) = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert "metadata/$object/a~1b~0c/$float: $float takes one of" in found


def test_fixture_cycle(make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": one_case()})
    write_json(
        root / "fixtures" / "loop.json",
        {"$schema": "../schema/fixture.schema.json", "description": "d", "value": {"$fixture": "loop"}},
    )
    found = problems(root)
    assert any("loop.json#/value: fixture refers to itself: loop -> loop" in p for p in found)


def test_not_a_spec_folder(tmp_path: Path) -> None:
    (found,) = problems(tmp_path)
    assert "is not a spec folder" in found


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(?i)a", "only ( ) and (?: ) groups are in the subset at position 2"),
        ("\\s+", "the escape \\s is outside the subset at position 1"),
        ("a{", "a repetition count is a decimal number without leading zeros at position 3"),
        ("a}", "} must be escaped to be literal here at position 2"),
        ("[a", "a character class is not closed at position 3"),
        ("a$", "$ must be escaped to be literal here at position 2"),
    ],
)
def test_regex_outside_the_subset(make_spec: Callable[..., Path], pattern: str, message: str) -> None:
    step = put_step(expect={"result": {"configurable": {"$partial": {"thread_id": {"$regex": pattern}}}}})
    (found,) = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert f"thread_id/$regex: $regex is outside the subset of spec/README.md 2.3: {message}" in found


def test_fixture_name_must_be_a_string(make_spec: Callable[..., Path]) -> None:
    step = put_step()
    step["args"]["checkpoint"] = {"$fixture": []}
    (found,) = problems(make_spec({"a.json": one_case(steps=[step])}))
    assert "args/checkpoint/$fixture: $fixture takes a fixture name" in found
