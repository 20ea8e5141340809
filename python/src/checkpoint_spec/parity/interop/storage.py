"""Fresh, empty storage for interop jobs: SQLite files in a temporary folder, or PostgreSQL schemas."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def storages(kind: str, count: int, dsn: str | None) -> Iterator[list[str]]:
    """`count` fresh, empty storages of one kind (files or schemas), removed afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="checkpoint-spec-interop-"))
        try:
            yield [str(folder / f"{index}.sqlite") for index in range(count)]
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    assert dsn is not None
    names = [f"checkpoint_spec_interop_{uuid.uuid4().hex[:12]}" for _ in range(count)]
    try:
        yield names
    finally:
        import psycopg

        from ...databases.postgres_server import with_options

        with psycopg.connect(with_options(dsn), autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
