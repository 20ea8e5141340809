"""The command line: exit codes, messages, reports, known divergences, record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec import __version__
from checkpoint_spec.cli import main

from . import plugin_savers
from .conftest import CONFIG, case_file, entry, put_step

GOOD = {"id": "good", "title": "put returns a config", "steps": [put_step(expect={"result": {"$type": "object"}})]}
BAD = {
    "id": "bad",
    "title": "a case py-memory fails",
    "steps": [put_step(expect={"result": {"configurable": {"$partial": {"thread_id": "other"}}}})],
}
BAD_MARK = (0, "/configurable/thread_id", "value")
NEEDS_PRUNE = {
    "id": "needs-prune",
    "title": "t",
    "requires": ["prune"],
    "steps": [{"op": "prune", "args": {"thread_ids": ["t1"]}}],
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_passing_run(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_spec({"a.json": case_file(GOOD, NEEDS_PRUNE)})
    report = tmp_path / "out" / "report.json"
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--json", str(report))
    assert code == 0
    assert out.splitlines()[-1] == "1 passed, 0 failed, 1 skipped"
    assert "langgraph-checkpoint 4.3." in out.splitlines()[0]
    document = json.loads(report.read_text())
    assert document["target"]["libraries"]["langgraph-checkpoint"].startswith("4.3.")
    verdicts = {case["id"]: case["verdict"] for case in document["cases"]}
    assert verdicts == {"good": "passed", "needs-prune": "skipped"}
    assert document["cases"][1]["reason"] == "target py-memory does not support prune"


def test_failing_case_is_reported(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 1
    assert (
        "FAIL bad (" in out and 'step 0 put: result at /configurable/thread_id: expected "other", observed "t1"' in out
    )
    assert '  expected: {"configurable":{"$partial":{"thread_id":"other"}}}' in out
    assert out.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"


def test_known_divergence_passes(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec(
        {"a.json": case_file(GOOD, BAD)}, known={"py-memory": {"bad": entry("It differs on purpose.", BAD_MARK)}}
    )
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 0
    assert "1 matched the spec, 1 known divergences" in out
    assert out.splitlines()[-1] == "2 passed, 0 failed, 0 skipped"


def test_stale_entry_fails(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD)}, known={"py-memory": {"good": entry("Once failed.", BAD_MARK)}})
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 1
    assert "STALE good" in out and "--update-known" in out


def test_listed_but_unsupported_is_stale(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec(
        {"a.json": case_file(NEEDS_PRUNE)}, known={"py-memory": {"needs-prune": entry("No prune.", (0, "", "not_run"))}}
    )
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 1
    assert "STALE needs-prune" in out and "was skipped" in out


def test_entry_naming_no_case(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD)}, known={"py-memory": {"ghost": entry("Gone.", BAD_MARK)}})
    code, _, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 2
    assert "py-memory.json#/divergences/ghost: names no case in the spec" in err


def test_todo_reason_is_rejected(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(BAD)}, known={"py-memory": {"bad": entry("TODO later", BAD_MARK)}})
    code, _, err = run(capsys, "lint", "--spec", str(root))
    assert code == 2
    assert "#/divergences/bad/reason: needs a one-sentence reason" in err


def test_update_known_rewrites_the_list(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)}, known={"py-memory": {"good": entry("Stale reason.", BAD_MARK)}})
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--update-known")
    assert code == 1 and "1 entries need a reason" in out
    written = json.loads((root / "known-divergences" / "py-memory.json").read_text())
    assert list(written["divergences"]) == ["bad"]
    assert written["divergences"]["bad"]["reason"].startswith("TODO")
    assert written["divergences"]["bad"]["fails"] == entry("", BAD_MARK)["fails"]


def test_update_known_creates_a_missing_known_file(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    mine = root / "mine" / "list.json"  # its folder does not exist yet either
    code, out, _ = run(
        capsys, "run", "--target", "py-memory", "--spec", str(root), "--known", str(mine), "--update-known"
    )
    assert code == 1 and out.splitlines()[-1] == f"rewrote {mine}; 1 entries need a reason"
    written = json.loads(mine.read_text())
    assert (written["$schema"], written["target"]) == ("../schema/known-divergences.schema.json", "py-memory")
    assert list(written["divergences"]) == ["bad"]
    assert not (root / "known-divergences" / "py-memory.json").exists()
    code, _, err = run(
        capsys, "run", "--target", "py-memory", "--spec", str(root), "--known", str(root / "absent.json")
    )
    assert code == 2 and err.startswith("error: --known: "), "without --update-known a missing file is bad input"


def test_update_known_on_a_user_target_needs_known(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    target = "langgraph.checkpoint.memory:InMemorySaver"
    code, out, err = run(capsys, "run", "--target", target, "--spec", str(root), "--update-known")
    assert (code, out) == (2, "")
    assert err == (
        f'error: --update-known: "{target}" is not a built-in target, so its list is not written into the '
        "spec folder; give --known FILE\n"
    )
    assert not (root / "known-divergences").exists()


def test_update_known_drops_entries_of_deleted_cases(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    listed = {"bad": entry("Differs.", BAD_MARK), "ghost": entry("Gone.", BAD_MARK)}
    root = make_spec({"a.json": case_file(BAD)}, known={"py-memory": listed})
    code, _, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--update-known")
    assert code == 0
    written = json.loads((root / "known-divergences" / "py-memory.json").read_text())
    assert written["divergences"] == {"bad": entry("Differs.", BAD_MARK)}


TWO_PLACES = {
    "id": "bad",
    "title": "a case py-memory fails in two places",
    "steps": [
        put_step(expect={"result": {"configurable": {"$partial": {"thread_id": "other", "checkpoint_ns": "x"}}}})
    ],
}
NS_MARK = (0, "/configurable/checkpoint_ns", "value")


def test_listed_case_failing_somewhere_new_fails(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_spec({"a.json": case_file(TWO_PLACES)}, known={"py-memory": {"bad": entry("Differs.", BAD_MARK)}})
    report = tmp_path / "r.json"
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--json", str(report))
    assert code == 1
    assert (
        "FAIL bad (" in out
        and "listed as a known divergence, but it fails where the list does not say: "
        "step 0 at /configurable/checkpoint_ns: value"
        in out
    )
    assert "0 matched the spec, 0 known divergences, 1 unexpected failures" in out
    (case,) = json.loads(report.read_text())["cases"]
    assert case["verdict"] == "failed" and case["reason"] == "Differs."
    assert case["changes"] == {"new": [{"step": 0, "at": "/configurable/checkpoint_ns", "kind": "value"}], "gone": []}


def test_listed_case_failing_in_fewer_places_is_stale(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file(BAD)}, known={"py-memory": {"bad": entry("Differs.", BAD_MARK, NS_MARK)}})
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 1
    assert "STALE bad" in out and "fails in fewer places than listed" in out
    assert "no longer fails where the list says: step 0 at /configurable/checkpoint_ns: value" in out


@pytest.mark.parametrize(
    ("listed", "reason"),
    [
        ((BAD_MARK, NS_MARK), "Differs."),  # fewer places: the reason still applies
        ((BAD_MARK,), "TODO: check this reason against the places the case now fails: Differs."),
    ],
)
def test_update_known_keeps_reasons_that_still_apply(
    make_spec: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    listed: tuple[tuple[int, str, str], ...],
    reason: str,
) -> None:
    observed = BAD if len(listed) == 2 else TWO_PLACES
    root = make_spec({"a.json": case_file(observed)}, known={"py-memory": {"bad": entry("Differs.", *listed)}})
    run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--update-known")
    written = json.loads((root / "known-divergences" / "py-memory.json").read_text())["divergences"]["bad"]
    marks = (BAD_MARK,) if observed is BAD else (BAD_MARK, NS_MARK)
    assert written == entry(reason, *marks)


def test_known_mark_listed_twice_is_rejected(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    twice = entry("Differs.", BAD_MARK)
    twice["fails"] *= 2
    root = make_spec({"a.json": case_file(BAD)}, known={"py-memory": {"bad": twice}})
    code, _, err = run(capsys, "lint", "--spec", str(root))
    assert code == 2 and "#/divergences/bad/fails: lists a mark twice" in err


def test_case_glob(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--case", "go*")
    assert code == 0 and out.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"
    code, _, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--case", "zz*")
    assert code == 2 and f'error: --case: "zz*" matches no case id in {root}' in err


def test_case_globs_select_any_once_in_spec_order(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--case", "b*", "--case", "*")
    assert code == 1 and out.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"


@pytest.mark.parametrize(
    ("glob", "line"),
    [
        ("[z-a]", 'error: --case: "[z-a]": the range z-a ends before it starts'),
        ("go[!a-c]d[x", 'error: --case: "go[!a-c]d[x": the [ at character 10 is not closed'),
        ("[]", 'error: --case: "[]": the [ at character 1 is not closed'),
        ("*" * 1001, "error: --case: a glob of 1001 characters; at most 1000 are accepted"),
        ("\U0001f600" * 1001, "error: --case: a glob of 1001 characters; at most 1000 are accepted"),
    ],
)
def test_bad_case_glob_is_one_line(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], glob: str, line: str
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    code, out, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--case", "good", "--case", glob)
    assert (code, out, err) == (2, "", line + "\n")


def test_first_bad_case_glob_is_reported(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    code, _, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--case", "[b", "--case", "[z-a]")
    assert (code, err) == (2, 'error: --case: "[b": the [ at character 1 is not closed\n')


def test_bad_case_glob_exits_2_without_traceback(make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "run", "--target", "py-memory", "--spec", str(root), "--case", "[z"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == 'error: --case: "[z": the [ at character 1 is not closed\n'


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "no-such-target",
            "not a built-in target (py-memory, py-memory-async, py-sqlite, py-sqlite-async, py-postgres, "
            "py-postgres-async) and not of the form module.path:factory",
        ),
        ("no_such_module_xyz:make", 'cannot import "no_such_module_xyz": ModuleNotFoundError'),
        ("json:no_such_factory", 'module "json" has no callable "no_such_factory"'),
    ],
)
def test_bad_target(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    code, _, err = run(capsys, "run", "--target", target, "--spec", str(root))
    assert code == 2
    assert message in err


def test_a_factory_that_fails_at_its_first_call_errors_every_case(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The first call learns the capabilities; when it fails none is known, so no case is skipped.
    root = make_spec({"a.json": case_file(GOOD, NEEDS_PRUNE)})
    report = tmp_path / "report.json"
    plugin_savers.CALLS.clear()
    target = "tests.plugin_savers:failing"
    code, out, _ = run(capsys, "run", "--target", target, "--spec", str(root), "--json", str(report))
    assert code == 1
    cases = json.loads(report.read_text())["cases"]
    assert [(case["id"], case["verdict"]) for case in cases] == [("good", "errored"), ("needs-prune", "errored")]
    assert {case["reason"] for case in cases} == {"making the saver raised RuntimeError: boom"}
    assert out.splitlines()[-1] == "0 passed, 2 failed, 0 skipped"
    assert plugin_savers.CALLS == {"failing": 1}, "the factory is not called again for each case"


def test_target_arg_is_the_factory_s_one_argument(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    target = "tests.plugin_savers:with_argument"
    plugin_savers.ARGUMENTS.clear()
    dsn = "postgresql://user@127.0.0.1:5432/db?sslmode=disable"
    code, out, _ = run(capsys, "run", "--target", target, "--spec", str(root), "--target-arg", dsn)
    assert code == 0, out
    # Once to learn the capabilities, once for the case; the value is not shown (it may hold a password).
    assert [(dsn,), (dsn,)] == plugin_savers.ARGUMENTS
    assert dsn not in out
    plugin_savers.ARGUMENTS.clear()
    assert run(capsys, "run", "--target", target, "--spec", str(root))[0] == 0
    assert plugin_savers.ARGUMENTS == [(), ()], "without --target-arg the factory is called with none"


DELETES = {
    "id": "deletes",
    "title": "t",
    "steps": [{"op": "delete_thread", "args": {"thread_id": "t1"}, "expect": {"result": None}}],
}
COPIES = {
    "id": "copies",
    "title": "t",
    "requires": ["copy_thread"],
    "steps": [{"op": "copy_thread", "args": {"source_thread_id": "a", "target_thread_id": "b"}}],
}


@pytest.mark.parametrize("saver", ["LacksDeleteThreadAndCopyThread", "NoCallableDeleteThread"])
@pytest.mark.parametrize("api", [[], ["--async"]])
def test_a_missing_method_is_not_implemented_for_a_core_operation_and_unsupported_for_an_extended_one(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, saver: str, api: list[str]
) -> None:
    root = make_spec({"a.json": case_file(DELETES, COPIES)})
    report = tmp_path / "report.json"
    target = f"tests.plugin_savers:{saver}"
    code, out, _ = run(capsys, "run", "--target", target, *api, "--spec", str(root), "--json", str(report))
    assert code == 1, out
    cases = {case["id"]: case for case in json.loads(report.read_text())["cases"]}
    assert cases["deletes"]["verdict"] == "failed"
    assert cases["deletes"]["fingerprint"] == [{"step": 0, "at": "", "kind": "raised:not_implemented"}]
    assert cases["deletes"]["steps"][0]["observation"]["error"] == "not_implemented"
    assert cases["copies"]["verdict"] == "skipped"
    assert cases["copies"]["reason"].endswith("does not support copy_thread")


GETS = {
    "id": "gets",
    "title": "t",
    "steps": [
        put_step(),
        {"op": "get_tuple", "args": {"config": CONFIG}, "expect": {"result": {"$type": "object"}}},
    ],
}


@pytest.mark.parametrize("api", [[], ["--async"]])
@pytest.mark.parametrize("factory", ["async_loop_bound", "async_context"])
def test_an_async_factory_is_awaited_in_the_session_s_loop_with_either_api(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], factory: str, api: list[str]
) -> None:
    """The saver captures the running loop when made: its steps run in that loop (sync: from another thread)."""
    root = make_spec({"a.json": case_file(GOOD, GETS)})
    plugin_savers.CONTEXT_EVENTS.clear()
    code, out, _ = run(capsys, "run", "--target", f"tests.plugin_savers:{factory}", *api, "--spec", str(root))
    assert code == 0, out
    assert out.splitlines()[-1] == "2 passed, 0 failed, 0 skipped"
    if factory == "async_context":
        # Entered and left once to learn the capabilities, then once per case.
        assert plugin_savers.CONTEXT_EVENTS == ["enter", "exit"] * 3


def test_with_async_a_plain_factory_is_called_inside_the_event_loop(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_spec({"a.json": case_file(GOOD, GETS)})
    code, out, _ = run(capsys, "run", "--target", "tests.plugin_savers:loop_bound", "--async", "--spec", str(root))
    assert code == 0, out
    # Under the sync API a plain factory is called as it is, outside any loop: this saver cannot be made there.
    report = tmp_path / "report.json"
    argv = ["run", "--target", "tests.plugin_savers:loop_bound", "--spec", str(root), "--json", str(report)]
    assert run(capsys, *argv)[0] == 1
    reasons = {case["reason"] for case in json.loads(report.read_text())["cases"]}
    assert reasons == {"making the saver raised RuntimeError: no running event loop"}


def test_own_checkpointer_factory(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    target = "langgraph.checkpoint.memory:InMemorySaver"
    code, out, _ = run(capsys, "run", "--target", target, "--spec", str(root))
    assert code == 0 and f"target {target} (python)" in out
    code, out, _ = run(capsys, "run", "--target", target, "--async", "--spec", str(root))
    assert code == 0 and f"target {target}@async" in out


def test_the_header_names_the_package_a_user_saver_comes_from(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    code, out, _ = run(capsys, "run", "--target", "tests.plugin_savers:sqlite_saver", "--spec", str(root))
    header = out.splitlines()[0]
    assert code == 0 and f"langgraph-checkpoint-sqlite {version('langgraph-checkpoint-sqlite')}" in header
    # A saver defined outside any installed distribution (this test folder) adds nothing to the LangGraph libraries.
    code, out, _ = run(capsys, "run", "--target", "tests.plugin_savers:own_saver", "--spec", str(root))
    libraries = out.splitlines()[0].split(" | ")[2]
    assert code == 0 and sorted(part.rsplit(" ", 1)[0] for part in libraries.split(", ")) == [
        "langchain-core",
        "langgraph",
        "langgraph-checkpoint",
    ]


def test_an_unsupported_langgraph_is_reported_before_any_saver_is_made(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older langgraph-checkpoint (without copy_thread, say) is named, not blamed on the user's factory."""
    root = make_spec({"a.json": case_file(GOOD)})
    monkeypatch.setattr(
        "checkpoint_spec.versions.version", lambda name: "4.1.0" if name == "langgraph-checkpoint" else version(name)
    )
    calls = plugin_savers.CALLS.get("own_saver", 0)
    code, out, err = run(capsys, "run", "--target", "tests.plugin_savers:own_saver", "--spec", str(root))
    assert code == 2 and out == ""
    assert err.startswith("error: --target: checkpoint-spec ")
    assert "langgraph-checkpoint 4.1.0 is installed (supported: " in err and len(err.splitlines()) == 1
    assert plugin_savers.CALLS.get("own_saver", 0) == calls


START = b'{"seq": 0, "cmd": "start", "version": 1, "target": "py-memory", "fixtures": {}}\n'


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "words",
    [["run", "--target", "py-memory"], ["driver", "--target", "py-memory"]],
    ids=["run", "driver"],
)
def test_a_closed_standard_output_ends_the_command_quietly_with_exit_2(
    make_spec: Callable[..., Path], tmp_path: Path, words: list[str], buffered: bool
) -> None:
    """As after `| head -1`: no line, no traceback, no details file (spec/README.md 7.2).

    command-lines.json has the vectors of other commands; here both ways Python writes (a buffer written at the
    end, or every write at once) and the driver, which answers a request.
    """
    root = make_spec({"a.json": case_file(GOOD)})
    spec_words = ["--spec", str(root)] if words[0] == "run" else []
    temporary = tmp_path / "temporary"  # where a details file would go
    temporary.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env["TMPDIR"] = str(temporary)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    child = subprocess.Popen(
        [sys.executable, "-m", "checkpoint_spec", *words, *spec_words],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader is gone before anything is written
    child.stdin.write(START if words[0] == "driver" else b"")
    child.stdin.close()
    err = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=120) == 2
    # The driver says which target it serves on standard error before it reads a request.
    assert err == (f"checkpoint-spec {__version__} driver for py-memory\n" if words[0] == "driver" else "")
    assert list(temporary.iterdir()) == []


def test_malformed_file_exits_2_without_traceback(make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD), "b.json": "[1, 2"})
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "run", "--target", "py-memory", "--spec", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {root / 'cases' / 'b.json'}: not JSON")


def test_unwritable_report_is_a_clear_error(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    blocker = root / "file"
    blocker.write_text("")
    code, _, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--json", str(blocker / "r.json"))
    assert code == 2 and str(blocker) in err


def test_record_fills_in_expectations(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    new: dict[str, Any] = {
        "id": "new-case",
        "title": "t",
        "steps": [put_step(), {"op": "get_tuple", "args": {"config": {"configurable": {"thread_id": 5}}}}],
    }
    root = make_spec({"a.json": case_file(new)})
    code, out, _ = run(capsys, "record", "--target", "py-memory", "--spec", str(root))
    assert code == 0 and "wrote 2 expectations" in out
    steps = json.loads((root / "cases" / "a.json").read_text())["cases"][0]["steps"]
    assert steps[0]["expect"]["result"]["configurable"]["checkpoint_id"] == "1f000000-0000-6000-8000-000000000001"
    assert steps[1]["expect"] == {"result": None}
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(root))
    assert code == 0


def test_lint_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint")
    assert code == 0 and "cases" in out and "are valid" in out


def test_unused_config_constant_is_the_root_namespace() -> None:
    assert CONFIG["configurable"]["checkpoint_ns"] == ""


def test_lint_checks_the_selftest_files(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from .conftest import SPEC

    root = make_spec({"a.json": case_file(GOOD)})
    shutil.copytree(SPEC / "selftest", root / "selftest")
    assert run(capsys, "lint", "--spec", str(root))[0] == 0
    matching = root / "selftest" / "matching.json"
    document = json.loads(matching.read_text())
    document["vectors"][0]["match"] = "yes"
    matching.write_text(json.dumps(document))
    verdicts = root / "selftest" / "verdicts.json"
    listed = json.loads(verdicts.read_text())
    listed["verdicts"]["selftest-ghost"] = {"verdict": "passed"}
    verdicts.write_text(json.dumps(listed))
    code, _, err = run(capsys, "lint", "--spec", str(root))
    assert code == 2 and f"{matching}#/vectors/0/match: 'yes' is not of type 'boolean'" in err
    matching.write_text(json.dumps({**document, "vectors": []}))
    code, _, err = run(capsys, "lint", "--spec", str(root))
    assert code == 2 and f"{verdicts}#/verdicts/selftest-ghost: names no self-test case" in err


def test_factory_module_in_the_working_folder(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    (tmp_path / "my_savers_for_test.py").write_text(
        "from langgraph.checkpoint.memory import InMemorySaver\n\ndef fresh_saver():\n    return InMemorySaver()\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.path", [p for p in __import__("sys").path if p not in ("", str(tmp_path))])
    code, out, err = run(capsys, "run", "--target", "my_savers_for_test:fresh_saver", "--spec", str(root))
    assert code == 0, err
    assert out.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"


def test_async_flag_on_a_built_in_target_is_refused(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    code, _, err = run(capsys, "run", "--target", "py-memory", "--async", "--spec", str(root))
    assert code == 2 and "--async: applies to module.path:factory targets" in err


def test_json_report_path_is_checked_before_the_run(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    code, out, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--json", str(tmp_path))
    assert code == 2 and err.startswith(f"error: --json: {tmp_path} is a folder, not a file")
    assert out == ""


def test_json_report_is_readable_by_others(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    report = tmp_path / "r.json"
    assert run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--json", str(report))[0] == 0
    assert report.stat().st_mode & 0o044 == 0o044


def test_missing_known_file_is_an_error(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    code, _, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--known", "typo.json")
    assert code == 2 and "error: --known: typo.json: no such file" in err


def test_json_report_over_a_pipe_is_refused(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_spec({"a.json": case_file({"id": "c1", "title": "t", "steps": [put_step()]})})
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    code, out, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--json", str(pipe))
    assert code == 2 and out == ""
    assert err == f"error: --json: {pipe} is not a regular file\n"
    assert pipe.is_fifo()


def test_json_report_under_proc_is_refused_at_once(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_spec({"a.json": case_file({"id": "c1", "title": "t", "steps": [put_step()]})})
    code, out, err = run(capsys, "run", "--target", "py-memory", "--spec", str(root), "--json", "/proc/x/report.json")
    assert code == 2 and out == ""
    assert err.startswith("error: --json: cannot write /proc/x/report.json: ")
