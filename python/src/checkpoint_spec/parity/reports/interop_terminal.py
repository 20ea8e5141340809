"""The interop section in the terminal summary: the counts table, problems, findings by group, one closing line."""

from __future__ import annotations

from typing import Any

COLUMNS = ("equal", "changed", "unreadable", "writer-error")


def arrow(direction: str) -> str:
    return direction.replace("->", "→")


def interop_lines(section: dict[str, Any]) -> list[str]:
    lines = [
        f"storage interop: {section['cases']} cases that write and read, per kind and direction on fresh storage "
        f"(findings: {section['registry']})"
    ]
    if section["table"]:
        lines.append(f"  {'kind':<9}{'direction':<22}{'operation':<16}" + "".join(f"{c:>13}" for c in COLUMNS))
        for row in section["table"]:
            lines.append(
                f"  {row['kind']:<9}{arrow(row['direction']):<22}{row['op']:<16}"
                + "".join(f"{row[c]:>13}" for c in COLUMNS)
            )
    for kind, message in section["errors"].items():
        lines.append(f"INTEROP ERROR {kind}: {message}")
    for problem in section["problems"]:
        lines.append(f"INTEROP {problem}")
    recorded = [finding for finding in section["findings"] if finding["recorded"]]
    if recorded:
        lines.append(f"  {len(recorded)} recorded findings (reads that do not read back equal), by group:")
        lines.extend(f"  {len(finding['reads']):5d}  {finding['group']}" for finding in recorded)
    lines.append(section["summary_line"])
    return lines
