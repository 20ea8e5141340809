"""Helpers for the tests of parity.html: a parsed page, a report document with an interop section."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.parity.reports.json_report import unpack

from .conftest import case_file
from .parity_support import CASE_IDS, fake, parity, simple_case

PAGE_SCRIPT = Path(__file__).resolve().parents[1] / "src/checkpoint_spec/parity/reports/page/parity.js"
HOSTILE = "</script><b>bold</b><!-- & </style> \u2028"
ALTER = ["--targets", "py-memory,py-memory-async,fake", "--driver", "fake@memory=" + fake("alter.py", "second")]


class Page(HTMLParser):
    """The ids, tags, title and script and style texts of an HTML page, as html.parser reads them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.title = ""
        self._open: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        found = dict(attrs)
        if found.get("id"):
            self.ids[str(found["id"])] += 1
        if tag in ("script", "style", "title"):
            self._open.append((tag, found))
            if tag == "script":
                self.scripts.append((found, ""))
            elif tag == "style":
                self.styles.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open:
            return
        tag, _ = self._open[-1]
        if tag == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif tag == "style":
            self.styles[-1] += data
        else:
            self.title += data

    def data(self) -> Any:
        (text,) = [text for attrs, text in self.scripts if attrs.get("id") == "parity-data"]
        return json.loads(text)


def script_ids() -> set[str]:
    """Every id the page's script looks up by name."""
    return set(re.findall(r'\b(?:byId|selectById|inputById)\("([^"]+)"\)', PAGE_SCRIPT.read_text(encoding="utf-8")))


def hostile_spec(make_spec: Callable[..., Path]) -> Path:
    """The small spec, with markup and a script end in the title of the case that diverges, a reference case."""
    cases = [simple_case(case_id) for case_id in CASE_IDS]
    cases[1]["title"] = "second " + HOSTILE
    cases[1] = {**cases[1], "level": "reference", "reference": "What the reference savers do."}
    return make_spec({"put.json": case_file(*cases)})


def diverging_document(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], out: Path) -> Any:
    """The report document of a run on the hostile spec where the fake driver diverges on `second`."""
    code, lines, _, packed = parity(capsys, hostile_spec(make_spec), out, *ALTER)
    assert code == 1, lines  # the divergence is not recorded
    return unpack(packed)


def interop_sample(reason: str) -> dict[str, Any]:
    """A storage interop section with one changed read, as interop.section makes it."""
    verdicts = ["equal", "changed", "unreadable", "writer-error"]
    counts = {"equal": 3, "changed": 1, "unreadable": 0, "writer-error": 0}
    read = {
        "case": "first",
        "step": 1,
        "detail": "differs at /checkpoint/v " + reason,
        "error": None,
        "diff": ["--- read by the writer (python)", "+++ read by the reader (typescript)"],
        "written": {"result": {"checkpoint": {"v": 4, "id": "a"}, "same": list(range(8))}},
        "read": {"result": {"checkpoint": {"v": 1, "id": "a"}, "same": list(range(8))}},
    }
    finding = {
        "group": "sqlite python->typescript get_tuple changed",
        "kind": "sqlite",
        "direction": "python->typescript",
        "op": "get_tuple",
        "verdict": "changed",
        "recorded": True,
        "reason": reason,
        "reads": [read],
    }
    rows = [
        {"kind": "sqlite", "direction": direction, "op": "get_tuple", **counts}
        for direction in ("python->typescript", "typescript->python")
    ]
    return {
        "ok": True,
        "kinds": ["sqlite"],
        "cases": 4,
        "registry": "spec/parity/interop.json",
        "errors": {},
        "problems": [],
        "verdicts": verdicts,
        "counts": {key: value * 2 for key, value in counts.items()},
        "recorded": 1,
        "unrecorded": 0,
        "stale": 0,
        "table": rows,
        "findings": [finding],
        "summary_line": "storage interop: 4 cases on sqlite, 6 reads equal, 2 changed, 0 unreadable",
    }
