"""The parity reports: JSON (the data), Markdown, a self-contained HTML page and the terminal summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...files import is_temporary, probe_folder, remove_leftovers, write_folder_atomically
from ..model import ParityRun
from .document import report_document
from .html import render_html
from .interop_markdown import interop_markdown
from .json_report import render_json
from .markdown import render_markdown
from .terminal import render_terminal

REPORT_FILES = ("parity.json", "parity.md", "parity.html", "summary.txt")

__all__ = ["REPORT_FILES", "ForeignFiles", "check_writable", "write_reports"]


class ForeignFiles(Exception):
    """A report folder that holds something other than the reports: the swap that replaces it would lose it."""


def foreign_files(folder: Path) -> list[str]:
    """What folder holds besides the reports and temporaries (this writer's, or an earlier one's `.parity.json.*`)."""
    if not folder.is_dir():
        return []
    earlier = tuple(f".{name}." for name in REPORT_FILES)
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name not in REPORT_FILES and not is_temporary(entry.name) and not entry.name.startswith(earlier)
    )


def check_writable(folder: Path) -> None:
    """Raise OSError (with filename) unless reports can be written there, ForeignFiles when it holds other files.

    What an interrupted earlier run left beside the folder is removed first.
    """
    found = foreign_files(folder)
    if found:
        shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
        raise ForeignFiles(
            f"holds files that are not parity reports ({shown}); every run replaces the folder whole, "
            "so name a folder of its own"
        )
    remove_leftovers(folder.resolve())
    probe_folder(folder)


def with_interop(document: dict[str, Any], interop: dict[str, Any] | None) -> dict[str, Any]:
    """The document with the storage interop section (`interop`, null when not run); `ok` needs both parts ok."""
    return {**document, "ok": document["ok"] and (interop is None or interop["ok"]), "interop": interop}


def write_reports(run: ParityRun, folder: Path, interop: dict[str, Any] | None = None) -> dict[str, Path]:
    """Render every report first, then swap the whole set into place: never half a report, never a mixed set.

    `interop` is the storage interop section (interop.section), rendered in every report.
    """
    document = with_interop(report_document(run), interop)
    markdown = render_markdown(document)
    if interop is not None:
        markdown += "\n" + interop_markdown(interop)
    rendered = {
        "parity.json": render_json(document),
        "parity.md": markdown,
        "parity.html": render_html(document),
        "summary.txt": render_terminal(document, folder / "parity.html"),
    }
    write_folder_atomically(folder, rendered)
    return {name: folder / name for name in rendered}
