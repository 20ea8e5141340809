"""The storage interop section's data in parity.html (the template and parity.js draw it).

The section holds, per kind, a table of operations by direction with the counts of reads that came back equal,
changed or unreadable (and where the writer's own saver raised), and every finding group with its recorded reason
and its reads: the error, or both reads, which the page diffs with the same function as the observations.
"""

from __future__ import annotations

from typing import Any

from .anchors import finding_anchor
from .values import ValueTable


def _read(verdict: str, item: dict[str, Any], values: ValueTable) -> dict[str, Any]:
    changed = verdict == "changed"
    return {
        **{key: item[key] for key in ("case", "step", "detail", "error")},
        "written": values.index(item["written"].get("result")) if changed else None,
        "read": values.index(item["read"].get("result")) if changed else None,
    }


def interop_page_data(section: dict[str, Any], values: ValueTable) -> dict[str, Any]:
    """What the page needs: counts, problems, and each read's error or its two reads (as indexes into values)."""
    verdicts = list(section["verdicts"])
    return {
        **{key: section[key] for key in ("ok", "kinds", "registry", "summary_line", "counts", "errors", "problems")},
        # In the section's order (python->typescript first); the table has a row for each direction that ran.
        "directions": list(dict.fromkeys(row["direction"] for row in section["table"])),
        "verdicts": verdicts,
        "table": [
            {
                "kind": row["kind"],
                "direction": row["direction"],
                "op": row["op"],
                "counts": {verdict: row[verdict] for verdict in verdicts},
            }
            for row in section["table"]
        ],
        "findings": [
            {
                **{key: finding[key] for key in ("group", "kind", "direction", "op", "verdict", "recorded", "reason")},
                "anchor": finding_anchor(finding),
                "reads": [_read(finding["verdict"], item, values) for item in finding["reads"]],
            }
            for finding in section["findings"]
        ],
    }
