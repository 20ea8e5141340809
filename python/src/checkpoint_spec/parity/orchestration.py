"""The parity run: every case on every target, judged against the spec and compared across targets."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..divergences import KnownDivergences, changes, verdict_for
from ..execution import judge_step
from ..fingerprints import Fingerprint, Mark, fingerprint, written
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
    entry = known.entries.get(case.id)
    listed = None if entry is None else entry.reason
    if run.status == "errored":
        return TargetJudgement(run, "errored", run.reason)
    if run.status == "skipped":
        return TargetJudgement(run, "stale" if listed else "skipped", run.reason, known_reason=listed)
    problem, failing, found = _check(case, run, spec)
    status = "failed" if problem is not None else "passed"
    if status != run.status:
        why = f"the {run.target} runner says {run.status} but its observations {status} here" + (
            f" ({problem})" if problem else ""
        )
        return TargetJudgement(run, "failed", why, failing)
    verdict, new, gone = verdict_for(status, found, entry)
    what_changed = changes(new, gone)
    if what_changed is not None:
        problem = f"listed as a known divergence, but it {what_changed}" + (f" ({problem})" if problem else "")
    return TargetJudgement(run, verdict, problem, failing, listed, written(found) if found else [])


def _check(case: Case, run: TargetRun, spec: Spec) -> tuple[str | None, int | None, Fingerprint]:
    """The first step's problem against the spec and its index ((None, None) when it passed), and the fingerprint."""
    if len(run.steps) != len(case.steps):
        return f"reported {len(run.steps)} steps for a case of {len(case.steps)}", None, frozenset()
    results: dict[str, dict[str, Any]] = {}
    first: tuple[str | None, int | None] = (None, None)
    found: list[Mark] = []
    for step, observed in zip(case.steps, run.steps, strict=True):
        observation = observed["observation"]
        problem: str | None
        step_found: list[Mark] = []
        try:
            expected = (
                resolve(step.expect["result"], spec.fixtures, results)
                if step.expect is not None and "result" in step.expect and "result" in observation
                else None
            )
            problem, step_found = judge_step(step, observation, expected)
        except UnresolvedReference as exc:
            # The runner left this step unrun for the same reason; a result here is the driver's error.
            problem, step_found = f"cannot resolve the expectation: {exc}", [Mark(step.index, "", "not_run")]
        found.extend(step_found)
        if step.name:
            results[step.name] = observation
        if problem is not None and first[0] is None:
            first = (f"step {step.index} {step.op}: {problem}", step.index)
    return first[0], first[1], fingerprint(found)


STATUS_ORDER: tuple[ParityStatus, ...] = ("unrecorded", "stale", "incomplete", "recorded", "agree")


def _status(differences: list[Difference], stale: list[tuple[str, str]], runs: list[TargetRun]) -> ParityStatus:
    if any(not item.recorded for item in differences):
        return "unrecorded"
    if stale:
        return "stale"
    if any(run.status == "errored" for run in runs):
        return "incomplete"
    return "recorded" if differences else "agree"


def family_members(order: list[str], families: Mapping[str, str] | None) -> dict[str, list[str]]:
    """Family -> its targets, both in target order; with no families, every target is in one."""
    grouped: dict[str, list[str]] = {}
    for name in order:
        grouped.setdefault(families.get(name, name) if families is not None else "", []).append(name)
    return grouped


def compare_case(
    case: Case,
    runs: dict[str, TargetRun],
    judgements: dict[str, TargetJudgement],
    order: list[str],
    registry: Registry,
    fixtures: dict[str, Any],
    families: Mapping[str, str] | None = None,
) -> CaseParity:
    """Compare the targets family by family: two targets of different families are never compared."""
    comparison = CaseComparison(case, fixtures)
    entries = registry.for_case(case.id)
    classes: list[list[str]] = []
    differences: list[Difference] = []
    stale: list[tuple[str, str]] = []
    differing: set[int] = set()
    statuses: dict[str, ParityStatus] = {}
    for family, members in family_members(order, families).items():
        groups = comparison.partition(runs, members)
        found_here: list[Difference] = []
        for i, left in enumerate(groups):
            for right in groups[i + 1 :]:
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
                found_here.append(
                    Difference(
                        pair,
                        step,
                        pointer,
                        why,
                        recorded=covering is not None,
                        reason=covering.reason if covering else None,
                        issue=covering.issue if covering else None,
                        causes=tuple(cause.id for cause in covering.causes) if covering else (),
                        family=family,
                    )
                )
        group_of = {name: index for index, group in enumerate(groups) for name in group}
        stale_here = [
            entry.targets
            for entry in entries
            if all(name in group_of for name in entry.targets)
            and group_of[entry.targets[0]] == group_of[entry.targets[1]]
        ]
        if found_here:
            differing.update(comparison.differing_steps([runs[name] for name in members]))
        if len(members) > 1:
            statuses[family] = _status(found_here, stale_here, [runs[name] for name in members])
        classes.extend(groups)
        differences.extend(found_here)
        stale.extend(stale_here)
    status = _status(differences, stale, [runs[name] for name in order])
    if statuses:
        status = min(statuses.values(), key=STATUS_ORDER.index)
    return CaseParity(case, judgements, classes, status, differences, stale, sorted(differing), statuses)


def cross_family_entries(registry: Registry, families: Mapping[str, str]) -> list[str]:
    """Registry entries naming two targets of this run from different families: never compared, so never true."""
    return [
        f"{registry.path}: the entry for {entry.case} names {first} ({families[first]}) and {second} "
        f"({families[second]}), targets of different families, which a parity run never compares; remove it"
        for entry in registry.entries
        for first, second in [entry.targets]
        if first in families and second in families and families[first] != families[second]
    ]


def run_parity(
    spec: Spec,
    cases: Sequence[Case],
    runners: Sequence[Runner],
    *,
    known: dict[str, KnownDivergences],
    registry: Registry,
    progress: Callable[[CaseParity], None] | None = None,
    families: Mapping[str, str] | None = None,
) -> ParityRun:
    """Run every case on every runner; drivers work while in-process targets run.

    Targets are compared within their family (`families`: target -> family);
    with no families given, all targets form one.
    """
    began = time.perf_counter()
    order = [runner.name for runner in runners]
    family_of = {name: (families or {}).get(name, "") for name in order}
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
            item = compare_case(case, runs, judgements, order, registry, spec.fixtures, family_of)
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
        registry_problems=cross_family_entries(registry, family_of),
        families=family_of,
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
