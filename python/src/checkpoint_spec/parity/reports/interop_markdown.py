"""The interop section of parity.md: the counts table, then every finding group with its reason, linked to
parity.html, where its reads are (parity.json has them too).
"""

from __future__ import annotations

from typing import Any

from .anchors import PAGE, finding_anchor
from .interop_terminal import COLUMNS, arrow


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def interop_markdown(section: dict[str, Any]) -> str:
    out = [
        "## Storage interop",
        "",
        f"**{section['summary_line']}** — {'as recorded' if section['ok'] else 'FAILED'}",
        "",
        "What one language's saver wrote, read back by the other language's saver of the same kind (each case "
        "on a fresh SQLite file or PostgreSQL schema). A read is *equal*, *changed* (both read, but something "
        f"differs) or *unreadable* (the reader raised). Findings are recorded in `{section['registry']}`.",
        "",
    ]
    for kind, message in section["errors"].items():
        out.append(f"- **{kind} could not run**: {_cell(message)}")
    for problem in section["problems"]:
        out.append(f"- ❌ {_cell(problem)}")
    if section["errors"] or section["problems"]:
        out.append("")
    if section["table"]:
        out += ["| kind | direction | operation | " + " | ".join(COLUMNS) + " |", "|---" * (3 + len(COLUMNS)) + "|"]
        for row in section["table"]:
            cells = [str(row[c]) if row[c] else "·" for c in COLUMNS]
            out.append(f"| {row['kind']} | {arrow(row['direction'])} | {row['op']} | " + " | ".join(cells) + " |")
        out.append("")
    if section["findings"]:
        out += ["| finding | reads | reason |", "|---|---|---|"]
    for number, finding in enumerate(section["findings"]):
        link = f"[{finding['group']}]({PAGE}#{finding_anchor(finding)})"
        reason = _cell(finding["reason"]) if finding["recorded"] else "**not recorded**"
        out.append(f"| {link} | {len(finding['reads'])} (parity.json `/interop/findings/{number}`) | {reason} |")
    return "\n".join(out) + "\n"
