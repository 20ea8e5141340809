"""langgraph-checkpoint-objectstorage on the local filesystem (fsspec file://): a fresh root folder per case."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from catalogue.factories._timed import timed
from langgraph_checkpoint_objectstorage import ObjectStorageSaver


@timed
@contextmanager
def factory(scratch: str) -> Iterator[ObjectStorageSaver]:
    folder = tempfile.mkdtemp(prefix="objectstorage-", dir=scratch)
    try:
        yield ObjectStorageSaver.from_conn_string(f"file://{folder}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
