from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# No example database, and hypothesis's other caches (constants, unicode data) in a folder removed at exit:
# the tests leave no .hypothesis folder behind.
settings.register_profile("checkpoint-spec", database=None)
settings.load_profile("checkpoint-spec")
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="checkpoint-spec-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec"

pytest_plugins = ["pytester"]


def write_json(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


CONFIG = {"configurable": {"thread_id": "t1", "checkpoint_ns": ""}}


def put_step(name: str = "saved", fixture: str = "checkpoint-1", **extra: Any) -> dict[str, Any]:
    step: dict[str, Any] = {
        "op": "put",
        "as": name,
        "args": {"config": CONFIG, "checkpoint": {"$fixture": fixture}, "metadata": {}, "new_versions": {}},
    }
    step.update(extra)
    return step


# Tests judge their cases as a user's target would by default (on the contract).
TEST_CITATION = {
    "language": "python",
    "file": "langgraph/checkpoint/base/__init__.py",
    "symbol": "BaseCheckpointSaver",
    "quote": "Base class for creating a graph checkpointer.",
}


def with_level(case: dict[str, Any]) -> dict[str, Any]:
    """A test's case or scenario with the level every one states (spec/README.md 1.2), unless it states one."""
    if "level" in case:
        return case
    return {**case, "level": "contract", "contract": [TEST_CITATION]}


def case_file(*cases: dict[str, Any], operation: str = "put") -> dict[str, Any]:
    return {
        "$schema": "../schema/case-file.schema.json",
        "operation": operation,
        "description": "test cases",
        "cases": [with_level(case) for case in cases],
    }


def entry(reason: str, *marks: tuple[int, str, str]) -> dict[str, Any]:
    """A known-divergence entry: its reason and its fingerprint, as (step, at, kind) marks."""
    return {"reason": reason, "fails": [{"step": s, "at": a, "kind": k} for s, a, k in sorted(marks)]}


@pytest.fixture
def make_spec(tmp_path: Path) -> Callable[..., Path]:
    """A spec folder with the real schemas and fixtures and the given case files."""

    def make(files: dict[str, Any], known: dict[str, Any] | None = None) -> Path:
        root = tmp_path / "spec"
        shutil.copytree(SPEC / "schema", root / "schema")
        shutil.copytree(SPEC / "fixtures", root / "fixtures")
        for name, document in files.items():
            path = root / "cases" / name
            if isinstance(document, str):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(document, encoding="utf-8")
            else:
                write_json(path, document)
        for target, divergences in (known or {}).items():
            write_json(
                root / "known-divergences" / f"{target}.json",
                {"$schema": "../schema/known-divergences.schema.json", "target": target, "divergences": divergences},
            )
        (root / "cases").mkdir(exist_ok=True)
        return root

    return make
