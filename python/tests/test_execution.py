"""Executing steps: what happens when a saver's result cannot be referred to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checkpoint_spec.execution import run_case
from checkpoint_spec.loading import Case, Spec, Step
from checkpoint_spec.operations import CORE_CAPABILITIES


class OpaqueSession:
    """A saver whose versions are values the codec has no tag for."""

    def call(self, op: str, args: dict[str, Any]) -> Any:
        return {"$opaque": "set"}

    def close(self) -> None:
        return None


class OpaqueTarget:
    def __init__(self) -> None:
        self.name = "opaque"
        self.language = "python"
        self.capabilities = CORE_CAPABILITIES
        self.libraries: dict[str, str] = {}

    def open(self) -> OpaqueSession:
        return OpaqueSession()


def test_a_reference_to_an_opaque_result_leaves_the_step_unrun() -> None:
    steps = (
        Step(0, "get_next_version", {"current": None}, "v", None),
        Step(1, "get_next_version", {"current": {"$ref": "v"}}, None, None),
    )
    case = Case("c", "t", "get_next_version", (), steps, Path("x.json"), "/cases/0")
    result = run_case(case, OpaqueTarget(), Spec(root=Path(".")))
    assert result.status == "failed"
    assert result.steps[0].ok
    assert result.steps[1].observation == {"not_run": "$opaque cannot be decoded into an argument"}
    assert result.steps[1].problem == "cannot run: $opaque cannot be decoded into an argument"
