"""The parity run: every case on every target, judged against the spec and compared across targets."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from ..divergences import KnownDivergences
from ..execution import _judge
from ..loading import Case, Spec
from ..references import UnresolvedReference, resolve
from .comparison import CaseComparison
from .model import CaseParity, Difference, Implementation, ParityRun, ParityStatus, TargetJudgement, TargetRun
from .registry import Entry, Registry
from .runners import Runner


def judge_run(case: Case, run: TargetRun, known: KnownDivergences, spec: Spec) -> TargetJudgement:
    """A target's verdict on a case: the spec's expectations checked here, on its observations.

    The driver's own status must agree with this check; when it does not, one of
    the two runners disagrees with spec/selftest and the case fails.
    """
    listed = known.reasons.get(case.id)
    if run.status == "errored":
        return TargetJudgement(run, "errored", run.reason)
    if run.status == "skipped":
        return TargetJudgement(run, "stale" if listed else "skipped", run.reason, known_reason=listed)
    problem, failing = _check(case, run, spec)
    status = "failed" if problem is not None else "passed"
    if status != run.status:
        why = f"the {run.target} runner says {run.status} but its observations {status} here" + (
            f" ({problem})" if problem else ""
        )
        return TargetJudgement(run, "failed", why, failing)
    if status == "failed":
        return TargetJudgement(run, "known" if listed else "failed", problem, failing, listed)
    return TargetJudgement(run, "stale" if listed else "passed", None, known_reason=listed)


def _check(case: Case, run: TargetRun, spec: Spec) -> tuple[str | None, int | None]:
    """The first step's problem against the spec, and its index; (None, None) when it passed."""
    if len(run.steps) != len(case.steps):
        return f"reported {len(run.steps)} steps for a case of {len(case.steps)}", None
    results: dict[str, dict[str, Any]] = {}
    first: tuple[str | None, int | None] = (None, None)
    for step, observed in zip(case.steps, run.steps, strict=True):
        observation = observed["observation"]
        problem: str | None
        if "not_run" in observation:
            problem = f"cannot run: {observation['not_run']}"
        else:
            try:
                expected = (
                    resolve(step.expect["result"], spec.fixtures, results)
                    if step.expect is not None and "result" in step.expect
                    else None
                )
                problem = _judge(step, observation, expected)[0]
            except UnresolvedReference as exc:
                problem = f"cannot resolve the expectation: {exc}"
        if step.name:
            results[step.name] = observation
        if problem is not None and first[0] is None:
            first = (f"step {step.index} {step.op}: {problem}", step.index)
    return first


def compare_case(
    case: Case,
    runs: dict[str, TargetRun],
    judgements: dict[str, TargetJudgement],
    order: list[str],
    registry: Registry,
    fixtures: dict[str, Any],
) -> CaseParity:
    comparison = CaseComparison(case, fixtures)
    classes = comparison.partition(runs, order)
    entries = registry.for_case(case.id)
    differences: list[Difference] = []
    for i, left in enumerate(classes):
        for right in classes[i + 1 :]:
            covering = next(
                (e for e in entries if any(e.names(a, b) for a in left for b in right)),
                None,
            )
            pair = (left[0], right[0])
            if covering is not None:
                first, second = covering.targets
                pair = (first, second) if first in left else (second, first)
            found = comparison.run_difference(runs[pair[0]], runs[pair[1]])
            assert found is not None
            step, pointer, why = found
            differences.append(
                Difference(
                    pair,
                    step,
                    pointer,
                    why,
                    recorded=covering is not None,
                    reason=covering.reason if covering else None,
                    issue=covering.issue if covering else None,
                    causes=tuple(cause.id for cause in covering.causes) if covering else (),
                )
            )
    group_of = {name: index for index, group in enumerate(classes) for name in group}
    stale = [
        entry.targets
        for entry in entries
        if all(name in group_of for name in entry.targets) and group_of[entry.targets[0]] == group_of[entry.targets[1]]
    ]
    status: ParityStatus
    if any(not item.recorded for item in differences):
        status = "unrecorded"
    elif stale:
        status = "stale"
    elif any(run.status == "errored" for run in runs.values()):
        status = "incomplete"
    elif differences:
        status = "recorded"
    else:
        status = "agree"
    differing = comparison.differing_steps([runs[name] for name in order]) if differences else []
    return CaseParity(case, judgements, classes, status, differences, stale, differing)


def run_parity(
    spec: Spec,
    cases: Sequence[Case],
    runners: Sequence[Runner],
    *,
    known: dict[str, KnownDivergences],
    registry: Registry,
    progress: Callable[[CaseParity], None] | None = None,
) -> ParityRun:
    """Run every case on every runner; drivers work while in-process targets run."""
    began = time.perf_counter()
    order = [runner.name for runner in runners]
    # Collect in-process targets first, so a driver's case runs meanwhile.
    collecting = sorted(runners, key=lambda runner: 0 if runner.in_process else 1)
    compared: list[CaseParity] = []
    try:
        for runner in runners:
            runner.start()
        for case in cases:
            for runner in runners:
                runner.submit(case)
            runs = {runner.name: runner.collect(case) for runner in collecting}
            judgements = {name: judge_run(case, runs[name], known[name], spec) for name in order}
            item = compare_case(case, runs, judgements, order, registry, spec.fixtures)
            compared.append(item)
            if progress is not None:
                progress(item)
    finally:
        for runner in runners:
            runner.close()
    implementations = {
        runner.name: runner.implementation or Implementation("unknown", runner.name, {}, (), "never started")
        for runner in runners
    }
    return ParityRun(
        spec_root=str(spec.root),
        targets=order,
        implementations=implementations,
        cases=compared,
        registry_path=str(registry.path),
        seconds=time.perf_counter() - began,
        causes={cause.id: (cause.explanation, cause.issue) for entry in registry.entries for cause in entry.causes},
    )


def rewritten_entries(registry: Registry, run: ParityRun) -> list[Entry]:
    """The registry as this run observed it: covering entries kept, stale ones dropped, new ones TODO."""
    ran = {item.case.id: item for item in run.cases}
    kept: list[Entry] = []
    for entry in registry.entries:
        item = ran.get(entry.case)
        if item is None:
            kept.append(entry)
            continue
        judged = [item.judgements.get(name) for name in entry.targets]
        if any(found is None or found.verdict == "errored" for found in judged):
            kept.append(entry)  # this run cannot tell; keep it as it stands
    for item in run.cases:
        previous = {frozenset(entry.targets): entry for entry in registry.for_case(item.case.id)}
        for difference in item.differences:
            entry = previous.get(frozenset(difference.targets)) or Entry(item.case.id, difference.targets)
            if entry not in kept:
                kept.append(entry)
    return kept
