"""A bug of the runner itself: one line on standard error, the traceback in a file, exit status 2."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .errors import exception_text
from .files import write_text_atomically

EXIT_INTERNAL = 2


def details_path() -> Path:
    millis = int(time.time() * 1000)
    return Path(tempfile.gettempdir()) / f"checkpoint-spec-internal-{os.getpid()}-{millis}.txt"


def report_internal_error(exc: BaseException) -> int:
    """Write the traceback to a file of its own and say where in one line; never a traceback on the terminal."""
    text = "".join(traceback.format_exception(exc))
    # A lone surrogate in a message must not stop the report being written.
    text = text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    path = details_path()
    try:
        write_text_atomically(path, f"checkpoint-spec {' '.join(sys.argv[1:])}\n\n{text}")
        where = str(path)
    except OSError as problem:
        where = f"no file ({path} could not be written: {exception_text(problem)})"
    print(f"error: internal error: {exception_text(exc)}; details in {where}", file=sys.stderr)
    return EXIT_INTERNAL
