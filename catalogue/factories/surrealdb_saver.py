"""langgraph-checkpoint-surrealdb on embedded SurrealDB (surrealkv://, no server): a fresh store folder per case."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from catalogue.factories._timed import timed
from langgraph_checkpoint_surrealdb import SurrealSaver
from surrealdb import Surreal

USER, PASSWORD = "spec", "spec"


@timed
@contextmanager
def factory(scratch: str) -> Iterator[SurrealSaver]:
    folder = tempfile.mkdtemp(prefix="surrealdb-", dir=scratch)
    url = f"surrealkv://{folder}/store"
    try:
        # A new embedded store has no users, and the saver always signs in: define the one it signs in as.
        provisioning = Surreal(url)
        provisioning.query(f"DEFINE USER {USER} ON ROOT PASSWORD '{PASSWORD}' ROLES OWNER")
        provisioning.close()
        yield SurrealSaver(url, "spec", "spec", USER, PASSWORD)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
