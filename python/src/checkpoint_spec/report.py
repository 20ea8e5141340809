"""Run reports: the terminal lines and the JSON document."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .divergences import Judged
from .fingerprints import written
from .levels import LEVELS, Judging, is_judged
from .targets import Target


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def header(target: Target, spec_root: Path, count: int, judging: Judging = "all") -> str:
    libraries = ", ".join(f"{name} {version}" for name, version in sorted(target.libraries.items()))
    return (
        f"checkpoint-spec {__version__} | target {target.name} ({target.language}) | {libraries} | "
        f"{count} cases from {spec_root} | level {judging}"
    )


def failure_lines(item: Judged) -> list[str]:
    result = item.result
    where = result.case.where
    if item.verdict == "errored":
        return [f"ERROR {result.case.id} ({where}): {result.reason}"]
    if item.verdict == "stale":
        if result.status == "failed":
            why = f"fails in fewer places than listed ({item.changes})"
        else:
            why = "passed" if result.status == "passed" else f"was skipped ({result.reason})"
        return [
            f"STALE {result.case.id} ({where}): listed as a known divergence but {why}; "
            f"run with --update-known to rewrite the entry"
        ]
    if item.new_marks:
        # A listed case that fails somewhere new: show the first new place, not the first listed one.
        first_new = item.new_marks[0].step
        outcome = next(step for step in result.steps if step.step.index == first_new)
        head = f"FAIL {result.case.id} ({where}/steps/{first_new}): listed as a known divergence, but it {item.changes}"
        lines = [head, f"  step {first_new} {outcome.step.op}: {outcome.problem}"]
    else:
        found = result.first_failure
        assert found is not None
        outcome = found
        failing = sum(1 for step in result.steps if not step.ok)
        lines = [
            f"FAIL {result.case.id} ({where}/steps/{outcome.step.index}): step {outcome.step.index} "
            f"{outcome.step.op}: {outcome.problem}" + (f" [+{failing - 1} more failing steps]" if failing > 1 else "")
        ]
    if outcome.step.expect is not None:
        expected = outcome.expected if "result" in outcome.step.expect else outcome.step.expect
        lines.append(f"  expected: {shorten(_compact(expected))}")
    lines.append(f"  observed: {shorten(_compact(outcome.observation))}")
    return lines


# The longest line a failure block prints (values within it are cut at 400 characters).
LINE_LIMIT = 1000


def shorten_line(text: str, limit: int = LINE_LIMIT) -> str:
    """A long line cut in its middle, so that the end of a problem (what a value fails to match) stays."""
    if len(text) <= limit:
        return text
    marker = f" ... ({len(text)} characters) ... "
    keep = max(limit - len(marker), 0)
    head = keep * 2 // 3
    return text[:head] + marker + text[len(text) - (keep - head) :]


def shorten(text: str, limit: int = 400) -> str:
    """Long values shortened for the terminal; the JSON report keeps them whole."""
    if len(text) <= limit:
        return text
    suffix = f"... ({len(text)} characters)"
    return text[: max(limit - len(suffix), 0)] + suffix


def summary_counts(judged: list[Judged]) -> Counter[str]:
    return Counter(item.verdict for item in judged)


def judged_only(judged: list[Judged], judging: Judging) -> list[Judged]:
    return [item for item in judged if is_judged(item.result.case.level, judging)]


def run_passes(judged: list[Judged], judging: Judging) -> bool:
    """Exit 0 or 1: a case of a level not judged never fails the run (6.4)."""
    return all(item.ok for item in judged_only(judged, judging))


def _tally(counts: Counter[str], problems: int = 0) -> str:
    passed = counts["passed"] + counts["known"]
    failed = counts["failed"] + counts["stale"] + counts["errored"] + problems
    return f"{passed} passed, {failed} failed, {counts['skipped']} skipped"


def level_lines(judged: list[Judged], judging: Judging) -> list[str]:
    """One line per level that has cases (6.4), contract first; a level not judged says so."""
    lines = []
    for level in LEVELS:
        of_level = [item for item in judged if item.result.case.level == level]
        if of_level:
            beside = "" if is_judged(level, judging) else " (not judged)"
            lines.append(f"{level}: {_tally(summary_counts(of_level))}{beside}")
    return lines


def closing_lines(judged: list[Judged], problems: int, judging: Judging = "all") -> list[str]:
    counts = summary_counts(judged_only(judged, judging))
    # Cases that could not run to their end are named only when there are any.
    errored = f", {counts['errored']} errored" if counts["errored"] else ""
    return [
        *level_lines(judged, judging),
        f"{counts['passed']} matched the spec, {counts['known']} known divergences, "
        f"{counts['failed']} unexpected failures, {counts['stale']} stale entries, "
        f"{counts['skipped']} unsupported{errored}",
        _tally(counts, problems),
    ]


# Case ids listed under a block that stands for several cases.
SAME_WAY_IDS = 10


def _same_way(item: Judged, lines: list[str]) -> tuple[str, ...]:
    """The block with its case's id and place taken out: cases that failed the same way share it."""
    case = item.result.case
    return tuple(line.replace(case.where, "WHERE").replace(case.id, "CASE") for line in lines)


def _failure_blocks(judged: list[Judged]) -> list[str]:
    """Each failure's block, once for all the cases that failed the same way (with their count and ids)."""
    blocks: dict[tuple[str, ...], list[Judged]] = {}
    lines_of: dict[tuple[str, ...], list[str]] = {}
    for item in judged:
        if not item.ok:
            lines = [shorten_line(line) for line in failure_lines(item)]
            key = _same_way(item, lines)
            blocks.setdefault(key, []).append(item)
            lines_of.setdefault(key, lines)
    out: list[str] = []
    for key, items in blocks.items():
        out.extend(lines_of[key])
        if len(items) > 1:
            others = [item.result.case.id for item in items[1:]]
            shown = ", ".join(others[:SAME_WAY_IDS]) + (", ..." if len(others) > SAME_WAY_IDS else "")
            out.append(f"  ... and {len(others)} more cases the same way: {shown}")
    return out


def run_lines(judged: list[Judged], *, verbose: bool = False, judging: Judging = "all") -> list[str]:
    """The judged cases' failure blocks, then those of the cases not judged (6.4), then skips with -v."""
    counted = judged_only(judged, judging)
    beside = [item for item in judged if not is_judged(item.result.case.level, judging)]
    out = _failure_blocks(counted)
    aside = _failure_blocks(beside)
    if aside:
        out += [f"not judged (--level {judging}):", *aside]
    if verbose:
        out += [
            shorten_line(f"SKIP {item.result.case.id}: {item.result.reason}")
            for item in judged
            if item.verdict == "skipped"
        ]
    return out


def print_run(judged: list[Judged], out: TextIO, *, verbose: bool = False, judging: Judging = "all") -> None:
    for line in run_lines(judged, verbose=verbose, judging=judging):
        print(line, file=out)


def _counts(judged: list[Judged]) -> dict[str, int]:
    counts = summary_counts(judged)
    return {verdict: counts[verdict] for verdict in ("passed", "known", "failed", "stale", "skipped", "errored")}


def json_report(target: Target, spec_root: Path, judged: list[Judged], judging: Judging = "all") -> dict[str, Any]:
    return {
        "tool": {"name": "checkpoint-spec", "version": __version__, "language": "python"},
        "spec": str(spec_root),
        "target": {
            "name": target.name,
            "language": target.language,
            "libraries": target.libraries,
            "capabilities": sorted(target.capabilities),
        },
        "level": judging,
        "summary": _counts(judged_only(judged, judging)),
        "levels": {
            level: _counts([item for item in judged if item.result.case.level == level])
            for level in LEVELS
            if any(item.result.case.level == level for item in judged)
        },
        "cases": [
            {
                "id": item.result.case.id,
                "title": item.result.case.title,
                "operation": item.result.case.operation,
                "level": item.result.case.level,
                "judged": is_judged(item.result.case.level, judging),
                "where": item.result.case.where,
                "verdict": item.verdict,
                "reason": item.known_reason if item.known_reason is not None else item.result.reason,
                "fingerprint": written(item.result.fingerprint) if item.result.status == "failed" else None,
                "changes": {
                    "new": [mark.as_json() for mark in item.new_marks],
                    "gone": [mark.as_json() for mark in item.gone_marks],
                }
                if item.new_marks or item.gone_marks
                else None,
                "steps": [
                    {
                        "index": outcome.step.index,
                        "op": outcome.step.op,
                        "observation": outcome.observation,
                        "problem": outcome.problem,
                    }
                    for outcome in item.result.steps
                ],
            }
            for item in judged
        ],
    }
