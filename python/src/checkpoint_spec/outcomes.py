"""What running a case gives: step outcomes, the case result, and the judgement of one step (spec 5, 6.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .codec import decode
from .fingerprints import Fingerprint, Mark, fingerprint, step_marks
from .loading import Case, Step
from .matching import marks
from .references import resolve

# errored: the case could not be run to its end (its saver could not be made or closed, a step timed out).
Status = Literal["passed", "failed", "skipped", "errored"]


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


def prepare(step: Step, fixtures: dict[str, Any], results: dict[str, dict[str, Any]]) -> tuple[Any, Any]:
    """The step's decoded arguments and resolved expectation; raises UnresolvedReference or CodecError."""
    args = decode(resolve(step.args, fixtures, results))
    expected = (
        resolve(step.expect["result"], fixtures, results)
        if step.expect is not None and "result" in step.expect
        else None
    )
    return args, expected


def not_run(step: Step, reason: str, results: dict[str, dict[str, Any]]) -> StepOutcome:
    """A step left unrun: a reference that leads nowhere, or to a value that cannot be passed back.

    The target's earlier behaviour is to blame, so the step fails with the reason.
    """
    observation = {"not_run": reason}
    if step.name:
        results[step.name] = observation
    return StepOutcome(step, observation, problem=f"cannot run: {reason}", marks=[Mark(step.index, "", "not_run")])


def observed(step: Step, observation: dict[str, Any], expected: Any, results: dict[str, dict[str, Any]]) -> StepOutcome:
    if step.name:
        results[step.name] = observation
    problem, step_found = judge_step(step, observation, expected)
    return StepOutcome(step, observation, expected, problem, step_found)
