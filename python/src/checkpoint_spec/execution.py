"""Executing one case on one target: steps, observations and the spec verdict."""

from __future__ import annotations

from typing import Any

from .codec import CodecError
from .loading import Case, Spec, Step
from .observation import observe_error
from .outcomes import CaseResult, Status, StepOutcome, judge_step, not_run, observed, prepare
from .references import UnresolvedReference
from .scenarios import run_scenario
from .targets import Target

__all__ = ["CaseResult", "Status", "StepOutcome", "judge_step", "run_case"]


def run_case(case: Case, target: Target, spec: Spec) -> CaseResult:
    missing = [capability for capability in case.requires if capability not in target.capabilities]
    if missing:
        return CaseResult(case, target.name, "skipped", f"target {target.name} does not support {', '.join(missing)}")
    if case.graph is not None:
        return run_scenario(case, target, spec)
    result = CaseResult(case, target.name, "passed")
    results: dict[str, dict[str, Any]] = {}
    session = target.open()
    try:
        for step in case.steps:
            result.steps.append(_run_step(step, session, spec, results))
    finally:
        session.close()
    if result.first_failure is not None:
        result.status = "failed"
    return result


def _run_step(step: Step, session: Any, spec: Spec, results: dict[str, dict[str, Any]]) -> StepOutcome:
    try:
        args, expected = prepare(step, spec.fixtures, results)
    except (UnresolvedReference, CodecError) as exc:
        return not_run(step, str(exc), results)
    observation: dict[str, Any]
    try:
        observation = {"result": session.call(step.op, args)}
    except Exception as exc:  # noqa: BLE001 - whatever the saver raised is the observation
        observation = observe_error(exc)
    return observed(step, observation, expected, results)
