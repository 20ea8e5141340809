"""Executing one case on one target: steps, observations and the spec verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .codec import CodecError, decode
from .fingerprints import Fingerprint, Mark, fingerprint, step_marks
from .loading import Case, Spec, Step
from .matching import marks
from .observation import observe_error
from .references import UnresolvedReference, resolve
from .targets import Target

Status = Literal["passed", "failed", "skipped"]


@dataclass
class StepOutcome:
    step: Step
    observation: dict[str, Any]
    expected: Any = None
    problem: str | None = None
    marks: list[Mark] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class CaseResult:
    case: Case
    target: str
    status: Status
    reason: str | None = None
    steps: list[StepOutcome] = field(default_factory=list)

    @property
    def first_failure(self) -> StepOutcome | None:
        return next((outcome for outcome in self.steps if not outcome.ok), None)

    @property
    def fingerprint(self) -> Fingerprint:
        return fingerprint(mark for outcome in self.steps for mark in outcome.marks)


def judge_step(step: Step, observation: dict[str, Any], expected: Any) -> tuple[str | None, list[Mark]]:
    """The problem with this observation (None when the step met its expectation) and its marks (6.1)."""
    expect = step.expect
    found = (
        marks(expected, observation["result"])
        if "result" in observation and expect is not None and "result" in expect
        else []
    )
    step_found = step_marks(step.index, observation, expect, found)
    if not step_found:
        return None, []
    if "not_run" in observation:
        return f"cannot run: {observation['not_run']}", step_found
    if "error" in observation:
        if expect is None or "result" in expect:
            return f"raised {observation['error']} ({observation['detail']})", step_found
        return f"raised {observation['error']}, expected {expect['error']} ({observation['detail']})", step_found
    if not found:
        assert expect is not None  # a result with marks and no mismatch is one that had to be an error
        return f"returned normally, expected an error of category {expect['error']}", step_found
    more = f" (and {len(found) - 1} more places)" if len(found) > 1 else ""
    return f"result at {found[0].pointer or '/'}: {found[0].reason}{more}", step_found


def run_case(case: Case, target: Target, spec: Spec) -> CaseResult:
    missing = [capability for capability in case.requires if capability not in target.capabilities]
    if missing:
        return CaseResult(case, target.name, "skipped", f"target {target.name} does not support {', '.join(missing)}")
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
        args = decode(resolve(step.args, spec.fixtures, results))
        expected = (
            resolve(step.expect["result"], spec.fixtures, results)
            if step.expect is not None and "result" in step.expect
            else None
        )
    except (UnresolvedReference, CodecError) as exc:
        # A reference that leads nowhere, or to a result that cannot be passed
        # back (an $opaque value), leaves the step unrun: the target's earlier
        # behaviour is to blame.
        not_run = {"not_run": str(exc)}
        if step.name:
            results[step.name] = not_run
        return StepOutcome(step, not_run, problem=f"cannot run: {exc}", marks=[Mark(step.index, "", "not_run")])
    observation: dict[str, Any]
    try:
        observation = {"result": session.call(step.op, args)}
    except Exception as exc:  # noqa: BLE001 - whatever the saver raised is the observation
        observation = observe_error(exc)
    if step.name:
        results[step.name] = observation
    problem, step_found = judge_step(step, observation, expected)
    return StepOutcome(step, observation, expected, problem, step_found)
