"""Fault containment: a driver that crashes, hangs, prints garbage, answers out of turn or fails its handshake.

Also one that closes its standard output and keeps running, answers with JSON that breaks a rule of spec
files or with a line past the limit, or leaves a child process behind; and an orchestrator that is stopped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.parity import drivers

from .parity_support import CASE_IDS, fake, parity, small_spec, verdicts

REPORTS = ("parity.json", "parity.md", "parity.html", "summary.txt")


def assert_contained(document: dict[str, Any], out: Path, kind: str) -> dict[str, Any]:
    """Only `second` errored (with this fault kind); the driver was restarted and ran the rest."""
    assert verdicts(document, "fake") == {
        "first": "passed",
        "second": "errored",
        "third": "passed",
        "fourth": "passed",
    }
    cases = {case["id"]: case for case in document["cases"]}
    fault: dict[str, Any] = cases["second"]["targets"]["fake"]["fault"]
    assert fault["kind"] == kind
    assert cases["second"]["parity"] == "incomplete"
    for name in REPORTS:
        assert (out / name).is_file()
    assert sorted(os.listdir(out)) == sorted(REPORTS)  # no temporary files left behind
    return fault


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


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, exited but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def ended(pid: int) -> bool:
    """Whether the process is gone, given the few moments a SIGKILL takes to land."""
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not alive(pid)


@pytest.fixture
def fake_pids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], list[int]]]:
    """The pids the fake drivers record; any still running at the end is killed."""
    path = tmp_path / "fake-pids.txt"
    monkeypatch.setenv("FAKE_DRIVER_PIDS", str(path))

    def pids() -> list[int]:
        return [int(line) for line in path.read_text().split()] if path.exists() else []

    yield pids
    for pid in pids():
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def parity_process(spec: Path, out: Path, *argv: str) -> subprocess.Popen[str]:
    """The parity command in a child process (for a hang guard, or to stop it), importing this checkout."""
    command = [sys.executable, "-m", "checkpoint_spec", "parity", "--spec", str(spec), "--out", str(out)]
    return subprocess.Popen(
        [*command, "--interop", "none", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def test_a_driver_that_closes_its_stdout_and_keeps_running_is_contained(
    make_spec: Callable[..., Path], tmp_path: Path, fake_pids: Callable[[], list[int]]
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    child = parity_process(
        spec, out, "--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("closes_stdout_on.py", "second")
    )
    try:
        _, err = child.communicate(timeout=120)  # a hang guard only: the driver sleeps for an hour
    finally:
        child.kill()
    assert child.returncode == 1, err
    fault = assert_contained(json.loads((out / "parity.json").read_text()), out, "exited")
    assert "closed its standard output or input and kept running to run" in fault["message"]
    assert "stdout closed" in fault["stderr"]
    (driver,) = fake_pids()
    assert ended(driver)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("huge-number", "integer literal of more than 1000 digits"),
        ("deep-nesting", "nest more than 100 deep"),
        ("lone-surrogate", "lone surrogate"),
        ("nan", "not a finite double"),
    ],
)
def test_a_reply_that_breaks_a_rule_of_spec_files_is_a_protocol_fault(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, bad: str, message: str
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    command = "fake@memory=" + fake("bad_reply_on.py", bad, "second")
    code, _, err, document = parity(capsys, spec, out, "--targets", "py-memory,fake", "--driver", command)
    assert code == 1 and "Traceback" not in err
    fault = assert_contained(document, out, "invalid-message")
    assert fault["message"].startswith("driver reply to run (seq 2) breaks a rule at /result/steps/0")
    assert message in fault["message"]


@pytest.mark.parametrize("ending", ["newline", "open"])
def test_a_line_past_the_limit_is_a_protocol_fault(
    make_spec: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ending: str,
) -> None:
    monkeypatch.setattr(drivers, "MAX_LINE", 100_000)
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    command = fake("long_line_on.py", "second", "150000", ending)
    code, _, _, document = parity(
        capsys, spec, out, "--targets", "py-memory,fake", "--timeout", "60", "--driver", "fake@memory=" + command
    )
    assert code == 1
    fault = assert_contained(document, out, "garbage")
    assert fault["message"] == "driver printed a line longer than 100000 bytes to run (seq 2)"
    assert fault["stdout"].startswith("...xxx") and len(fault["stdout"]) < 10_000


def test_a_child_process_a_driver_leaves_behind_is_killed(
    make_spec: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fake_pids: Callable[[], list[int]],
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, _, _, document = parity(
        capsys, spec, out, "--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("leaves_child.py", "second")
    )
    assert code == 1
    assert_contained(document, out, "exited")
    children = fake_pids()
    # One child of the driver that died on `second`, one of the driver that ran the rest and was stopped.
    assert len(children) == 2
    assert all(ended(pid) for pid in children)


def test_a_driver_that_refuses_start_is_started_once_and_every_case_gets_its_reason(
    make_spec: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fake_pids: Callable[[], list[int]],
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    argv = ["--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("refuses_start.py")]
    code, _, _, document = parity(capsys, spec, out, *argv)
    assert code == 1
    assert set(verdicts(document, "fake").values()) == {"errored"}
    assert len(fake_pids()) == 1, "a refused start is the driver's answer: it is not started again"
    problems = {case["targets"]["fake"]["problem"] for case in document["cases"]}
    assert len(problems) == 1
    (problem,) = problems
    assert "driver refused to start: cannot make target fake: ModuleNotFoundError" in problem


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_run_kills_its_drivers_and_says_so_in_one_line(
    make_spec: Callable[..., Path], tmp_path: Path, fake_pids: Callable[[], list[int]], number: int
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    command = "fake@memory=" + fake("hang_on.py", "second")
    child = parity_process(spec, out, "--targets", "py-memory,fake", "--timeout", "600", "--driver", command)
    try:
        deadline = time.monotonic() + 60
        while not fake_pids() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        (driver,) = fake_pids()
        child.send_signal(number)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 2
    assert err == "error: interrupted\n"
    assert ended(driver)
    assert not out.exists() or not any(out.iterdir())
