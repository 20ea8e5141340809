"""The table of operations (operations.py) is what the case-file schema says: names, arguments, capabilities."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.operations import GROUPS, OPERATIONS, Operation

from .conftest import SPEC, case_file, put_step

SCHEMA = json.loads((SPEC / "schema" / "case-file.schema.json").read_text(encoding="utf-8"))
NOT_NULL = {"not": {"type": "null"}}


def from_schema(name: str, arguments: dict[str, Any], extended: set[str]) -> Operation:
    required = tuple(arguments["required"])
    names = tuple(arguments["properties"])
    return Operation(
        name,
        required,
        tuple(arg for arg in names if arg not in required),
        name in extended,
        tuple(arg for arg in names if arguments["properties"][arg] == NOT_NULL),
    )


def test_every_operation_and_its_arguments_are_the_schemas() -> None:
    extended = set(SCHEMA["$defs"]["case"]["properties"]["requires"]["items"]["enum"])
    arguments = SCHEMA["$defs"]["arguments"]["$defs"]
    assert [from_schema(name, found, extended) for name, found in arguments.items()] == list(OPERATIONS.values())
    assert extended == {name for name, op in OPERATIONS.items() if op.extended}


def test_a_case_files_operation_is_an_operation_or_a_group() -> None:
    assert SCHEMA["properties"]["operation"]["enum"] == [*OPERATIONS, *GROUPS]


def test_the_argument_schemas_hold_nothing_the_table_cannot_say() -> None:
    for found in SCHEMA["$defs"]["arguments"]["$defs"].values():
        assert set(found) == {"type", "required", "additionalProperties", "properties"}
        assert found["type"] == "object" and found["additionalProperties"] is False
        assert all(value is True or value == NOT_NULL for value in found["properties"].values())


WRITES_STEP = {
    "op": "put_writes",
    "args": {"config": {"$ref": "saved"}, "writes": [["a", 1], ["b"]], "task_id": "t", "task_path": None},
}


def test_the_lint_command_reports_each_argument_problem_at_its_pointer(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    step = put_step()
    del step["args"]["metadata"]
    step["args"]["extra"] = 1
    root = make_spec({"a.json": case_file({"id": "c1", "title": "t", "steps": [step, WRITES_STEP]})})
    assert main(["lint", "--spec", str(root)]) == 2
    where = f"error: {root / 'cases' / 'a.json'}#/cases/0/steps"
    assert capsys.readouterr().err.splitlines() == [
        f'{where}/0/args: put needs argument "metadata" [missing-argument]',
        f'{where}/0/args/extra: put takes no argument "extra" [unknown-argument]',
        f'{where}/1/args/task_path: put_writes argument "task_path" is not null; leave it out for its default'
        " [null-argument]",
        f"{where}/1/args/writes/1: a write is a [channel, value] pair [writes-form]",
    ]
