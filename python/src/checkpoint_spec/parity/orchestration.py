"""The parity run: every case on every target, judged against the spec and compared across targets."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..divergences import KnownDivergences, changes, verdict_for
from ..execution import judge_step
from ..fingerprints import Fingerprint, Mark, fingerprint, written
from ..loading import Case, Spec
from ..progress import Progress
from ..references import UnresolvedReference, resolve
from .differences import CaseComparison
from .drivers import kill_drivers
from .model import CaseParity, Difference, Implementation, ParityRun, ParityStatus, TargetJudgement, TargetRun
from .registry import PLACEHOLDER, Cause, Registry, Rule, Side
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


STATUS_ORDER: tuple[ParityStatus, ...] = ("unrecorded", "incomplete", "recorded", "agree", "not_compared")
Party = tuple[str, str]  # (target, language)


def family_members(order: list[str], families: Mapping[str, str] | None) -> dict[str, list[str]]:
    """Family -> its targets, both in target order; with no families, every target is in one."""
    grouped: dict[str, list[str]] = {}
    for name in order:
        grouped.setdefault(families.get(name, name) if families is not None else "", []).append(name)
    return grouped


def _partition(comparison: CaseComparison, runs: Mapping[str, TargetRun], names: list[str]) -> list[list[str]]:
    """Targets grouped by identical observations, in target order."""
    groups: list[list[str]] = []
    for name in names:
        for group in groups:
            if not comparison.differences(runs[group[0]].steps, runs[name].steps):
                group.append(name)
                break
        else:
            groups.append([name])
    return groups


@dataclass
class RuleUse:
    """Which cases each (cause, rule) explained a difference on: derived from the run, never kept by hand."""

    cases: dict[tuple[str, int], set[str]] = field(default_factory=dict)

    def add(self, key: tuple[str, int], case_id: str) -> None:
        self.cases.setdefault(key, set()).add(case_id)


def compare_case(
    case: Case,
    runs: dict[str, TargetRun],
    judgements: dict[str, TargetJudgement],
    order: list[str],
    registry: Registry,
    fixtures: dict[str, Any],
    families: Mapping[str, str] | None = None,
    languages: Mapping[str, str] | None = None,
    uses: RuleUse | None = None,
) -> CaseParity:
    """Compare the targets family by family: every difference, each explained by causes or left as residual."""
    comparison = CaseComparison(case, fixtures)
    language = languages or {}
    classes: list[list[str]] = []
    differences: list[Difference] = []
    differing: set[int] = set()
    statuses: dict[str, ParityStatus] = {}
    for family, members in family_members(order, families).items():
        ran = [name for name in members if runs[name].status not in ("skipped", "errored")]
        errored = any(runs[name].status == "errored" for name in members)
        groups = _partition(comparison, runs, ran)
        found_here: list[Difference] = []
        for i, left in enumerate(groups):
            for right in groups[i + 1 :]:
                # Members of a group observed the same, so the two groups' differences are those of their first
                # members; but causes apply by target and language, so every pair across the groups must be
                # explained, and the first pair that is not is the one reported.
                pairs = [
                    ((a, language.get(a, "unknown")), (b, language.get(b, "unknown"))) for a in left for b in right
                ]
                for found in comparison.differences(runs[left[0]].steps, runs[right[0]].steps):
                    shown_pair = pairs[0]
                    causes: tuple[str, ...] = ()
                    for first, second in pairs:
                        explaining = registry.explaining(case.id, family, first, second, found)
                        if uses is not None:
                            for key in explaining:
                                uses.add(key, case.id)
                        if not explaining:
                            shown_pair, causes = (first, second), ()
                            break
                        if not causes:
                            causes = tuple(dict.fromkeys(cause_id for cause_id, _ in explaining))
                    found_here.append(
                        Difference(
                            (shown_pair[0][0], shown_pair[1][0]),
                            found.step,
                            found.at,
                            " | ".join(found.shown),
                            recorded=bool(causes),
                            causes=causes,
                            family=family,
                            op=found.op,
                            looks=found.looks,
                        )
                    )
                    differing.add(found.step)
        if len(members) > 1:
            statuses[family] = _status(found_here, len(ran), errored)
        classes.extend(groups)
        differences.extend(found_here)
    status: ParityStatus = min(statuses.values(), key=STATUS_ORDER.index) if statuses else "not_compared"
    return CaseParity(case, judgements, classes, status, differences, sorted(differing), statuses)


def _status(differences: list[Difference], ran: int, errored: bool) -> ParityStatus:
    if any(not item.recorded for item in differences):
        return "unrecorded"
    if ran < 2:
        return "incomplete" if errored else "not_compared"
    if errored:
        return "incomplete"
    return "recorded" if differences else "agree"


def compared_pairs(families: Mapping[str, str], languages: Mapping[str, str]) -> dict[str, list[tuple[Party, Party]]]:
    """Family -> the pairs of its targets that a run compares, as (target, language) sides."""
    pairs: dict[str, list[tuple[Party, Party]]] = {}
    for family, members in family_members(list(families), families).items():
        sides = [(name, languages.get(name, "unknown")) for name in members]
        pairs[family] = [(a, b) for i, a in enumerate(sides) for b in sides[i + 1 :]]
    return pairs


def stale_rules(
    registry: Registry, uses: RuleUse, families: Mapping[str, str], languages: Mapping[str, str]
) -> list[tuple[str, int]]:
    """Rules that explained nothing although the run compared targets of their sides in every one of their families."""
    pairs = compared_pairs(families, languages)
    stale: list[tuple[str, int]] = []
    for cause in registry.causes.values():
        for index, rule in enumerate(cause.rules):
            covered = all(
                any(cause.orientation(a, b) is not None for a, b in pairs.get(family, []))
                for family in cause.rule_families(rule)
            )
            if covered and (cause.id, index) not in uses.cases:
                stale.append((cause.id, index))
    return stale


def stale_problems(registry: Registry, stale: list[tuple[str, int]]) -> list[str]:
    return [
        f"{registry.path}#/causes/{cause_id}/differences/{index}: explains no difference this run observed "
        "between targets it applies to; run with --update-registry to drop it"
        for cause_id, index in stale
    ]


def run_parity(
    spec: Spec,
    cases: Sequence[Case],
    runners: Sequence[Runner],
    *,
    known: dict[str, KnownDivergences],
    registry: Registry,
    families: Mapping[str, str] | None = None,
    every_case: bool = False,
) -> ParityRun:
    """Run every case on every runner; drivers work while in-process targets run.

    Targets are compared within their family (`families`: target -> family);
    with no families given, all targets form one. With every_case (the whole
    spec ran), rules that explained nothing are stale.
    """
    began = time.perf_counter()
    order = [runner.name for runner in runners]
    family_of = {name: (families or {}).get(name, "") for name in order}
    # Collect in-process targets first, so a driver's case runs meanwhile.
    collecting = sorted(runners, key=lambda runner: 0 if runner.in_process else 1)
    compared: list[CaseParity] = []
    uses = RuleUse()
    try:
        for runner in runners:
            runner.start()
        with Progress(len(cases)) as progress:
            for case in cases:
                for runner in runners:
                    runner.submit(case)
                runs = {runner.name: runner.collect(case) for runner in collecting}
                judgements = {name: judge_run(case, runs[name], known[name], spec) for name in order}
                item = compare_case(
                    case, runs, judgements, order, registry, spec.fixtures, family_of, _languages(runners), uses
                )
                compared.append(item)
                progress.advance(not item.ok)
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or broken: no polite stop, every driver is killed with its process group.
        kill_drivers()
        raise
    finally:
        for runner in runners:
            runner.close()
    implementations = {
        runner.name: runner.implementation or Implementation("unknown", runner.name, {}, (), "never started")
        for runner in runners
    }
    languages = _languages(runners)
    stale = stale_rules(registry, uses, family_of, languages) if every_case else []
    return ParityRun(
        spec_root=str(spec.root),
        targets=order,
        implementations=implementations,
        cases=compared,
        registry_path=str(registry.path),
        seconds=time.perf_counter() - began,
        causes={cause.id: (cause.explanation, cause.issue) for cause in registry.causes.values()},
        registry_problems=stale_problems(registry, stale),
        families=family_of,
        stale_rules=stale,
        rule_cases={f"{cause}/{index}": sorted(ids) for (cause, index), ids in sorted(uses.cases.items())},
    )


def _languages(runners: Sequence[Runner]) -> dict[str, str]:
    return {runner.name: runner.implementation.language if runner.implementation else "unknown" for runner in runners}


def _generalized(pointer: str) -> str:
    """A pointer with its array indices as wildcards: the shape a proposed rule names."""
    return "/".join("*" if part.isdigit() else part for part in pointer.split("/"))


def rewritten_causes(registry: Registry, run: ParityRun) -> list[Cause]:
    """The registry as this run observed it: stale rules dropped, one TODO cause per group of residual differences.

    Residual differences are grouped by the sides they lie between, the pointer
    (indices generalized) and what each side shows; each group becomes one
    proposed cause with its rule already filled in, for the author to name and
    explain once.
    """
    stale = set(run.stale_rules)
    kept: list[Cause] = []
    for cause in registry.causes.values():
        rules = tuple(rule for index, rule in enumerate(cause.rules) if (cause.id, index) not in stale)
        if rules:
            kept.append(replace(cause, rules=rules))
    languages = {name: found.language for name, found in run.implementations.items()}
    groups: dict[tuple[Any, ...], tuple[set[str], set[str]]] = {}
    for item in run.cases:
        for difference in item.residual:
            a, b = difference.targets
            looks = difference.looks
            if languages[a] != languages[b]:
                sides: tuple[Any, ...] = ("language", languages[a], languages[b])
                if languages[a] > languages[b]:
                    sides, looks = ("language", languages[b], languages[a]), (looks[1], looks[0])
            else:
                sides = ("targets", a, b)
            key = (sides, _generalized(difference.pointer), looks)
            ops, fams = groups.setdefault(key, (set(), set()))
            ops.add(difference.op)
            fams.add(difference.family)
    taken = {cause.id for cause in kept}
    number = 0
    for (sides, at, looks), (ops, fams) in groups.items():
        number += 1
        while f"todo-{number}" in taken:
            number += 1
        between = (
            (Side(sides[1]), Side(sides[2]))
            if sides[0] == "language"
            else (Side(targets=(sides[1],)), Side(targets=(sides[2],)))
        )
        rule = Rule((at,), (looks[0],), (looks[1],), tuple(sorted(ops)))
        kept.append(Cause(f"todo-{number}", PLACEHOLDER, between, tuple(sorted(fams)), (rule,)))
    return kept


def recompared(run: ParityRun, registry: Registry, spec: Spec, *, every_case: bool) -> ParityRun:
    """The same observations compared again under a rewritten registry."""
    uses = RuleUse()
    languages = {name: found.language for name, found in run.implementations.items()}
    cases = [
        compare_case(
            item.case,
            {name: judged.run for name, judged in item.judgements.items()},
            item.judgements,
            run.targets,
            registry,
            spec.fixtures,
            run.families,
            languages,
            uses,
        )
        for item in run.cases
    ]
    stale = stale_rules(registry, uses, run.families, languages) if every_case else []
    return replace(
        run,
        cases=cases,
        causes={cause.id: (cause.explanation, cause.issue) for cause in registry.causes.values()},
        registry_problems=stale_problems(registry, stale),
        stale_rules=stale,
        rule_cases={f"{cause}/{index}": sorted(ids) for (cause, index), ids in sorted(uses.cases.items())},
    )
