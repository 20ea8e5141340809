"""The catalogue: savers.json against its schema, the page builder on a small synthetic run, the leftover checks and
the generic server manager. None of it needs the third-party savers; the nox session is the end-to-end check."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checkpoint_spec.catalogue import page, session
from checkpoint_spec.catalogue.leftovers import end_processes, folder_leftovers, session_processes
from checkpoint_spec.catalogue.savers import BadCatalogue, Install, Saver, check, load, pip_commands
from checkpoint_spec.databases.services import DaemonServer
from checkpoint_spec.databases.throwaway import NoServer

from .conftest import REPO, write_json

CATALOGUE = REPO / "catalogue"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((CATALOGUE / "savers.schema.json").read_text(encoding="utf-8"))
    return loaded


def saver(name: str = "demo", **changes: Any) -> Saver:
    fields: dict[str, Any] = {
        "name": name,
        "language": "python",
        "package": f"langgraph-checkpoint-{name}",
        "version": "1.2.3",
        "target": f"catalogue.factories.{name}_saver:factory",
        "services": (),
        "isolation": "a fresh folder per case",
        "description": "A saver.",
        "install": Install("resolver", (), ""),
        "api": "sync",
        "expected_leftovers": (),
    }
    return Saver(**(fields | changes))


# savers.json


def test_the_committed_catalogue_matches_its_schema_with_six_savers_and_a_typescript_one() -> None:
    savers = load(CATALOGUE)
    assert len(savers) >= 6
    assert any(s.language == "typescript" for s in savers)
    for entry in savers:
        known = json.loads((REPO / entry.known_file).read_text(encoding="utf-8"))
        assert known["target"] == entry.target, entry.name
        # Every reason written from the saver's source: no generated placeholder left.
        assert not [case for case, item in known["divergences"].items() if item["reason"].startswith("TODO")]


def test_the_schema_refuses_a_missing_field_and_names_where() -> None:
    document = json.loads((CATALOGUE / "savers.json").read_text(encoding="utf-8"))
    del document[1]["version"]
    with pytest.raises(BadCatalogue, match=r"savers.json/1: 'version' is a required property"):
        check(document, schema())


def test_the_schema_refuses_an_inexact_version_and_a_typescript_saver_installed_by_pip() -> None:
    document = json.loads((CATALOGUE / "savers.json").read_text(encoding="utf-8"))
    loose = copy.deepcopy(document)
    loose[0]["version"] = ">=0.3"
    with pytest.raises(BadCatalogue, match=r"savers.json/0/version"):
        check(loose, schema())
    typescript = next(i for i, entry in enumerate(document) if entry["language"] == "typescript")
    document[typescript]["install"]["mode"] = "resolver"
    with pytest.raises(BadCatalogue, match=rf"savers.json/{typescript}/install/mode"):
        check(document, schema())


def test_a_name_used_twice_is_refused() -> None:
    document = json.loads((CATALOGUE / "savers.json").read_text(encoding="utf-8"))
    document.append(copy.deepcopy(document[0]))
    with pytest.raises(BadCatalogue, match="used more than once"):
        check(document, schema())


def test_pip_installs_the_resolvable_savers_together_and_a_no_deps_one_alone() -> None:
    savers = [
        saver("a", install=Install("resolver", ("pymysql",), "")),
        saver("b", install=Install("no-deps", ("duckdb",), "")),
        saver("c", language="typescript", install=Install("npm", (), "")),
    ]
    assert pip_commands(savers, ["one.txt"]) == [
        ["-c", "one.txt", "langgraph-checkpoint-a==1.2.3", "pymysql"],
        ["--no-deps", "langgraph-checkpoint-b==1.2.3"],
        ["-c", "one.txt", "duckdb"],
    ]


def test_a_bad_catalogue_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "catalogue").mkdir()
    write_json(tmp_path / "catalogue" / "savers.json", [{"name": "x"}])
    (tmp_path / "catalogue" / "savers.schema.json").write_text(json.dumps(schema()), encoding="utf-8")
    assert session.main(["--root", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("error: savers.json/0: ")


def test_an_unknown_saver_name_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert session.main(["--saver", "no-such-saver", "--out", "/nonexistent-never-written"]) == 2
    assert "--saver: 'no-such-saver' is not in catalogue/savers.json" in capsys.readouterr().err


def test_the_runner_command_for_each_language() -> None:
    python = session.command(saver(api="async"), "/scratch", Path("r.json"), REPO)
    assert python[:4] == [sys.executable, "-m", "checkpoint_spec", "run"]
    assert python[-1] == "--async" and "--update-known" not in python
    assert python[python.index("--known") + 1] == "catalogue/known/demo.json"
    assert python[python.index("--level") + 1] == "all"
    typescript = session.command(
        saver("js", language="typescript", target="./catalogue/factories/js/x.js:factory"),
        "http://h",
        Path("r"),
        REPO,
        True,
    )
    assert typescript[1:3] == [str(REPO / "js" / "dist" / "cli.js"), "run"]
    assert typescript[typescript.index("--target-arg") + 1] == "http://h" and typescript[-1] == "--update-known"


# The page


def case(case_id: str, operation: str, verdict: str, scenario: bool = False, level: str = "contract") -> dict[str, Any]:
    folder = "scenarios" if scenario else "cases"
    where = f"spec/{folder}/{operation}.json#/0"
    return {"id": case_id, "operation": operation, "level": level, "verdict": verdict, "where": where}


def synthetic_run(unexpected: list[str] | None = None) -> page.SaverRun:
    report = {
        "target": {"libraries": {"langgraph": "1.2.24", "langgraph-checkpoint": "4.3.2"}},
        "summary": {"passed": 2, "known": 3, "failed": 1, "skipped": 1},
        "cases": [
            case("put-a", "put", "passed"),
            case("put-b", "put", "known", level="reference"),
            case("put-c", "put", "failed"),
            case("list-a", "list", "known"),
            case("list-b", "list", "skipped", level="reference"),
            case("list-c", "list", "passed", level="reference"),
            case("fork", "state", "known", scenario=True, level="reference"),
        ],
    }
    known = {
        "divergences": {
            "put-b": {"reason": "Its put drops metadata.", "fails": []},
            "list-a": {"reason": "Its list ignores filter.", "fails": []},
            "fork": {"reason": "Its list ignores filter.", "fails": []},
        }
    }
    leftovers = ["file lmdb-1/data.mdb"] + (unexpected or [])
    return page.SaverRun(
        saver=saver(expected_leftovers=("file lmdb-*",)),
        report=report,
        known=known,
        times=[0.010, 0.030, 0.020],
        leftovers=leftovers,
        unexpected=session.unexpected(leftovers, ("file lmdb-*",)),
        wall_seconds=1.5,
    )


def test_counts_per_operation_and_level_with_scenarios_as_their_own_rows() -> None:
    doc = page.document([synthetic_run()], "1.0")
    entry = doc["savers"][0]
    zero = dict.fromkeys(page.COLUMNS, 0)
    assert list(entry["operations"]) == ["list", "put", "scenario: state"]
    assert entry["operations"]["put"] == {
        "contract": zero | {"passed": 1, "failed": 1},
        "reference": zero | {"known": 1},
    }
    assert entry["operations"]["list"]["reference"] == zero | {"skipped": 1, "passed": 1}
    assert entry["operations"]["scenario: state"] == {"reference": zero | {"known": 1}}
    assert doc["levels"] == ["contract", "reference"]
    assert entry["totals"]["contract"] == {"passed": 1, "failed": 1, "known": 1}
    markdown = page.render_markdown(doc)
    assert "| put | 1 / 0 / 1 / 0 | 0 / 1 / 0 / 0 |" in markdown
    assert "| scenario: state | - | 0 / 1 / 0 / 0 |" in markdown


def test_divergences_are_collapsed_by_reason_most_cases_first() -> None:
    entry = page.document([synthetic_run()], "1.0")["savers"][0]
    assert entry["divergences"] == [
        {"reason": "Its list ignores filter.", "cases": ["fork", "list-a"]},
        {"reason": "Its put drops metadata.", "cases": ["put-b"]},
    ]
    assert "- Its list ignores filter. (2: `fork`, `list-a`)" in page.render_markdown(
        page.document([synthetic_run()], "1.0")
    )


def test_time_per_case_is_the_median_and_the_total() -> None:
    entry = page.document([synthetic_run()], "1.0")["savers"][0]
    assert entry["time"]["cases"] == 3
    assert entry["time"]["median_seconds"] == pytest.approx(0.020)
    assert entry["time"]["total_seconds"] == pytest.approx(0.060)
    assert "median 20.0 ms, total 60.0 ms" in page.render_markdown(page.document([synthetic_run()], "1.0"))


def test_an_expected_leftover_is_shown_and_an_unexpected_one_fails_the_page(tmp_path: Path) -> None:
    fine = page.document([synthetic_run()], "1.0")
    assert fine["ok"] and fine["savers"][0]["leftovers"] == ["file lmdb-1/data.mdb"]
    bad = page.document([synthetic_run(["redis: 3 keys in db0"])], "1.0")
    assert not bad["ok"] and bad["savers"][0]["unexpected_leftovers"] == ["redis: 3 keys in db0"]
    assert "**Not expected** (savers.json): redis: 3 keys in db0" in page.render_markdown(bad)
    written = page.write(bad, tmp_path / "out")
    assert [path.name for path in written] == ["catalogue.json", "catalogue.md", "catalogue.html"]
    html = (tmp_path / "out" / "catalogue.html").read_text(encoding="utf-8")
    assert 'class="failed">Not expected (savers.json): redis: 3 keys in db0' in html
    assert "<style>" in html and "td.counts" in html
    assert json.loads((tmp_path / "out" / "catalogue.json").read_text(encoding="utf-8")) == bad


def test_every_known_file_matches_the_known_divergence_schema() -> None:
    known_schema = json.loads((REPO / "spec" / "schema" / "known-divergences.schema.json").read_text(encoding="utf-8"))
    for path in sorted((CATALOGUE / "known").glob("*.json")):
        errors = list(jsonschema.Draft202012Validator(known_schema).iter_errors(json.loads(path.read_text("utf-8"))))
        assert errors == [], path.name
    assert {path.stem for path in (CATALOGUE / "known").glob("*.json")} == {s.name for s in load(CATALOGUE)}


def test_a_run_is_a_problem_for_unexplained_verdicts_but_not_for_unstable_cases(tmp_path: Path) -> None:
    report = {"cases": [case("a", "put", "stale"), case("b", "put", "failed"), case("c", "put", "known")]}
    log = tmp_path / "log"
    assert session._problem(0, report, log) == (
        "1 failed, 1 stale: catalogue/known/ does not describe this run (rerun with --update-known and give reasons)"
    )
    assert session._problem(1, report, log, ("a", "b")) == ""
    log.write_text("first\nerror: --target: cannot import\n", encoding="utf-8")
    assert session._problem(2, None, log) == "no report (exit status 2): error: --target: cannot import"


# Leftovers


def test_folder_leftovers_lists_files_and_empty_folders_inside(tmp_path: Path) -> None:
    assert folder_leftovers(tmp_path / "missing") == []
    assert folder_leftovers(tmp_path) == []
    (tmp_path / "case-1").mkdir()
    (tmp_path / "case-1" / "data.mdb").write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    assert folder_leftovers(tmp_path) == ["case-1/data.mdb", "empty"]


def test_a_process_left_running_by_a_run_is_found_by_its_session_and_ended() -> None:
    # The shell exits at once and leaves its background sleep in the session it started.
    run = subprocess.Popen(
        ["sh", "-c", "sleep 60 & echo $!"], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert run.stdout is not None
    left = int(run.stdout.readline())
    run.wait()
    try:
        assert session_processes(run.pid) == [left]
    finally:
        end_processes([left])
    deadline = time.monotonic() + 10
    while session_processes(run.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert session_processes(run.pid) == []


def test_session_of_reads_a_stat_line_whose_command_holds_spaces_and_parentheses(tmp_path: Path) -> None:
    (tmp_path / "41").mkdir()
    (tmp_path / "41" / "stat").write_text("41 (a (b) c) S 1 41 777 0 -1\n", encoding="utf-8")
    (tmp_path / "42").mkdir()
    (tmp_path / "42" / "stat").write_text("42 (other) S 1 42 42 0 -1\n", encoding="utf-8")
    (tmp_path / "self").mkdir()
    assert session_processes(777, tmp_path) == [41]


# The generic server manager, on a stand-in server: Python's http.server.


class HttpServer(DaemonServer):
    kind = "http"
    binary = sys.executable

    @staticmethod
    def running_as_root() -> bool:
        # The interpreter may live where an unprivileged account cannot read it; the account path is PostgreSQL's.
        return False

    def command(self, base: Path, port: int) -> list[str]:
        return [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(base), str(port)]

    def client_url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}/"


def test_a_daemon_server_starts_on_loopback_and_stops_by_pid_leaving_no_folder() -> None:
    with HttpServer() as server:
        assert server.url is not None and server.url.startswith("http://127.0.0.1:")
        assert server.process is not None and server.process.poll() is None
        process, base = server.process, server.base
        assert base is not None and base.is_dir()
    assert process.poll() is not None
    assert not base.exists()
    server.stop()  # a second stop does nothing


def test_a_daemon_server_that_exits_at_once_is_a_one_line_failure_and_cleans_up() -> None:
    class Failing(HttpServer):
        def command(self, base: Path, port: int) -> list[str]:
            return [sys.executable, "-c", "import sys; print('refused to start'); sys.exit(3)"]

    server = Failing()
    with pytest.raises(NoServer, match="the throwaway http server did not start: refused to start"):
        server.start()
    assert server.base is None and server.process is None


def test_a_daemon_server_stops_on_sigterm(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(REPO / 'python' / 'src')!r}); sys.path.insert(0, {str(REPO / 'python')!r})\n"
        "from tests.test_catalogue import HttpServer\n"
        "server = HttpServer(); server.start()\n"
        "print(server.process.pid, server.base, flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    pid, base = child.stdout.readline().split()
    child.send_signal(signal.SIGTERM)
    assert child.wait(30) == 128 + signal.SIGTERM
    assert not Path(base).exists()
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid), 0)


def test_the_capability_probe_is_not_timed_as_a_case(tmp_path: Path) -> None:
    times = tmp_path / "times"
    times.write_text("0.5\n0.010000\n0.020000\n", encoding="utf-8")
    assert session._times(times) == [0.01, 0.02]
    assert session._times(tmp_path / "missing") == []


def test_the_terminal_line_counts_each_level_contract_first() -> None:
    run = synthetic_run()
    assert run.report is not None
    run.report["levels"] = {
        "reference": {"passed": 5, "known": 2, "failed": 0, "stale": 0, "skipped": 1, "errored": 0},
        "contract": {"passed": 3, "known": 1, "failed": 1, "stale": 1, "skipped": 0, "errored": 0},
    }
    line = session._closing_line(run)
    assert line.startswith(
        "demo 1.2.3: contract 3 passed, 1 known, 1 failed, 1 stale, 0 skipped; "
        "reference 5 passed, 2 known, 0 failed, 1 skipped; 1.5 s; left file lmdb-1/data.mdb"
    )
    assert session.level_counts(None) == "no report"


def test_a_case_is_counted_at_the_level_its_report_gives() -> None:
    run = synthetic_run()
    assert run.report is not None
    run.report["cases"][2]["level"] = "reference"  # put-c, otherwise contract
    entry = page.document([run], "1.0")["savers"][0]
    assert entry["totals"]["contract"] == {"passed": 1, "known": 1}
    assert entry["totals"]["reference"] == {"known": 2, "failed": 1, "skipped": 1, "passed": 1}
