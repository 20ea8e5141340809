"""Writing files (and folders of files) whole or not at all, and checking up front that they can be written.

Everything is first written under a temporary name that starts with TEMPORARY
and names the writing process, beside where it goes, then renamed into place.
What an interrupted writer (kill -9) leaves behind is therefore recognizable,
and the next writer of the same place removes it (remove_leftovers).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from .errors import SpecError

TEMPORARY = ".checkpoint-spec-tmp-"


def json_text(document: Any) -> str:
    """The project's one JSON file format: two-space indent, UTF-8 as is, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _temporary_prefix(path: Path) -> str:
    return f"{TEMPORARY}{path.name}.{os.getpid()}."


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_text_atomically(path: Path, text: str) -> None:
    """Replace path with text in one step, so an interrupted run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=_temporary_prefix(path), dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        # mkstemp creates the file private (0600); give it the mode a plain open would.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json_atomically(path: Path, document: Any) -> None:
    write_text_atomically(path, json_text(document))


def write_folder_atomically(folder: Path, files: dict[str, str]) -> None:
    """Replace folder with one that holds exactly these files (name: text): a reader sees the old set or the new.

    The new set is written into a temporary folder beside it, which is then
    swapped with the old one in one step (on Linux; elsewhere the old folder is
    moved aside first) and the old set removed.
    """
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(folder)
    staging = Path(tempfile.mkdtemp(prefix=_temporary_prefix(folder), dir=folder.parent))
    try:
        for name, text in files.items():
            write_text_atomically(staging / name, text)
        # mkdtemp creates the folder private (0700); give it the mode a plain mkdir would.
        os.chmod(staging, 0o777 & ~_umask())
        if not folder.exists():
            os.rename(staging, folder)
        elif not _exchange(staging, folder):
            aside = Path(tempfile.mkdtemp(prefix=_temporary_prefix(folder), dir=folder.parent))
            os.rename(folder, aside / folder.name)
            os.rename(staging, folder)
            staging = aside
    finally:
        # After the swap, the temporary folder holds the old set.
        shutil.rmtree(staging, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system without the exchange
    raise OSError(number, os.strerror(number), str(second))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _left_behind(entry: str, name: str) -> bool:
    """Whether entry is a temporary of name (TEMPORARY, name, .PID.RANDOM) whose writer no longer runs."""
    prefix = f"{TEMPORARY}{name}."
    if not entry.startswith(prefix):
        return False
    pid, dot, rest = entry[len(prefix) :].partition(".")
    return bool(dot) and pid.isdigit() and "." not in rest and not _running(int(pid))


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary folders and files that interrupted writers of folder left beside it."""
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in folder.parent.iterdir():
            if not _left_behind(entry.name, folder.name):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def is_temporary(name: str) -> bool:
    """A name this module writes under before the rename into place (a leftover, when its writer is gone)."""
    return name.startswith(TEMPORARY)


def probe_folder(folder: Path) -> None:
    """Raise OSError unless write_folder_atomically can replace folder: it writes and renames beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    os.rmdir(tempfile.mkdtemp(prefix=_temporary_prefix(folder), dir=folder.resolve().parent))


def check_writable(path: Path, option: str) -> None:
    """Fail before any work when path cannot be written, naming the option that gave it."""
    try:
        if path.is_dir():
            raise SpecError(option, f"{path} is a folder, not a file")
        if path.exists() and not path.is_file():
            # The report replaces the file whole: over a device or a pipe (/dev/null as root) that would replace it.
            raise SpecError(option, f"{path} is not a regular file")
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(prefix=_temporary_prefix(path), dir=path.parent)
        os.close(descriptor)
        Path(probe).unlink()
    except OSError as exc:
        raise SpecError(option, f"cannot write {path}: {exc.strerror}") from None


def log_stream(path: Path) -> BinaryIO:
    """A file a child process writes its output to as it runs: a log, read when it fails, never a report."""
    return path.open("wb")


def silence_standard_streams() -> None:
    """Standard output and error sent to the null device, so nothing left to print can fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for descriptor in (1, 2):
        os.dup2(devnull, descriptor)
    os.close(devnull)
