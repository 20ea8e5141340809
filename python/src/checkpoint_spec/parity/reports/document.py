"""The report document: one JSON-ready structure every report format is rendered from."""

from __future__ import annotations

from typing import Any

from ... import __version__
from ...driver import case_object
from ..model import CaseParity, ParityRun


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['cases']} cases and {counts['scenarios']} scenarios, {counts['targets']} targets: "
        f"{counts['causes']} causes explain {counts['differences'] - counts['residual']} differences on "
        f"{counts['recorded']} of them, {counts['residual']} residual differences on {counts['unrecorded']}; "
        f"{counts['agreements']} agreements, {counts['not_compared']} not compared, {counts['failures']} failures"
    )


def levels_line(levels: dict[str, dict[str, int]]) -> str:
    """The divergences and failures per level, contract first: `diverging cases: N contract, M reference; ...`."""
    diverging = ", ".join(f"{counts['divergences']} {level}" for level, counts in levels.items())
    failing = ", ".join(f"{counts['failures']} {level}" for level, counts in levels.items())
    return f"diverging cases: {diverging}; failing cases: {failing}"


def _case(item: CaseParity, order: list[str]) -> dict[str, Any]:
    targets: dict[str, Any] = {}
    ops = [step.op for step in item.case.steps]
    for name in order:
        judged = item.judgements[name]
        run = judged.run
        targets[name] = {
            "verdict": judged.verdict,
            "status": run.status,
            "reason": run.reason,
            "problem": judged.problem,
            "failing_step": judged.failing_step,
            "known_reason": judged.known_reason,
            "seconds": round(run.seconds, 6),
            "fault": run.fault.as_json() if run.fault else None,
            "steps": [
                {
                    "index": step["index"],
                    "op": ops[step["index"]] if 0 <= step["index"] < len(ops) else None,
                    "observation": step["observation"],
                    "problem": step["problem"],
                }
                for step in run.steps
            ],
        }
    return {
        "id": item.case.id,
        "title": item.case.title,
        "level": item.case.level,
        "operation": item.case.operation,
        "kind": "case" if item.case.graph is None else "scenario",
        "where": item.case.where,
        "case": case_object(item.case),
        "parity": item.status,
        "ok": item.ok,
        "classes": item.classes,
        "families": item.families,
        "spec_failures": item.spec_failures,
        "differences": [
            {
                "targets": list(difference.targets),
                "step": difference.step,
                "pointer": difference.pointer,
                "why": difference.why,
                "recorded": difference.recorded,
                "causes": list(difference.causes),
                "family": difference.family,
                "op": difference.op,
                "looks": list(difference.looks),
            }
            for difference in item.differences
        ],
        "differing_steps": item.differing_steps,
        "targets": targets,
    }


def report_document(run: ParityRun) -> dict[str, Any]:
    counts = run.counts()
    levels = run.level_counts()
    return {
        "tool": {"name": "checkpoint-spec", "version": __version__, "report": "parity"},
        "spec": run.spec_root,
        "registry": {
            "path": run.registry_path,
            "problems": run.registry_problems,
            "stale_rules": [{"cause": cause, "rule": index} for cause, index in run.stale_rules],
        },
        "seconds": round(run.seconds, 3),
        "ok": run.ok,
        "summary": counts,
        "summary_line": summary_line(counts),
        "levels": levels,
        "levels_line": levels_line(levels),
        "targets": [
            {"name": name, "family": run.families.get(name, ""), **run.implementations[name].as_json()}
            for name in run.targets
        ],
        "causes": [
            {
                "id": cause,
                "cases": count,
                "explanation": explanation,
                "issue": issue,
                "rules": {
                    key.split("/")[1]: len(ids) for key, ids in run.rule_cases.items() if key.split("/")[0] == cause
                },
            }
            for cause, count in run.cause_counts().items()
            for explanation, issue in [run.causes.get(cause, ("not explained in the registry yet", None))]
        ],
        "cases": [_case(item, run.targets) for item in run.cases],
    }
