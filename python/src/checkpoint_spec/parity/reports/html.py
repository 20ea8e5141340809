"""parity.html: one self-contained page (inline style and script, no network), readable from file://.

The page is the Jinja2 template page/parity.html.j2 with page/parity.css and page/parity.js inlined and the run
embedded as JSON; the script draws the matrix of cases by targets, grouped by operation, each case tagged with its
level, with filters by operation, level, status and cause, the divergences per level in the header, the storage
interop section when it ran, and for every divergence, failure and scenario the steps and each target's
observations side by side, pretty-printed, with the lines that differ highlighted.
Observations are embedded once each (a table of distinct values) and referred to by index.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from ...templates import page_environment
from .interop_html import interop_page_data
from .values import ValueTable

DETAIL_STEPS = 200
# What would end the raw text of <style> or <script> early, or open a comment the parser would honour there.
RAW_TEXT_END = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


def _target_verdict(target: dict[str, Any]) -> dict[str, Any]:
    return {key: target[key] for key in ("verdict", "status", "reason", "problem", "known_reason", "fault")}


def page_data(document: dict[str, Any]) -> dict[str, Any]:
    """What the page needs: every verdict, and observations only where there is something to see.

    Observations and targets' verdicts are stored once each, in `values` and `verdicts`, and referred to by index.
    """
    values, verdicts = ValueTable(), ValueTable()
    cases: list[dict[str, Any]] = []
    details: dict[str, Any] = {}
    for case in document["cases"]:
        cases.append(
            {
                **{key: case[key] for key in ("id", "title", "level", "operation", "kind", "where", "parity", "ok")},
                **{key: case[key] for key in ("classes", "families", "differences", "differing_steps")},
                "targets": {name: verdicts.index(_target_verdict(target)) for name, target in case["targets"].items()},
            }
        )
        # A scenario always shows its steps: its checkpoint stream side by side is the point.
        if case["differences"] or not case["ok"] or case["kind"] == "scenario":
            details[case["id"]] = {
                "steps": case["case"]["steps"][:DETAIL_STEPS],
                "graph": case["case"].get("graph"),
                "observations": {
                    name: [values.index(step["observation"]) for step in target["steps"][:DETAIL_STEPS]]
                    for name, target in case["targets"].items()
                },
            }
    interop = document.get("interop")
    shown = [
        "tool", "spec", "seconds", "ok", "summary", "summary_line", "levels", "levels_line", "registry", "causes",
        "targets",
    ]  # fmt: skip
    return {
        **{key: document[key] for key in shown},
        "cases": cases,
        "details": details,
        "interop": None if interop is None else interop_page_data(interop, values),
        "values": values.values,
        "verdicts": verdicts.values,
    }


def inline(text: str, name: str) -> Markup:
    """The text of page/name, trusted as it is, unless it would end its <style> or <script> element early."""
    found = RAW_TEXT_END.search(text)
    if found:
        raise ValueError(f"page/{name} holds {found.group()!r}, which would end its inline element")
    return Markup(text)


def _page_file(name: str) -> Markup:
    return inline(resources.files(__package__).joinpath("page", name).read_text(encoding="utf-8"), name)


@cache
def _template() -> jinja2.Template:
    environment = page_environment(__package__)
    # tojson escapes <, >, & and ' as \uXXXX: the data cannot end its <script> element.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return environment.get_template("parity.html.j2")


def render_html(document: dict[str, Any]) -> str:
    return _template().render(
        summary_line=document["summary_line"],
        ok=document["ok"],
        has_interop=document.get("interop") is not None,
        style=_page_file("parity.css"),
        script=_page_file("parity.js"),
        data=page_data(document),
    )
