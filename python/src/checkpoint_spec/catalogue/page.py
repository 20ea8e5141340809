"""The catalogue page: per saver and version, results per operation split by level, known divergences with their
reasons, time per case and leftovers; as catalogue.json, catalogue.md and catalogue.html (page/ template + CSS).
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..files import write_text_atomically
from ..levels import LEVELS
from ..templates import page_environment
from .savers import Saver

# Verdicts as the page counts them: a stale or errored case is a failure the known file does not explain.
COLUMNS = ("passed", "known", "failed", "skipped")
_COLUMN_OF = {"passed": "passed", "known": "known", "failed": "failed", "stale": "failed", "errored": "failed"}


@dataclass
class SaverRun:
    """One saver's run: its JSON report, known-divergence file, per-case seconds, what it left and how it ended."""

    saver: Saver
    report: dict[str, Any] | None
    known: dict[str, Any]
    times: list[float]
    leftovers: list[str]
    unexpected: list[str]
    wall_seconds: float
    problem: str = ""
    # Where the run's output was kept, for a failure's reader.
    log: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def row_name(case: dict[str, Any]) -> str:
    """A case's operation; a scenario's row is its topic, marked as a scenario."""
    where = str(case.get("where", ""))
    operation = str(case.get("operation", "?"))
    return f"scenario: {operation}" if "/scenarios/" in where else operation


def tally(cases: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """Counts per row, per level, per column."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    for case in cases:
        level = case["level"]  # every report case carries its level (spec/README.md 6.4)
        column = _COLUMN_OF.get(case["verdict"], "skipped")
        cell = table.setdefault(row_name(case), {}).setdefault(level, dict.fromkeys(COLUMNS, 0))
        cell[column] += 1
    scenarios = sorted(name for name in table if name.startswith("scenario: "))
    return {name: table[name] for name in sorted(set(table) - set(scenarios))} | {
        name: table[name] for name in scenarios
    }


def collapse(known: dict[str, Any]) -> list[dict[str, Any]]:
    """Known divergences grouped by reason: each reason once, with its cases, most cases first."""
    by_reason: dict[str, list[str]] = {}
    for case, entry in sorted(known.get("divergences", {}).items()):
        by_reason.setdefault(str(entry["reason"]), []).append(case)
    return [{"reason": reason, "cases": cases} for reason, cases in sorted(by_reason.items(), key=lambda i: -len(i[1]))]


def timing(times: list[float]) -> dict[str, Any]:
    if not times:
        return {"cases": 0, "median_seconds": None, "total_seconds": 0.0}
    return {"cases": len(times), "median_seconds": statistics.median(times), "total_seconds": sum(times)}


def saver_entry(run: SaverRun) -> dict[str, Any]:
    saver = run.saver
    report = run.report or {}
    cases = list(report.get("cases", []))
    libraries = dict(report.get("target", {}).get("libraries", {}))
    return {
        "name": saver.name,
        "package": saver.package,
        "version": saver.version,
        "language": saver.language,
        "description": saver.description,
        "services": list(saver.services),
        "isolation": saver.isolation,
        "install_note": saver.install.note,
        "libraries": libraries,
        "summary": report.get("summary", {}),
        "totals": {
            level: dict(Counter(_COLUMN_OF.get(c["verdict"], "skipped") for c in cases if c["level"] == level))
            for level in LEVELS
            if any(c["level"] == level for c in cases)
        },
        "operations": tally(cases),
        "divergences": collapse(run.known),
        "time": timing(run.times) | {"wall_seconds": round(run.wall_seconds, 3)},
        "unstable": {"cases": list(saver.unstable_cases), "reason": saver.unstable_reason},
        "leftovers": run.leftovers,
        "unexpected_leftovers": run.unexpected,
        "problem": run.problem,
    }


def document(runs: list[SaverRun], spec_version: str, jobs: int = 1) -> dict[str, Any]:
    savers = [saver_entry(run) for run in runs]
    return {
        "spec_version": spec_version,
        # How many savers ran at the same time: their times include that contention.
        "jobs": jobs,
        "levels": list(LEVELS),
        "columns": list(COLUMNS),
        "savers": savers,
        "ok": all(not entry["unexpected_leftovers"] and not entry["problem"] for entry in savers),
    }


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def cell(counts: dict[str, int] | None) -> str:
    """passed / known / failed / skipped, or a dash for a level with no case in the row."""
    if not counts:
        return "-"
    return " / ".join(str(counts.get(column, 0)) for column in COLUMNS)


def _together(jobs: int) -> str:
    if jobs <= 1:
        return "the savers ran one at a time."
    return f"the savers ran {jobs} at a time, so the times include their contention."


def _library_line(entry: dict[str, Any]) -> str:
    return ", ".join(f"{name} {version}" for name, version in entry["libraries"].items()) or "not reported"


def render_markdown(doc: dict[str, Any]) -> str:
    levels = doc["levels"]
    lines = [
        "# Compatibility catalogue of third-party savers",
        "",
        f"Spec {doc['spec_version']}. Written by `python3 noxw -s catalogue` (catalogue/savers.json lists the savers;",
        "each case gets a fresh store from catalogue/factories/). A cell counts the cases of that operation and",
        "level as **passed / known / failed / skipped**: known is a divergence listed, with its reason, in",
        "catalogue/known/NAME.json; failed is one that is not, an errored case, or a stale entry (a listed case",
        "that now fails in fewer places). Time per case runs from the factory's call to the end of the saver's",
        f"teardown; {_together(doc['jobs'])}",
        "",
        "| saver | version | language | " + " | ".join(levels) + " | median per case | total | left behind |",
        "| --- | --- | --- | " + " | ".join("---" for _ in levels) + " | --- | --- | --- |",
    ]
    for entry in doc["savers"]:
        totals = " | ".join(cell(entry["totals"].get(level)) for level in levels)
        left = "; ".join(entry["leftovers"]) or "nothing"
        lines.append(
            f"| [{entry['name']}](#{entry['name']}) | {entry['package']} {entry['version']} | {entry['language']} | "
            f"{totals} | {_seconds(entry['time']['median_seconds'])} | {_seconds(entry['time']['total_seconds'])} | "
            f"{left} |"
        )
    for entry in doc["savers"]:
        lines += _saver_markdown(entry, levels)
    return "\n".join(lines).rstrip() + "\n"


def _saver_markdown(entry: dict[str, Any], levels: list[str]) -> list[str]:
    lines = [
        "",
        f'<a id="{entry["name"]}"></a>',
        f"## {entry['name']}: {entry['package']} {entry['version']} ({entry['language']})",
        "",
        entry["description"],
        "",
        f"- LangGraph libraries (report header): {_library_line(entry)}",
        f"- Services: {', '.join(entry['services']) or 'none (embedded)'}; isolation: {entry['isolation']}",
        f"- Install: {entry['install_note'] or 'with its declared dependencies, beside the runner'}",
        f"- Time: {entry['time']['cases']} cases, median {_seconds(entry['time']['median_seconds'])}, "
        f"total {_seconds(entry['time']['total_seconds'])} (run's wall time {_seconds(entry['time']['wall_seconds'])})",
        f"- Left behind: {'; '.join(entry['leftovers']) or 'nothing'}",
    ]
    if entry["unstable"]["cases"]:
        cases = ", ".join(f"`{case}`" for case in entry["unstable"]["cases"])
        lines.append(f"- Unstable between runs ({cases}): {entry['unstable']['reason']}")
    if entry["unexpected_leftovers"]:
        lines.append(f"- **Not expected** (savers.json): {'; '.join(entry['unexpected_leftovers'])}")
    if entry["problem"]:
        lines.append(f"- **Problem**: {entry['problem']}")
    lines += ["", "| operation | " + " | ".join(levels) + " |", "| --- | " + " | ".join("---" for _ in levels) + " |"]
    for name, row in entry["operations"].items():
        lines.append(f"| {name} | " + " | ".join(cell(row.get(level)) for level in levels) + " |")
    if entry["divergences"]:
        count = sum(len(group["cases"]) for group in entry["divergences"])
        lines += ["", f"Known divergences ({count} cases, {len(entry['divergences'])} reasons):", ""]
        for group in entry["divergences"]:
            shown = ", ".join(f"`{case}`" for case in group["cases"][:8])
            more = f" and {len(group['cases']) - 8} more" if len(group["cases"]) > 8 else ""
            lines.append(f"- {group['reason']} ({len(group['cases'])}: {shown}{more})")
    return lines


@cache
def _template() -> jinja2.Template:
    environment = page_environment(__package__)
    environment.filters["seconds"] = _seconds
    environment.filters["cell"] = cell
    return environment.get_template("catalogue.html.j2")


def render_html(doc: dict[str, Any]) -> str:
    style = resources.files(__package__).joinpath("page", "catalogue.css").read_text(encoding="utf-8")
    return _template().render(
        doc=doc, style=Markup(style.replace("</", "<\\/")), library_line=_library_line, together=_together(doc["jobs"])
    )


def write(doc: dict[str, Any], out: Path) -> list[Path]:
    """catalogue.json, catalogue.md and catalogue.html in `out`; gives their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = {
        "catalogue.json": json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
        "catalogue.md": render_markdown(doc),
        "catalogue.html": render_html(doc),
    }
    for name, text in written.items():
        write_text_atomically(out / name, text)
    return [out / name for name in written]
