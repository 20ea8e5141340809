"""Storage interop for real: Python's and LangGraph JS's SQLite savers on shared files (needs js/dist built)."""

from __future__ import annotations

import shutil

import pytest

from checkpoint_spec.loading import load_spec
from checkpoint_spec.parity.interop import JS_INTEROP, check_registry, load_registry, run_interop

from .conftest import REPO, SPEC


def test_interop_on_sqlite_both_directions() -> None:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not on PATH; the TypeScript savers need it")
    if not (REPO / JS_INTEROP).is_file():
        pytest.skip(f"{JS_INTEROP} is not built (nox -s parity builds it)")
    spec = load_spec(SPEC)
    cases = [case for case in spec.cases if case.id in ("put-returns-stored-config", "roundtrip-channel-bytes")]
    run = run_interop(spec, cases, REPO, ["sqlite"], None)
    verdicts = {(read.direction, read.case, read.op): read.verdict for read in run.reads}
    # Python writes msgpack, which LangGraph JS cannot decode.
    assert verdicts[("python->typescript", "put-returns-stored-config", "get_tuple")] == "unreadable"
    # LangGraph JS writes JSON, which Python reads back equal, except bytes (an lc Uint8Array object).
    assert verdicts[("typescript->python", "put-returns-stored-config", "get_tuple")] == "equal"
    assert verdicts[("typescript->python", "roundtrip-channel-bytes", "get_tuple")] == "changed"
    registry = load_registry(spec)
    assert check_registry(run, registry, ["sqlite"], full=False) == []
    assert ("typescript->python", "put-returns-stored-config", "pending_writes") in verdicts
