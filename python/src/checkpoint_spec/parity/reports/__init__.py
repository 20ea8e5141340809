"""The parity reports: JSON (the data), Markdown, a self-contained HTML page and the terminal summary."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..model import ParityRun
from .document import report_document
from .html import render_html
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


def write_reports(run: ParityRun, folder: Path) -> dict[str, Path]:
    """Render every report first, then move each into place whole: never half a report."""
    document = report_document(run)
    rendered = {
        "parity.json": render_json(document),
        "parity.md": render_markdown(document),
        "parity.html": render_html(document),
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
