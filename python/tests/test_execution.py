"""Executing steps: a saver's result that cannot be referred to, and the runner's own failures around a call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.base import CheckpointTuple
from langgraph.checkpoint.memory import InMemorySaver

from checkpoint_spec.execution import run_case
from checkpoint_spec.loading import Case, Spec, Step
from checkpoint_spec.observation import RunnerFailure
from checkpoint_spec.operations import CORE_CAPABILITIES
from checkpoint_spec.targets.saver import SaverTarget


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


class PairWrites(InMemorySaver):
    """Returns its pending writes as pairs, which no tuple observation can be made of."""

    def get_tuple(self, config: Any) -> CheckpointTuple | None:
        found = super().get_tuple(config)
        pairs: Any = [("task", "channel")]  # what the type says a saver never returns
        return None if found is None else found._replace(pending_writes=pairs)


def _two_steps() -> Case:
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    checkpoint = {"v": 4, "id": "1", "ts": "2024-01-01T00:00:00+00:00", "channel_values": {}, "channel_versions": {}}
    steps = (
        Step(0, "put", {"config": config, "checkpoint": checkpoint, "metadata": {}, "new_versions": {}}, "saved", None),
        Step(1, "get_tuple", {"config": {"$ref": "saved"}}, None, {"error": "invalid_argument"}),
        Step(2, "get_tuple", {"config": {"$ref": "saved"}}, None, None),
    )
    return Case("c", "t", "get_tuple", (), steps, Path("x.json"), "/cases/0")


def test_a_result_the_runner_cannot_observe_errors_the_case_and_is_no_saver_error() -> None:
    result = run_case(_two_steps(), SaverTarget("pairs", PairWrites, "sync", {}), Spec(root=Path(".")))
    assert result.status == "errored"
    assert [step.step.index for step in result.steps] == [0]
    assert result.reason is not None
    assert result.reason.startswith("step 1: the runner failed observing the result: ValueError: ")


def test_an_operation_the_runner_does_not_know_is_its_own_failure() -> None:
    session = SaverTarget("memory", InMemorySaver, "sync", {}).open()
    try:
        with pytest.raises(RunnerFailure, match=r"^the runner failed before calling the saver: NotImplementedError: "):
            session.call("no_such_operation", {})
        with pytest.raises(RunnerFailure, match=r"^the runner failed before calling the saver: KeyError: 'config'"):
            session.call("get_tuple", {})
    finally:
        session.close()
