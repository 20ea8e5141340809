"""The interop section of parity.md: the counts table, then every finding group with its reason and reads."""

from __future__ import annotations

from typing import Any

from .interop_terminal import COLUMNS, arrow

READS_SHOWN = 50


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
    for finding in section["findings"]:
        reads = finding["reads"]
        status = "recorded" if finding["recorded"] else "**not recorded**"
        out += [
            f"### {finding['kind']} {arrow(finding['direction'])} {finding['op']} {finding['verdict']} "
            f"({len(reads)} reads, {status})",
            "",
        ]
        if finding["reason"]:
            out += [f"Why: {finding['reason']}", ""]
        out += [f"<details><summary>the {len(reads)} reads</summary>", ""]
        for item in reads[:READS_SHOWN]:
            out.append(f"- `{item['case']}` step {item['step']}: {_cell(item['detail'] or '')}")
            if item["diff"]:
                out += ["", "  ```diff", *(f"  {line}" for line in item["diff"]), "  ```", ""]
        if len(reads) > READS_SHOWN:
            out.append(f"- … and {len(reads) - READS_SHOWN} more reads (parity.json lists them all)")
        out += ["", "</details>", ""]
    return "\n".join(out) + "\n"
