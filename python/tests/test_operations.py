"""The table of operations (operations.py) is what the case-file schema says: names, arguments, capabilities."""

from __future__ import annotations

import json
from typing import Any

from checkpoint_spec.operations import GROUPS, OPERATIONS, Operation

from .conftest import SPEC

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
