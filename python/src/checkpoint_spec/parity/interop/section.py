"""The interop section of the parity reports: one JSON-ready structure the report formats render.

Per kind, direction and operation: how many reads came back equal, changed or
unreadable (and where the writer's own saver raised); each finding group with
its recorded reason and every read in it, with the error or a diff of what the
writer's saver read against what the reader's saver read.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from .findings import InteropRegistry
from .model import DIRECTIONS, REPORTED_OPS, VERDICTS, InteropRun, Read

DIFF_CONTEXT = 2
DIFF_LINES = 80


def _pretty(value: Any) -> list[str]:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def read_diff(item: Read) -> list[str]:
    """A unified diff of the writer's read (-) against the reader's (+), cut at DIFF_LINES lines."""
    lines = list(
        difflib.unified_diff(
            _pretty(item.written.get("result")),
            _pretty(item.read.get("result")),
            fromfile=f"read by the writer ({item.direction.split('->')[0]})",
            tofile=f"read by the reader ({item.direction.split('->')[1]})",
            n=DIFF_CONTEXT,
            lineterm="",
        )
    )
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... {len(lines) - DIFF_LINES} more diff lines (parity.json has both reads)"]
    return lines


def _read(item: Read) -> dict[str, Any]:
    found = {
        "case": item.case,
        "step": item.step,
        "detail": item.detail,
        "error": item.read.get("error") if item.verdict == "unreadable" else None,
        "diff": read_diff(item) if item.verdict == "changed" else None,
        "written": item.written,
        "read": item.read,
    }
    return found


def summary_line(counts: dict[str, int], section: dict[str, Any]) -> str:
    return (
        f"storage interop: {section['cases']} cases on {', '.join(section['kinds']) or 'no kinds'}, "
        f"{counts['equal']} reads equal, {counts['changed']} changed, {counts['unreadable']} unreadable "
        f"({counts['writer-error']} writer errors); {section['recorded']} findings recorded, "
        f"{section['unrecorded']} unrecorded, {section['stale']} stale, {len(section['errors'])} kinds errored"
    )


def interop_section(run: InteropRun, registry: InteropRegistry, problems: list[str]) -> dict[str, Any]:
    summary = run.summary()
    table = [
        {"kind": kind, "direction": direction, "op": op, **summary[kind][direction][op]}
        for kind in run.kinds
        if kind in summary
        for direction in DIRECTIONS
        if direction in summary[kind]
        for op in [*REPORTED_OPS, *sorted(set(summary[kind][direction]) - set(REPORTED_OPS))]
        if op in summary[kind][direction]
    ]
    groups = run.groups()
    findings = [
        {
            "group": key,
            "kind": items[0].kind,
            "direction": items[0].direction,
            "op": items[0].op,
            "verdict": items[0].verdict,
            "recorded": key in registry.reasons,
            "reason": registry.reasons.get(key),
            "reads": [_read(item) for item in items],
        }
        for key, items in sorted(groups.items())
    ]
    section: dict[str, Any] = {
        "ok": not problems and not run.errors,
        "kinds": list(run.kinds),
        "cases": run.cases,
        "registry": str(registry.path),
        "errors": dict(run.errors),
        "problems": list(problems),
        "verdicts": list(VERDICTS),
        "counts": run.verdict_counts(),
        "recorded": sum(1 for finding in findings if finding["recorded"]),
        "unrecorded": sum(1 for finding in findings if not finding["recorded"]),
        "stale": sum(1 for problem in problems if problem.startswith("STALE ")),
        "table": table,
        "findings": findings,
    }
    section["summary_line"] = summary_line(section["counts"], section)
    return section
