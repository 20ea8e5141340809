"""langgraph-checkpoint-lmdb: each case an LMDB environment in a fresh folder under the --target-arg folder."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import lmdb
from catalogue.factories._timed import timed
from langgraph_checkpoint_lmdb import LMDBSaver


@timed
@contextmanager
def factory(scratch: str) -> Iterator[LMDBSaver]:
    folder = tempfile.mkdtemp(prefix="lmdb-", dir=scratch)
    try:
        # Two named databases (checkpoints, writes); a small map is enough for the spec's values.
        env = lmdb.open(folder, max_dbs=4, map_size=64 * 1024 * 1024)
        try:
            yield LMDBSaver(env)
        finally:
            env.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
