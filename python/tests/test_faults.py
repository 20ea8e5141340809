"""Faults of a user's saver belong to its case; the runner's own faults are one line; --timeout bounds each step."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.loading import load_spec
from checkpoint_spec.report import LINE_LIMIT

from .conftest import SPEC, case_file, entry, put_step

GOOD = [
    {"id": f"good-{n}", "title": "put returns a config", "steps": [put_step(expect={"result": {"$type": "object"}})]}
    for n in range(4)
]
TWO_STEPS = {
    "id": "two-steps",
    "title": "put, then get_tuple",
    "steps": [put_step(), {"op": "get_tuple", "args": {"config": {"$ref": "saved"}}}],
}
PYTHON_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture
def saver_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], str]:
    """A module of the given source in the working folder, under a fresh name; returns that name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(source: str) -> str:
        name = f"faulty_{uuid.uuid4().hex[:12]}"
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
        return name

    return write


def child_env(folder: Path, **extra: str) -> dict[str, str]:
    """This process's environment for a child that imports this checkout's package and modules in folder."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), *sys.path]), **extra}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# The first call is the runner's capability probe, the second the first case's saver.
FAILS_ON_THIRD_CALL = """
from langgraph.checkpoint.memory import InMemorySaver
calls = 0
def factory():
    global calls
    calls += 1
    if calls == 3:
        raise {error}
    return InMemorySaver()
"""


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ('RuntimeError("factory broke")', "making the saver raised RuntimeError: factory broke"),
        ("OSError()", "making the saver raised OSError: (no message)"),
        ('OSError(5, "")', "making the saver raised OSError: [Errno 5]"),
    ],
)
def test_a_factory_that_raises_errors_its_case_and_the_run_goes_on(
    make_spec: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    saver_module: Callable[[str], str],
    tmp_path: Path,
    error: str,
    reason: str,
) -> None:
    root = make_spec({"a.json": case_file(*GOOD)})
    module = saver_module(FAILS_ON_THIRD_CALL.format(error=error))
    report = tmp_path / "report.json"
    code, out, err = run(capsys, "run", "--target", f"{module}:factory", "--spec", str(root), "--json", str(report))
    assert code == 1, err
    assert err == ""
    assert f"ERROR good-1 ({root / 'cases' / 'a.json'}#/cases/1): {reason}" in out
    assert out.splitlines()[-2:] == [
        "3 matched the spec, 0 known divergences, 0 unexpected failures, 0 stale entries, 0 unsupported, 1 errored",
        "3 passed, 1 failed, 0 skipped",
    ]
    document = json.loads(report.read_text())
    assert [case["verdict"] for case in document["cases"]] == ["passed", "errored", "passed", "passed"]
    assert document["cases"][1]["reason"].startswith(reason)
    assert document["summary"]["errored"] == 1


def test_update_known_keeps_the_entry_of_an_errored_case(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], saver_module: Callable[[str], str]
) -> None:
    module = saver_module(FAILS_ON_THIRD_CALL.format(error='RuntimeError("factory broke")'))
    target = f"{module}:factory"
    listed = {"good-1": entry("It fails here.", (0, "", "value"))}
    root = make_spec({"a.json": case_file(*GOOD)}, known={target: listed})
    known = root / "known-divergences" / f"{target}.json"
    # A user target's list is named with --known (never written into the spec folder unasked).
    code, out, _ = run(capsys, "run", "--target", target, "--spec", str(root), "--known", str(known), "--update-known")
    assert code == 1 and "ERROR good-1 (" in out
    assert json.loads(known.read_text())["divergences"] == listed


def test_a_close_that_raises_errors_its_case(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], saver_module: Callable[[str], str]
) -> None:
    root = make_spec({"a.json": case_file(*GOOD)})
    module = saver_module(
        "import contextlib\n"
        "from langgraph.checkpoint.memory import InMemorySaver\n"
        "calls = 0\n"
        "@contextlib.contextmanager\n"
        "def factory():\n"
        "    global calls\n"
        "    calls += 1\n"
        "    yield InMemorySaver()\n"
        "    if calls == 4:\n"
        "        raise ValueError('teardown broke')\n"
    )
    code, out, _ = run(capsys, "run", "--target", f"{module}:factory", "--spec", str(root))
    assert code == 1
    assert "ERROR good-2 (" in out and "): closing the saver raised ValueError: teardown broke" in out
    assert out.splitlines()[-1] == "3 passed, 1 failed, 0 skipped"


def test_record_errors_the_case_whose_factory_raises_and_records_the_others(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], saver_module: Callable[[str], str]
) -> None:
    cases = [{"id": f"new-{n}", "title": "t", "steps": [put_step()]} for n in range(3)]
    root = make_spec({"a.json": case_file(*cases)})
    module = saver_module(FAILS_ON_THIRD_CALL.format(error='RuntimeError("factory broke")'))
    code, out, _ = run(capsys, "record", "--target", f"{module}:factory", "--spec", str(root))
    assert code == 1
    assert "ERROR new-1 (" in out and "making the saver raised RuntimeError: factory broke" in out
    assert "wrote 2 expectations" in out
    steps = [case["steps"][0] for case in json.loads((root / "cases" / "a.json").read_text())["cases"]]
    assert ["expect" in step for step in steps] == [True, False, True]


SLOW = """
import asyncio, time
from langgraph.checkpoint.memory import InMemorySaver
class Slow(InMemorySaver):
    def get_tuple(self, config):
        time.sleep(3600)
    async def aget_tuple(self, config):
        await asyncio.sleep(3600)
def factory():
    return Slow()
calls = 0
def slow_factory():
    global calls
    calls += 1
    if calls == 2:
        time.sleep(3600)
    return InMemorySaver()
"""


@pytest.mark.parametrize("api", [[], ["--async"]], ids=["sync", "async"])
def test_a_step_past_the_timeout_errors_its_case_and_the_run_goes_on(
    make_spec: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    saver_module: Callable[[str], str],
    api: list[str],
) -> None:
    root = make_spec({"a.json": case_file(TWO_STEPS, GOOD[0])})
    module = saver_module(SLOW)
    code, out, _ = run(capsys, "run", "--target", f"{module}:factory", *api, "--timeout", "0.2", "--spec", str(root))
    assert code == 1
    assert "ERROR two-steps (" in out and "): step 1 timed out after 0.2 s" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"


def test_making_the_saver_past_the_timeout_errors_its_case(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], saver_module: Callable[[str], str]
) -> None:
    root = make_spec({"a.json": case_file(*GOOD[:2])})
    module = saver_module(SLOW)
    code, out, _ = run(capsys, "run", "--target", f"{module}:slow_factory", "--timeout", "0.2", "--spec", str(root))
    assert code == 1
    assert "ERROR good-0 (" in out and "): making the saver timed out after 0.2 s" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"


def test_the_process_exits_although_a_timed_out_step_never_returns(
    make_spec: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_spec({"a.json": case_file(TWO_STEPS)})
    (tmp_path / "slow_savers.py").write_text(SLOW, encoding="utf-8")
    command = ["run", "--target", "slow_savers:factory", "--timeout", "0.2", "--spec", str(root)]
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", *command],
        cwd=tmp_path,
        env=child_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,  # a hang guard only: the step sleeps for an hour
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "step 1 timed out after 0.2 s" in done.stdout


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan", "inf"])
@pytest.mark.parametrize("command", ["run", "record", "driver"])
def test_a_bad_timeout_is_bad_input(capsys: pytest.CaptureFixture[str], command: str, value: str) -> None:
    code, out, err = run(capsys, command, "--target", "py-memory", f"--timeout={value}")
    assert code == 2 and out == ""
    assert err == f'error: --timeout: must be a positive number of seconds, not "{value}"\n'


def test_the_driver_answers_a_failing_factory_and_a_timed_out_step_with_an_error_reply_and_stays_up(
    tmp_path: Path,
) -> None:
    (tmp_path / "slow_savers.py").write_text(SLOW, encoding="utf-8")
    (tmp_path / "failing_savers.py").write_text(
        FAILS_ON_THIRD_CALL.format(error='RuntimeError("broke")'), encoding="utf-8"
    )
    spec = load_spec(SPEC)
    case = {"id": "c", "title": "t", "steps": [put_step()]}
    slow = {**TWO_STEPS, "id": "slow"}

    def converse(target: str, *cases: dict[str, Any]) -> list[dict[str, Any]]:
        requests = [{"seq": 0, "cmd": "start", "version": 1, "target": target, "fixtures": spec.fixtures}]
        requests += [{"seq": n + 1, "cmd": "run", "case": item} for n, item in enumerate(cases)]
        done = subprocess.run(
            [sys.executable, "-m", "checkpoint_spec", "driver", "--target", target, "--timeout", "0.2"],
            input="".join(json.dumps(request) + "\n" for request in requests),
            cwd=tmp_path,
            env=child_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]

    replies = converse("failing_savers:factory", case, case, case)
    assert [reply["ok"] for reply in replies] == [True, True, False, True]
    assert replies[2]["error"] == "cannot run the case: making the saver raised RuntimeError: broke"
    replies = converse("slow_savers:factory", slow, case)
    assert [reply["ok"] for reply in replies] == [True, False, True]
    assert replies[1]["error"] == "cannot run the case: step 1 timed out after 0.2 s"


def test_an_internal_error_is_one_line_with_the_details_in_a_file(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_spec({"a.json": case_file(GOOD[0])})

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a runner bug")

    monkeypatch.setattr("checkpoint_spec.cli.judge", broken)
    code, _, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 2
    found = re.fullmatch(r"error: internal error: KeyError: 'a runner bug'; details in (\S+)\n", err)
    assert found is not None, err
    details = Path(found.group(1))
    try:
        assert re.fullmatch(rf"checkpoint-spec-internal-{os.getpid()}-\d+\.txt", details.name)
        assert "Traceback (most recent call last)" in details.read_text() and "a runner bug" in details.read_text()
    finally:
        details.unlink()


def test_a_saver_that_exits_does_not_give_the_exit_status(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], saver_module: Callable[[str], str]
) -> None:
    root = make_spec({"a.json": case_file(GOOD[0])})
    module = saver_module(FAILS_ON_THIRD_CALL.replace("calls == 3", "calls == 2").format(error="SystemExit(7)"))
    code, _, err = run(capsys, "run", "--target", f"{module}:factory", "--spec", str(root))
    assert code == 2
    found = re.fullmatch(r"error: internal error: SystemExit: 7; details in (\S+)\n", err)
    assert found is not None, err
    Path(found.group(1)).unlink()


def test_a_lone_surrogate_in_an_observation_is_printed_escaped(make_spec: Callable[..., Path], tmp_path: Path) -> None:
    case = {"id": "odd", "title": "t", "steps": [put_step(expect={"result": None})]}
    root = make_spec({"a.json": case_file(case)})
    (tmp_path / "odd_savers.py").write_text(
        "from langgraph.checkpoint.memory import InMemorySaver\n"
        "class Odd(InMemorySaver):\n"
        "    def put(self, config, checkpoint, metadata, new_versions):\n"
        "        return {'configurable': {'thread_id': '\\ud800'}}\n"
        "def factory():\n"
        "    return Odd()\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "run", "--target", "odd_savers:factory", "--spec", str(root)],
        cwd=tmp_path,
        env=child_env(tmp_path, PYTHONIOENCODING="utf-8"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert '"thread_id":"\\ud800"' in done.stdout


# Every saver after the capability probe's fails to be made, the same way each time.
FAILS_AFTER_THE_PROBE = """
from langgraph.checkpoint.memory import InMemorySaver
calls = 0
def factory():
    global calls
    calls += 1
    if calls > 1:
        raise RuntimeError("the server at 127.0.0.1:1 refused the connection")
    return InMemorySaver()
"""


def test_cases_that_fail_the_same_way_are_one_block_with_their_count(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], saver_module: Callable[[str], str]
) -> None:
    root = make_spec({"a.json": case_file(*GOOD)})
    module = saver_module(FAILS_AFTER_THE_PROBE)
    code = main(["run", "--target", f"{module}:factory", "--spec", str(root)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    errors = [line for line in out if line.startswith("ERROR ")]
    assert errors == [
        f"ERROR good-0 ({root / 'cases' / 'a.json'}#/cases/0): making the saver raised RuntimeError: "
        "the server at 127.0.0.1:1 refused the connection"
    ]
    assert "  ... and 3 more cases the same way: good-1, good-2, good-3" in out
    assert out[-1] == "0 passed, 4 failed, 0 skipped"


def test_a_long_line_is_shortened(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], saver_module: Callable[[str], str]
) -> None:
    root = make_spec({"a.json": case_file(*GOOD)})
    module = saver_module(FAILS_AFTER_THE_PROBE.replace("refused the connection", "refused " + "x" * 5000))
    main(["run", "--target", f"{module}:factory", "--spec", str(root)])
    out = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in out) <= LINE_LIMIT
    assert any(" characters) ... " in line and line.endswith("xxx") for line in out)
