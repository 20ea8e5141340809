"""Executing one case on one target: steps, observations and the spec verdict.

Making the case's saver, each step and closing the saver each run within the
step bound (deadlines). What goes wrong there belongs to the case, never to
the run: a factory or a close that raises, or a step that overruns, makes the
case errored with the reason, and the next case runs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .codec import CodecError
from .deadlines import DEFAULT_TIMEOUT, StepThread, TimedOut
from .errors import exception_text
from .loading import Case, Spec, Step
from .observation import RunnerFailure, observe_error
from .outcomes import CaseResult, Status, StepOutcome, judge_step, not_run, observed, prepare
from .references import UnresolvedReference
from .scenarios import scenario_steps
from .targets import Target

__all__ = ["CaseResult", "Status", "StepOutcome", "judge_step", "run_case"]


def run_case(case: Case, target: Target, spec: Spec, timeout: float = DEFAULT_TIMEOUT) -> CaseResult:
    """The case's result on a fresh saver of target; each step (and making and closing the saver) within timeout."""
    missing = [capability for capability in case.requires if capability not in target.capabilities]
    if missing:
        return CaseResult(case, target.name, "skipped", f"target {target.name} does not support {', '.join(missing)}")
    result = CaseResult(case, target.name, "passed")
    thread = StepThread(timeout)
    try:
        _run_on(thread, case, target, spec, result)
    finally:
        thread.stop()
    if result.status == "passed" and result.first_failure is not None:
        result.status = "failed"
    return result


def _errored(result: CaseResult, reason: str) -> None:
    if result.status == "errored":
        return  # closing is tried after a failed step too; the first reason stands
    result.status = "errored"
    result.reason = reason


def _run_on(thread: StepThread, case: Case, target: Target, spec: Spec, result: CaseResult) -> None:
    try:
        session = thread.run(target.open)
    except TimedOut as exc:
        return _errored(result, f"making the saver {exc}")
    except Exception as exc:  # noqa: BLE001 - the factory's failure is this case's
        return _errored(result, f"making the saver raised {exception_text(exc)}")
    steps: list[Callable[[], StepOutcome]]
    if case.graph is not None:
        steps = scenario_steps(case, session, spec)
    else:
        results: dict[str, dict[str, Any]] = {}
        steps = [functools.partial(_run_step, step, session, spec, results) for step in case.steps]
    for step, work in zip(case.steps, steps, strict=True):
        try:
            result.steps.append(thread.run(work))
        except TimedOut as exc:
            # The thread is abandoned with the saver in use: it is not closed.
            return _errored(result, f"step {step.index} {exc}")
        except RunnerFailure as exc:
            _errored(result, f"step {step.index}: {exc}")
            break
    try:
        thread.run(session.close)
    except TimedOut as exc:
        _errored(result, f"closing the saver {exc}")
    except Exception as exc:  # noqa: BLE001 - a teardown that raises is this case's
        _errored(result, f"closing the saver raised {exception_text(exc)}")


def _run_step(step: Step, session: Any, spec: Spec, results: dict[str, dict[str, Any]]) -> StepOutcome:
    try:
        args, expected = prepare(step, spec.fixtures, results)
    except (UnresolvedReference, CodecError) as exc:
        return not_run(step, str(exc), results)
    observation: dict[str, Any]
    try:
        observation = {"result": session.call(step.op, args)}
    except RunnerFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the saver raised is the observation
        observation = observe_error(exc)
    return observed(step, observation, expected, results)
