"""The parity reports: JSON (the data), Markdown, a self-contained HTML page and the terminal summary."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..model import ParityRun
from .document import report_document
from .html import render_html
from .interop_html import add_interop_section
from .interop_markdown import interop_markdown
from .json_report import render_json
from .markdown import render_markdown
from .terminal import render_terminal

REPORT_FILES = ("parity.json", "parity.md", "parity.html", "summary.txt")

__all__ = ["REPORT_FILES", "check_writable", "write_reports"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_writable(folder: Path) -> None:
    """Raise OSError (with filename) unless reports can be written into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, probe = tempfile.mkstemp(prefix=".parity-probe.", dir=folder)
    os.close(descriptor)
    Path(probe).unlink()


def with_interop(document: dict[str, Any], interop: dict[str, Any] | None) -> dict[str, Any]:
    """The document with the storage interop section (`interop`, null when not run); `ok` needs both parts ok."""
    return {**document, "ok": document["ok"] and (interop is None or interop["ok"]), "interop": interop}


def write_reports(run: ParityRun, folder: Path, interop: dict[str, Any] | None = None) -> dict[str, Path]:
    """Render every report first, then move each into place whole: never half a report.

    `interop` is the storage interop section (interop.section), rendered in every report.
    """
    document = with_interop(report_document(run), interop)
    markdown, page = render_markdown(document), render_html(document)
    if interop is not None:
        markdown += "\n" + interop_markdown(interop)
        page = add_interop_section(page, interop)
    rendered = {
        "parity.json": render_json(document),
        "parity.md": markdown,
        "parity.html": page,
        "summary.txt": render_terminal(document, folder / "parity.html"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    temporaries: dict[str, Path] = {}
    try:
        for name, text in rendered.items():
            descriptor, path = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            temporaries[name] = Path(path)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(path, 0o666 & ~_umask())
        for name, temporary in temporaries.items():
            os.replace(temporary, folder / name)
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
    return {name: folder / name for name in rendered}
