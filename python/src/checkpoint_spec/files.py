"""Writing files whole or not at all, and checking up front that they can be written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import SpecError


def json_text(document: Any) -> str:
    """The project's one JSON file format: two-space indent, UTF-8 as is, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_text_atomically(path: Path, text: str) -> None:
    """Replace path with text in one step, so an interrupted run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        # mkstemp creates the file private (0600); give it the mode a plain open would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json_atomically(path: Path, document: Any) -> None:
    write_text_atomically(path, json_text(document))


def check_writable(path: Path, option: str) -> None:
    """Fail before any work when path cannot be written, naming the option that gave it."""
    try:
        if path.is_dir():
            raise SpecError(option, f"{path} is a folder, not a file")
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(descriptor)
        Path(probe).unlink()
    except OSError as exc:
        raise SpecError(option, f"cannot write {path}: {exc.strerror}") from None
