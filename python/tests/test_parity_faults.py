"""Fault containment: a driver that crashes, hangs, prints garbage, answers out of turn or fails its handshake."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .parity_support import CASE_IDS, fake, parity, small_spec, verdicts

REPORTS = ("parity.json", "parity.md", "parity.html", "summary.txt")


def assert_contained(document: dict[str, object], out: Path, kind: str) -> dict[str, object]:
    """Only `second` errored (with this fault kind); the driver was restarted and ran the rest."""
    assert verdicts(document, "fake") == {
        "first": "passed",
        "second": "errored",
        "third": "passed",
        "fourth": "passed",
    }
    cases = {case["id"]: case for case in document["cases"]}  # type: ignore[attr-defined]
    fault = cases["second"]["targets"]["fake"]["fault"]
    assert fault["kind"] == kind
    assert cases["second"]["parity"] == "incomplete"
    for name in REPORTS:
        assert (out / name).is_file()
    assert sorted(os.listdir(out)) == sorted(REPORTS)  # no temporary files left behind
    return fault  # type: ignore[no-any-return]


def test_crash_is_contained(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, lines, _, document = parity(
        capsys, spec, out, "--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("crash_on.py", "second")
    )
    assert code == 1
    fault = assert_contained(document, out, "exited")
    assert "exited with status 3" in fault["message"]
    assert "boom on second" in fault["stderr"]
    assert any(line.startswith("ERROR second [fake] driver exited with status 3") for line in lines)
    assert any("stderr: " in line and "boom on second" in line for line in lines)
    assert lines[-1] == (
        "4 cases and 0 scenarios, 2 targets: 0 causes explain 0 differences on 0 of them, 0 residual differences on 0; "
        "3 agreements, 0 not compared, 1 failures"
    )


def test_hang_past_the_timeout_is_contained(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, _, _, document = parity(
        capsys,
        spec,
        out,
        "--targets",
        "py-memory,fake",
        "--timeout",
        "1",
        "--driver",
        "fake@memory=" + fake("hang_on.py", "second"),
    )
    assert code == 1
    fault = assert_contained(document, out, "timeout")
    assert "no reply within the timeout to run" in fault["message"]
    assert "stuck" in fault["stderr"]


def test_garbage_on_stdout_is_contained(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, _, _, document = parity(
        capsys, spec, out, "--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("garbage_on.py", "second")
    )
    assert code == 1
    fault = assert_contained(document, out, "garbage")
    assert "Loading checkpointer... done" in fault["stdout"]


def test_wrong_seq_is_contained(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, _, _, document = parity(
        capsys, spec, out, "--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("wrong_seq_on.py", "second")
    )
    assert code == 1
    fault = assert_contained(document, out, "wrong-seq")
    assert "replied with seq" in fault["message"]


def test_bad_handshake_errors_every_case_and_the_run_still_reports(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, lines, _, document = parity(
        capsys, spec, out, "--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("bad_handshake.py")
    )
    assert code == 1
    assert set(verdicts(document, "fake").values()) == {"errored"}
    assert set(verdicts(document, "py-memory").values()) == {"passed"}
    first = document["cases"][0]["targets"]["fake"]["fault"]
    assert first["kind"] == "not-started" and "not a valid start-reply message" in first["message"]
    assert document["targets"][1]["via"] == "never started"
    assert lines[-1].endswith(f"{len(CASE_IDS)} failures")


def test_a_command_that_cannot_start_errors_its_cases(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    code, _, _, document = parity(
        capsys, spec, tmp_path / "out", "--targets", "py-memory,fake", "--driver", "fake@memory=/nonexistent/driver"
    )
    assert code == 1
    assert set(verdicts(document, "fake").values()) == {"errored"}
    assert "cannot start /nonexistent/driver" in document["cases"][0]["targets"]["fake"]["problem"]
