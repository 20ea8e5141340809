"""parity.md: a summary to read. Verdict, targets, counts, causes, then every failure and residual difference
linked to its case in parity.html and its place in parity.json; the whole run is in those two.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .anchors import PAGE, case_anchor

LISTED = 200
VERDICTS = ("passed", "known", "failed", "stale", "skipped", "errored")
PARITY = {
    "agree": "agree: every family's targets observed the same",
    "recorded": "divergence, every difference explained by a cause",
    "unrecorded": "divergence with residual differences",
    "incomplete": "incomplete: a target errored",
    "not_compared": "not compared: fewer than two targets of a family ran it",
}
FAILING = ("failed", "stale", "errored")


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _case_link(case: dict[str, Any]) -> str:
    """The case's id linked to its place in the page, and its level (spec/README.md 1.2) beside it."""
    return f"[{case['id']}]({PAGE}#{case_anchor(case['id'])}) _{case['level']}_"


def _capped(lines: list[str], what: str) -> list[str]:
    if len(lines) <= LISTED:
        return lines
    return [*lines[:LISTED], f"- … and {len(lines) - LISTED} more {what} ({PAGE} and parity.json have them all)"]


def failure_lines(document: dict[str, Any]) -> list[str]:
    found = []
    for number, case in enumerate(document["cases"]):
        for name, target in case["targets"].items():
            if target["verdict"] in FAILING:
                problem = _cell(target["problem"] or target["reason"] or "")
                found.append(
                    f"- {_case_link(case)} **{name}** {target['verdict']}: {problem} "
                    f"(parity.json `/cases/{number}/targets/{name}`)"
                )
    return found


def residual_lines(document: dict[str, Any]) -> list[str]:
    found = []
    for number, case in enumerate(document["cases"]):
        for index, difference in enumerate(case["differences"]):
            if not difference["recorded"]:
                first, second = difference["targets"]
                step, pointer = difference["step"], difference["pointer"] or "/"
                where = "" if step is None else f" step {step} `{pointer}`"
                found.append(
                    f"- {_case_link(case)} **{first} ≠ {second}**{where}: `{_cell(difference['why'])}` "
                    f"(parity.json `/cases/{number}/differences/{index}`)"
                )
    return found


def render_markdown(document: dict[str, Any]) -> str:
    summary = document["summary"]
    out: list[str] = [
        "# checkpoint-spec parity report",
        "",
        f"**{'PASS' if document['ok'] else 'FAIL'}**: {document['summary_line']} "
        f"(spec `{document['spec']}`, {document['seconds']} s)",
        "",
        f"This is the summary. [{PAGE}]({PAGE}) draws every case with each target's observations side by side; "
        "[parity.json](parity.json) holds the whole run. Targets are compared within their family only; a case "
        "agrees when every family does. Every difference is explained by a cause of the registry or is residual.",
        "",
        "| target | family | language | libraries | run via |",
        "|---|---|---|---|---|",
    ]
    for target in document["targets"]:
        libraries = ", ".join(f"`{name}` {version}" for name, version in sorted(target["libraries"].items()))
        out.append(
            f"| {target['name']} | {target.get('family', '')} | {target['language']} | {_cell(libraries)} "
            f"| `{_cell(target['via'])}` |"
        )
    for problem in document["registry"]["problems"]:
        out += ["", f"- registry: {_cell(problem)}"]

    parity = Counter(case["parity"] for case in document["cases"])
    out += ["", "## Counts", "", "| cases and scenarios | count |", "|---|---|"]
    out += [f"| {label} | {parity[status]} |" for status, label in PARITY.items()]
    out += [f"| failures (cases that fail, and registry problems) | {summary['failures']} |", ""]
    out += [
        "| level | cases and scenarios | diverging | with residual differences | failing |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| {level} | {counts['cases']} | {counts['divergences']} | {counts['unrecorded']} | {counts['failures']} |"
        for level, counts in document["levels"].items()
    ]
    out += [""]
    out += ["| target | " + " | ".join(VERDICTS) + " |", "|---" * (len(VERDICTS) + 1) + "|"]
    for target in document["targets"]:
        verdicts = Counter(case["targets"][target["name"]]["verdict"] for case in document["cases"])
        out.append(f"| {target['name']} | " + " | ".join(str(verdicts[v]) for v in VERDICTS) + " |")

    if document["causes"]:
        out += [
            "",
            f"## Causes: {summary['causes']} explain {summary['differences'] - summary['residual']} differences",
            "",
            "| cause | cases | cases per rule | explanation |",
            "|---|---|---|---|",
        ]
        for cause in document["causes"]:
            issue = f" ([upstream]({cause['issue']}))" if cause["issue"] else ""
            rules = ", ".join(f"#{index}: {count}" for index, count in cause["rules"].items())
            out.append(f"| `{cause['id']}` | {cause['cases']} | {rules} | {_cell(cause['explanation'])}{issue} |")

    failures, residual = failure_lines(document), residual_lines(document)
    out += ["", f"## Failures: {len(failures)}", ""]
    out += _capped(failures, "failures") or ["None."]
    out += ["", f"## Residual differences: {len(residual)}", ""]
    out += _capped(residual, "residual differences") or ["None: a cause of the registry explains every difference."]
    return "\n".join(out) + "\n"
