"""The terminal summary: versions, one block per case that needs attention, the divergences per level, the HTML page,
one closing line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .interop_terminal import interop_lines


def _libraries(target: dict[str, Any]) -> str:
    found = ", ".join(f"{name} {version}" for name, version in sorted(target["libraries"].items()))
    return found or "(no versions: the target never started)"


def _short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def header_lines(document: dict[str, Any]) -> list[str]:
    lines = [f"checkpoint-spec {document['tool']['version']} parity run | spec {document['spec']}"]
    width = max((len(target["name"]) for target in document["targets"]), default=0)
    for target in document["targets"]:
        via = _short(target["via"], 80)
        lines.append(f"  {target['name']:<{width}}  {target['language']:<10}  {_libraries(target)}  [{via}]")
    return lines


def case_lines(case: dict[str, Any]) -> list[str]:
    """What is wrong with a case, one line per problem (nothing when it is fine)."""
    lines: list[str] = []
    for name, target in case["targets"].items():
        verdict = target["verdict"]
        if verdict == "failed":
            lines.append(f"FAIL {case['id']} [{name}] {target['problem']}")
        elif verdict == "stale":
            lines.append(
                f"STALE {case['id']} [{name}] listed as a known divergence but {target['status']}; "
                f"run `checkpoint-spec run --target {name} --update-known`"
            )
        elif verdict == "errored":
            fault = target["fault"] or {}
            lines.append(f"ERROR {case['id']} [{name}] {target['problem']}")
            if fault.get("stdout"):
                lines.append(f"  stdout: {_short(fault['stdout'])}")
            if fault.get("stderr"):
                lines.append(f"  stderr: {_short(fault['stderr'])}")
    return lines


def residual_lines(cases: list[dict[str, Any]], shown: int = 3) -> list[str]:
    """Residual differences; identical ones (targets, operation, pointer shape, looks) collapsed with a count."""
    groups: dict[tuple[Any, ...], list[tuple[str, dict[str, Any]]]] = {}
    for case in cases:
        for difference in case["differences"]:
            if not difference["recorded"]:
                shape = "/".join("*" if part.isdigit() else part for part in difference["pointer"].split("/"))
                key = (*difference["targets"], difference["op"], shape, *difference["looks"])
                groups.setdefault(key, []).append((case["id"], difference))
    lines: list[str] = []
    for (first, second, op, shape, look_a, look_b), found in groups.items():
        ids = list(dict.fromkeys(case_id for case_id, _ in found))
        more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
        case_id, sample = found[0]
        lines.append(
            f"DIVERGE [{first} | {second}] {op} {shape or '/'}: {look_a} | {look_b} on {len(ids)} cases "
            f"({', '.join(ids[:shown])}{more}); e.g. {case_id} step {sample['step']} {sample['pointer'] or '/'}: "
            f"{_short(sample['why'], 160)}"
        )
    if lines:
        lines.append(
            "residual differences: no cause in the registry explains them; run with --update-registry to "
            "propose one cause per group, then name and explain each"
        )
    return lines


def render_terminal(document: dict[str, Any], html: Path) -> str:
    lines = header_lines(document)
    for problem in document["registry"]["problems"]:
        lines.append(f"REGISTRY {problem}")
    for case in document["cases"]:
        lines.extend(case_lines(case))
    lines.extend(residual_lines(document["cases"]))
    if document["causes"]:
        lines.append(f"{len(document['causes'])} causes, by the cases they explain differences on:")
        lines.extend(f"  {cause['cases']:5d}  {cause['id']}" for cause in document["causes"])
    lines.append(document["levels_line"])
    if document.get("interop"):
        lines.extend(interop_lines(document["interop"]))
    lines.append(f"HTML report: {html.resolve().as_uri()}")
    lines.append(document["summary_line"])
    return "\n".join(lines) + "\n"
