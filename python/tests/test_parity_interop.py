"""Storage interop for real: Python's and LangGraph JS's SQLite savers on shared files (needs js/dist built),
as a section of `checkpoint-spec parity`, and what happens when a side or a database is missing."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.errors import TargetError
from checkpoint_spec.loading import load_spec
from checkpoint_spec.parity.interop import (
    JS_INTEROP,
    InteropRegistry,
    TypeScriptSide,
    check_registry,
    interop_section,
    load_interop_findings,
    parse_kinds,
    rewrite_registry,
    run_interop,
)
from checkpoint_spec.parity.interop.model import InteropRun, Read

from .conftest import REPO, SPEC, write_json
from .parity_support import CASE_IDS, parity, small_spec

UNREADABLE = "sqlite python->typescript get_tuple unreadable"
PY = ["--targets", "py-memory"]
MSGPACK = "Python writes msgpack, which LangGraph JS cannot decode."


def need_js() -> None:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not on PATH; the TypeScript savers need it")
    if not (REPO / JS_INTEROP).is_file():
        pytest.skip(f"{JS_INTEROP} is not built (nox -s parity builds it)")


def spec_beside_js(make_spec: Callable[..., Path]) -> Path:
    """The small spec, with the repository's js/ next to it (where the parity run looks for js/dist)."""
    spec = small_spec(make_spec)
    (spec.parent / "js").symlink_to(REPO / "js")
    return spec


def findings(spec: Path, reasons: dict[str, str]) -> None:
    write_json(spec / "parity" / "interop.json", {"description": "test", "findings": reasons})


def test_interop_on_sqlite_both_directions() -> None:
    need_js()
    spec = load_spec(SPEC)
    cases = [case for case in spec.cases if case.id in ("put-returns-stored-config", "roundtrip-channel-bytes")]
    run = run_interop(spec, cases, REPO, ["sqlite"], None)
    verdicts = {(read.direction, read.case, read.op): read.verdict for read in run.reads}
    # Python writes msgpack, which LangGraph JS cannot decode.
    assert verdicts[("python->typescript", "put-returns-stored-config", "get_tuple")] == "unreadable"
    # LangGraph JS writes JSON, which Python reads back equal, except bytes (an lc Uint8Array object).
    assert verdicts[("typescript->python", "put-returns-stored-config", "get_tuple")] == "equal"
    assert verdicts[("typescript->python", "roundtrip-channel-bytes", "get_tuple")] == "changed"
    registry = load_interop_findings(spec)
    assert check_registry(run, registry, full=False) == []
    assert ("typescript->python", "put-returns-stored-config", "pending_writes") in verdicts
    section = interop_section(run, registry, [])
    changed = next(f for f in section["findings"] if f["group"] == "sqlite typescript->python get_tuple changed")
    assert changed["reason"] and changed["reads"][0]["diff"][0].startswith("--- read by the writer (typescript)")
    unreadable = next(f for f in section["findings"] if f["group"] == UNREADABLE)
    assert unreadable["reads"][0]["error"] and "Unknown serialization type" in unreadable["reads"][0]["detail"]


def test_parity_reports_carry_the_interop_section_and_its_findings_are_strict(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    need_js()
    spec = spec_beside_js(make_spec)
    out = tmp_path / "out"
    argv = ["--targets", "py-memory", "--interop", "sqlite"]

    # Nothing recorded yet: the parity part is fine, the interop part fails, and all four reports say so.
    code, lines, _, document = parity(capsys, spec, out, *argv)
    assert code == 1, lines
    assert lines[-1] == (
        "4 cases and 0 scenarios, 1 targets: 0 causes explain 0 differences on 0 of them, 0 residual differences on 0; "
        "0 agreements, 4 not compared, 0 failures"
    )
    assert any(line.startswith(f"INTEROP UNRECORDED {UNREADABLE}: 4 reads, e.g. first step 1: ") for line in lines)
    assert document["ok"] is False and document["interop"]["ok"] is False
    assert document["summary"]["failures"] == 0  # the parity part's own counts are untouched
    rows = {(r["direction"], r["op"]): r for r in document["interop"]["table"]}
    assert rows[("python->typescript", "get_tuple")]["unreadable"] == 4
    assert rows[("typescript->python", "get_tuple")]["equal"] == 4
    assert rows[("typescript->python", "pending_writes")]["equal"] == 4
    assert "## Storage interop" in (out / "parity.md").read_text()
    assert "INTEROP UNRECORDED" in (out / "summary.txt").read_text()

    # --update-registry writes the group with a TODO reason, which still fails.
    code, lines, _, _ = parity(capsys, spec, out, *argv, "--update-registry")
    assert code == 1
    registry = json.loads((spec / "parity" / "interop.json").read_text())
    assert list(registry["findings"]) == [UNREADABLE] and registry["findings"][UNREADABLE].startswith("TODO")
    assert any(line.startswith("rewrote ") and "1 entries need a reason" in line for line in lines)

    # With its reason the run passes; the reason is in every report.
    findings(spec, {UNREADABLE: MSGPACK})
    code, lines, _, document = parity(capsys, spec, out, *argv)
    assert code == 0, lines
    assert document["ok"] is True and document["interop"]["findings"][0]["reason"] == MSGPACK
    assert MSGPACK in (out / "parity.md").read_text() and MSGPACK in (out / "parity.html").read_text()
    assert lines[-3].startswith("storage interop: 4 cases on sqlite, 8 reads equal, 0 changed, 4 unreadable")

    # A recorded group that no read shows any more is stale, on a full run only.
    findings(spec, {UNREADABLE: MSGPACK, "sqlite typescript->python list changed": "Made up."})
    code, lines, _, _ = parity(capsys, spec, out, *argv)
    assert code == 1 and any(line.startswith("INTEROP STALE sqlite typescript->python list changed") for line in lines)
    code, lines, _, _ = parity(capsys, spec, out, *argv, "--case", "f*")
    assert code == 0, lines


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mysql", 'error: --interop: unknown kind "mysql"; known: sqlite, postgres, or none'),
        ("sqlite,sqlite", 'error: --interop: "sqlite,sqlite": a kind is named twice'),
        (",", 'error: --interop: ",": name sqlite, postgres (comma-separated) or none'),
    ],
)
def test_bad_interop_kinds_are_one_line_and_exit_2(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str, message: str
) -> None:
    code, _, err, document = parity(capsys, small_spec(make_spec), tmp_path / "out", *PY, "--interop", value)
    assert code == 2 and err == message + "\n" and document == {}


def test_interop_needs_the_typescript_build(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if this package ran from a checkout whose js/ was never built.
    spec = small_spec(make_spec)
    monkeypatch.setattr("checkpoint_spec.roots.checkout_root", lambda: spec.parent)
    code, _, err, document = parity(capsys, spec, tmp_path / "out", *PY, "--interop", "sqlite")
    assert code == 2 and "js/dist/interop.js is not built" in err and err.count("\n") == 1 and document == {}


def test_a_malformed_findings_file_is_bad_input(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    findings(spec, {"sqlite sideways get_tuple": "No verdict."})
    code, _, err, document = parity(capsys, spec, tmp_path / "out", *PY, "--interop", "sqlite")
    assert code == 2 and document == {}
    assert "interop.json#/findings: 'sqlite sideways get_tuple' does not match" in err
    findings(spec, {UNREADABLE: "TODO: later"})
    code, _, err, document = parity(capsys, spec, tmp_path / "out", *PY, "--interop", "sqlite")
    assert code == 2 and document == {}
    assert f"#/findings/{UNREADABLE}: needs a one-sentence reason" in err
    (spec / "parity" / "interop.json").write_text('{"description": "d", "findings": ["not", "an", "object"]}')
    code, _, err, _ = parity(capsys, spec, tmp_path / "out", *PY, "--interop", "sqlite")
    assert code == 2 and "interop.json#/findings: ['not', 'an', 'object'] is not of type 'object'" in err


def fake_typescript(spec_fixtures: dict[str, Any], script: str) -> TypeScriptSide:
    return TypeScriptSide(Path("unused"), spec_fixtures, command=[sys.executable, "-c", script])


@pytest.mark.parametrize(
    ("script", "error"),
    [
        ("import sys; print('boom', file=sys.stderr); sys.exit(3)", "the TypeScript interop run failed (3): boom"),
        ("print('not json')", "the TypeScript interop run printed no observations: 'not json'"),
        (
            "import json, sys; sys.stdin.read(); print(json.dumps({'observations': []}))",
            "the TypeScript interop run did not answer one list of observations for each of 4 jobs",
        ),
    ],
)
def test_a_failing_typescript_side_is_an_error_of_its_kind(
    make_spec: Callable[..., Path], script: str, error: str
) -> None:
    spec = load_spec(small_spec(make_spec))
    failed: list[str] = []

    def no_server() -> str:
        failed.append("asked")
        raise TargetError("no PostgreSQL server to run against")

    side = fake_typescript(spec.fixtures, script)
    run = run_interop(spec, spec.cases, REPO, ["sqlite", "postgres"], typescript=side, find_dsn=no_server)
    assert run.errors == {"sqlite": error, "postgres": "no PostgreSQL server to run against"}
    assert run.reads == [] and failed == ["asked"]
    registry = InteropRegistry(Path("interop.json"), {UNREADABLE: MSGPACK})
    # A kind that could not run has no stale entries: nothing was seen either way.
    assert check_registry(run, registry, full=True) == []
    section = interop_section(run, registry, [])
    assert section["ok"] is False and section["errors"]["sqlite"] == error
    assert section["summary_line"].endswith("2 kinds errored")


def test_rewriting_the_findings_keeps_what_the_run_could_not_see(tmp_path: Path) -> None:
    seen = Read("sqlite", "typescript->python", "first", 1, "get_tuple", "changed", "at /: x", {}, {})
    run = InteropRun(kinds=["sqlite", "postgres"], reads=[seen], cases=1, errors={"postgres": "no server"})
    reasons = {
        "postgres python->typescript get unreadable": "Kept: postgres did not run.",
        "sqlite python->typescript list changed": "Dropped on a full run: sqlite ran and did not show it.",
    }
    registry = InteropRegistry(tmp_path / "parity" / "interop.json", dict(reasons))
    assert rewrite_registry(run, registry, full=True) == 1
    written = json.loads(registry.path.read_text())["findings"]
    assert written == {
        "postgres python->typescript get unreadable": "Kept: postgres did not run.",
        "sqlite typescript->python get_tuple changed": "TODO: say in one sentence why these reads differ.",
    }
    registry = InteropRegistry(registry.path, dict(reasons))
    rewrite_registry(run, registry, full=False)  # a --case run keeps everything it had
    assert set(json.loads(registry.path.read_text())["findings"]) == {*reasons, seen.group}


def test_kinds() -> None:
    assert parse_kinds("sqlite, postgres") == ["sqlite", "postgres"]
    assert parse_kinds("none") == []
    assert CASE_IDS  # the small spec the other tests use
