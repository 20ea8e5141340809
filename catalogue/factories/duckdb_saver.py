"""langgraph-checkpoint-duckdb: a fresh DuckDB file per case, in its own folder under the --target-arg folder."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from catalogue.factories._timed import timed
from langgraph.checkpoint.duckdb import DuckDBSaver


@timed
@contextmanager
def factory(scratch: str) -> Iterator[DuckDBSaver]:
    folder = tempfile.mkdtemp(prefix="duckdb-", dir=scratch)
    try:
        with DuckDBSaver.from_conn_string(str(Path(folder) / "checkpoints.duckdb")) as saver:
            # Its documentation: setup() must be called before first use.
            saver.setup()
            yield saver
    finally:
        shutil.rmtree(folder, ignore_errors=True)
