"""py-sqlite and py-sqlite-async: SqliteSaver and AsyncSqliteSaver, each case on a fresh database file."""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from ..deadlines import DEFAULT_TIMEOUT
from .database import DatabaseTarget, missing_extra
from .saver import Api

PACKAGES = ("langgraph-checkpoint-sqlite", "aiosqlite")


def _saver_classes(target: str) -> tuple[Any, Any]:
    try:
        from langgraph.checkpoint.sqlite import SqliteSaver
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
    except ImportError as exc:
        raise missing_extra(target, exc) from None
    return SqliteSaver, AsyncSqliteSaver


class SqliteFiles:
    """A temporary folder that holds one database file per case, removed when the process ends."""

    def __init__(self) -> None:
        self._folder: Path | None = None

    def fresh(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="checkpoint-spec-sqlite-"))
            atexit.register(shutil.rmtree, self._folder, True)
        return self._folder / f"{uuid.uuid4().hex}.sqlite"


_files = SqliteFiles()


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def sqlite_factory(name: str, api: Api, path: Path | None = None) -> Callable[[], Any]:
    """A factory of fresh savers: each on its own new file, or all on `path` when given (kept afterwards)."""
    sync_class, async_class = _saver_classes(name)

    @contextlib.contextmanager
    def sync_saver() -> Iterator[Any]:
        file = path or _files.fresh()
        try:
            with sync_class.from_conn_string(str(file)) as saver:
                yield saver
        finally:
            if path is None:
                _remove(file)

    @contextlib.asynccontextmanager
    async def async_saver() -> AsyncIterator[Any]:
        file = path or _files.fresh()
        try:
            async with async_class.from_conn_string(str(file)) as saver:
                yield saver
        finally:
            if path is None:
                _remove(file)

    return sync_saver if api == "sync" else async_saver


def sqlite_target(name: str, api: Api, path: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> DatabaseTarget:
    return DatabaseTarget(name, sqlite_factory(name, api, path), api, PACKAGES, timeout=timeout)


def py_sqlite(timeout: float = DEFAULT_TIMEOUT) -> DatabaseTarget:
    return sqlite_target("py-sqlite", "sync", timeout=timeout)


def py_sqlite_async(timeout: float = DEFAULT_TIMEOUT) -> DatabaseTarget:
    return sqlite_target("py-sqlite-async", "async", timeout=timeout)
