"""Where things are in parity.html: the anchors parity.md links to (parity.js draws cases at the same ones)."""

from __future__ import annotations

from typing import Any

PAGE = "parity.html"


def case_anchor(case_id: str) -> str:
    return f"case-{case_id}"


def finding_anchor(finding: dict[str, Any]) -> str:
    direction = finding["direction"].replace("->", "-to-")
    return f"interop-{finding['kind']}-{direction}-{finding['op']}-{finding['verdict']}"
