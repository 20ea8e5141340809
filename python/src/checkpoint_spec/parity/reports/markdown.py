"""parity.md: versions, summary, the case matrix by operation, every divergence and failure."""

from __future__ import annotations

import json
from typing import Any

SYMBOL = {
    "passed": "✅ passed",
    "known": "🟡 known",
    "failed": "❌ failed",
    "stale": "❌ stale",
    "skipped": "⚪ skipped",
    "errored": "💥 errored",
}
PARITY = {
    "agree": "= agree",
    "recorded": "≠ recorded",
    "unrecorded": "❌ unrecorded",
    "incomplete": "💥 incomplete",
    "not_compared": "· not compared",
}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def render_markdown(document: dict[str, Any]) -> str:  # noqa: C901  # over the limit, to be split
    names = [target["name"] for target in document["targets"]]
    out: list[str] = [
        "# checkpoint-spec parity report",
        "",
        f"**{document['summary_line']}** — {'everything matches' if document['ok'] else 'the run FAILED'} "
        f"(spec `{document['spec']}`, {document['seconds']} s)",
        "",
        "Targets are compared within their family only; a case agrees when every family does, and is not compared "
        "where fewer than two targets of a family ran it. Every difference is explained by a cause of the registry "
        "or is residual.",
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
        out += ["", f"- registry: {problem}"]

    if document["causes"]:
        summary = document["summary"]
        out += [
            "",
            f"## Causes: {summary['causes']} explain {summary['differences'] - summary['residual']} differences; "
            f"{summary['residual']} residual",
            "",
            "| cause | cases | cases per rule | explanation |",
            "|---|---|---|---|",
        ]
        for cause in document["causes"]:
            issue = f" ([upstream]({cause['issue']}))" if cause["issue"] else ""
            rules = ", ".join(f"#{index}: {count}" for index, count in cause["rules"].items())
            out.append(f"| `{cause['id']}` | {cause['cases']} | {rules} | {_cell(cause['explanation'])}{issue} |")
    out += ["", "## Matrix", ""]
    operations: dict[str, list[dict[str, Any]]] = {}
    for case in document["cases"]:
        operations.setdefault(case["operation"], []).append(case)
    for operation, cases in operations.items():
        out += [f"### {operation}", "", "| case | " + " | ".join(names) + " | parity |"]
        out.append("|---" * (len(names) + 2) + "|")
        for case in cases:
            cells = [SYMBOL[case["targets"][name]["verdict"]] for name in names]
            anchor = f"[{case['id']}](#{case['id']})" if not case["ok"] or case["differences"] else case["id"]
            per_family = case.get("families", {})
            by_family = (
                " (" + ", ".join(f"{family} {PARITY[status][0]}" for family, status in per_family.items()) + ")"
                if len(per_family) > 1
                else ""
            )
            out.append(f"| {anchor} | " + " | ".join(cells) + f" | {PARITY[case['parity']]}{by_family} |")
        out.append("")

    details = [case for case in document["cases"] if case["differences"] or not case["ok"]]
    if details:
        out += ["## Divergences and failures", ""]
    for case in details:
        out += [f'<a id="{case["id"]}"></a>', f"### {case['id']}", "", f"{case['title']} (`{case['where']}`)", ""]
        for difference in case["differences"]:
            first, second = difference["targets"]
            where = (
                "" if difference["step"] is None else f" at step {difference['step']} `{difference['pointer'] or '/'}`"
            )
            status = (
                "by " + ", ".join(f"`{cause}`" for cause in difference["causes"])
                if difference["recorded"]
                else "**residual: no cause explains it**"
            )
            out.append(f"- **{first} ≠ {second}**{where} ({status}): `{_cell(difference['why'])}`")
        for name, target in case["targets"].items():
            if target["verdict"] in ("failed", "stale", "errored"):
                out.append(f"- **{name}** {target['verdict']}: {_cell(target['problem'] or target['reason'] or '')}")
        out += ["", "<details><summary>inputs (the case's steps)</summary>", "", "```json"]
        out += [_json(case["case"]["steps"]), "```", "", "</details>", ""]
        step_index = next((d["step"] for d in case["differences"] if d["step"] is not None), None)
        if step_index is not None:
            out += [f"Observations at step {step_index}:", ""]
            for name in names:
                steps = case["targets"][name]["steps"]
                if step_index < len(steps):
                    out += [f"**{name}**", "", "```json", _json(steps[step_index]["observation"]), "```", ""]
    return "\n".join(out) + "\n"
