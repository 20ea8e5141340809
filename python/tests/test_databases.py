"""The database targets against real databases: a throwaway PostgreSQL server started here, and SQLite files."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.databases import postgres_server
from checkpoint_spec.databases.postgres_server import (
    DSN_ENV,
    ThrowawayServer,
    describe_dsn,
    find_binaries,
    redact,
    with_options,
)
from checkpoint_spec.divergences import KnownDivergences, judge
from checkpoint_spec.errors import TargetError
from checkpoint_spec.execution import run_case
from checkpoint_spec.loading import load_spec
from checkpoint_spec.report import closing_lines, json_report
from checkpoint_spec.targets import make_target
from checkpoint_spec.targets.postgres import SCHEMA_PREFIX, postgres_target
from checkpoint_spec.targets.sqlite import sqlite_target

from .conftest import SPEC

NO_BINARIES = "this machine has no PostgreSQL server binaries (initdb, pg_ctl, postgres) to start a throwaway server"
CONFIG = {"configurable": {"thread_id": "t1", "checkpoint_ns": ""}}
CHECKPOINT = {
    "v": 4,
    "id": "1f000000-0000-6000-8000-000000000001",
    "ts": "2024-05-01T12:00:01+00:00",
    "channel_values": {},
    "channel_versions": {},
    "versions_seen": {},
}
PUT = {"config": CONFIG, "checkpoint": CHECKPOINT, "metadata": {}, "new_versions": {}}


def needs_binaries() -> None:
    if find_binaries() is None:
        pytest.skip(NO_BINARIES)


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    """A server for tests that do not stop it: CHECKPOINT_SPEC_POSTGRES_DSN's (nox sets it), else a throwaway one."""
    from_environment = os.environ.get(DSN_ENV)
    if from_environment:
        yield from_environment
        return
    needs_binaries()
    with ThrowawayServer() as started:
        assert started.dsn is not None
        yield started.dsn


@pytest.fixture
def own_server() -> Iterator[ThrowawayServer]:
    """A server of the test's own, which the test may stop."""
    needs_binaries()
    with ThrowawayServer() as started:
        yield started


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def schemas(dsn: str) -> list[str]:
    with psycopg.connect(dsn, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE %s", (SCHEMA_PREFIX + "%",)
        ).fetchall()
    return [row[0] for row in rows]


# --- the throwaway server ----------------------------------------------------------------------------------------


def test_throwaway_server_listens_on_loopback_only_and_leaves_nothing_behind() -> None:
    needs_binaries()
    with ThrowawayServer() as server:
        assert server.base is not None and server.dsn is not None
        base = server.base
        with psycopg.connect(server.dsn, autocommit=True) as connection:
            assert connection.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
            assert connection.execute("SHOW port").fetchone() == (str(server.port),)
        if os.geteuid() == 0:
            assert (base / "data").stat().st_uid != 0, "the data directory belongs to the unprivileged user"
        dsn = server.dsn
    assert not base.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(with_options(dsn)).close()


def test_throwaway_server_stops_when_the_body_raises() -> None:
    needs_binaries()
    server = ThrowawayServer()
    with pytest.raises(RuntimeError, match="boom"), server:
        base = server.base
        raise RuntimeError("boom")
    assert base is not None and not base.exists()
    server.stop()  # a second stop is harmless


def test_throwaway_server_stops_on_sigterm(tmp_path: Path) -> None:
    needs_binaries()
    script = (
        "import sys, time\n"
        "from checkpoint_spec.databases import ThrowawayServer\n"
        "server = ThrowawayServer()\n"
        "server.start()\n"
        "print(server.base, server.port, flush=True)\n"
        "sys.stdin.read()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    base, port = child.stdout.readline().split()
    assert Path(base).is_dir()
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate()
    assert child.returncode == 128 + signal.SIGTERM, err
    assert not Path(base).exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres connect_timeout=3").close()


def test_wrapper_runs_the_command_with_the_dsn_and_returns_its_status(monkeypatch: pytest.MonkeyPatch) -> None:
    needs_binaries()
    env = {key: value for key, value in os.environ.items() if key != DSN_ENV}
    script = f"import os; print(os.environ[{DSN_ENV!r}]); raise SystemExit(3)"
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec.databases", "--", sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout.startswith("host=127.0.0.1 port=")
    assert "throwaway server at 127.0.0.1:" in done.stderr


def test_without_dsn_or_binaries_one_sentence_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(DSN_ENV, raising=False)
    monkeypatch.setattr(postgres_server, "find_binaries", lambda: None)
    monkeypatch.setattr(postgres_server, "_shared", None)
    assert postgres_server.run_with_postgres(["true"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and DSN_ENV in err and "initdb" in err
    assert main(["run", "--target", "py-postgres", "--case", "put-*"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --target: py-postgres: no PostgreSQL server") and err.count("\n") == 1


def test_find_binaries(tmp_path: Path) -> None:
    assert find_binaries(search_path=str(tmp_path), fallback_globs=[str(tmp_path / "*" / "bin")]) is None
    for version in ("9", "15"):
        folder = tmp_path / version / "bin"
        folder.mkdir(parents=True)
        for name in ("initdb", "pg_ctl", "postgres"):
            (folder / name).write_text("#!/bin/sh\n")
            (folder / name).chmod(0o755)
    found = find_binaries(search_path=str(tmp_path / "nothing"), fallback_globs=[str(tmp_path / "*" / "bin")])
    assert found is not None and found.directory == str(tmp_path / "15" / "bin")
    on_path = find_binaries(search_path=str(tmp_path / "9" / "bin"), fallback_globs=[])
    assert on_path is not None and on_path.pg_ctl == str(tmp_path / "9" / "bin" / "pg_ctl")


# --- DSNs ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dsn",
    [
        "host=127.0.0.1 port={port} user=alice password=s3cret-Pw dbname=spec",
        "postgresql://alice:s3cret-Pw@127.0.0.1:{port}/spec",
    ],
)
def test_unreachable_dsn_names_host_and_port_never_the_password(
    dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = closed_port()
    dsn = dsn.format(port=port)
    assert "connect_timeout=3" in with_options(dsn)
    with pytest.raises(TargetError) as raised:
        postgres_target("py-postgres", "sync", dsn=dsn)
    message = str(raised.value)
    assert f"cannot connect to PostgreSQL at 127.0.0.1:{port}, database spec, user alice" in message
    assert "s3cret-Pw" not in message
    monkeypatch.setenv(DSN_ENV, dsn)
    assert main(["run", "--target", "py-postgres-async", "--case", "put-*"]) == 2
    out, err = capsys.readouterr()
    assert f"127.0.0.1:{port}" in err and "s3cret-Pw" not in out + err
    assert postgres_server.run_with_postgres(["true"]) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and "s3cret-Pw" not in err


def test_describe_and_redact() -> None:
    assert describe_dsn("host=db.example port=6543 dbname=x") == "db.example:6543, database x"
    assert describe_dsn("dbname=x") == "the default socket:5432, database x"
    assert describe_dsn("postgresql://u:p@[::1") == "a DSN that cannot be parsed"
    assert redact("failed for password hunter2", "host=h password=hunter2") == "failed for password ***"


def test_dsn_from_the_environment_is_used(dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DSN_ENV, dsn)
    monkeypatch.setattr(postgres_server, "find_binaries", lambda: None)
    target = make_target("py-postgres")
    assert "prune" in target.capabilities
    assert target.libraries["langgraph-checkpoint-postgres"].startswith("3.2.")


# --- per-case isolation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", ["sync", "async"])
def test_each_postgres_case_gets_a_fresh_schema_dropped_afterwards(dsn: str, api: Any) -> None:
    target = postgres_target(f"py-postgres-{api}", api, dsn=dsn)
    first = target.open()
    first.call("put", PUT)
    second = target.open()
    assert second.call("get_tuple", {"config": CONFIG}) is None
    assert first.call("get_tuple", {"config": CONFIG})["checkpoint"]["id"] == CHECKPOINT["id"]
    before = set(schemas(dsn))
    first.close()
    second.close()
    assert len(before - set(schemas(dsn))) == 2


@pytest.mark.parametrize("api", ["sync", "async"])
def test_each_sqlite_case_gets_a_fresh_file_removed_afterwards(api: Any) -> None:
    target = sqlite_target(f"py-sqlite-{api}", api)
    first = target.open()
    first.call("put", PUT)
    second = target.open()
    assert second.call("get_tuple", {"config": CONFIG}) is None
    assert first.call("get_tuple", {"config": CONFIG})["checkpoint"]["id"] == CHECKPOINT["id"]
    folder = target_files()
    assert len(list(folder.glob("*.sqlite"))) == 2
    first.close()
    second.close()
    assert list(folder.glob("*.sqlite*")) == []


def target_files() -> Path:
    from checkpoint_spec.targets import sqlite

    folder = sqlite._files._folder
    assert folder is not None
    return folder


def test_shared_sqlite_file_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    writer = sqlite_target("py-sqlite", "sync", path=path).open()
    writer.call("put", PUT)
    writer.close()
    reader = sqlite_target("py-sqlite-async", "async", path=path).open()
    assert reader.call("get_tuple", {"config": CONFIG})["checkpoint"]["id"] == CHECKPOINT["id"]
    reader.close()


def test_missing_db_extra_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langgraph.checkpoint.sqlite", None)
    with pytest.raises(TargetError, match=r"py-sqlite needs the database savers.*checkpoint-spec\[db\]"):
        make_target("py-sqlite")


# --- a server that goes away -----------------------------------------------------------------------------------


@pytest.mark.parametrize("api", ["sync", "async"])
def test_server_gone_mid_run_fails_cases_and_the_report_finishes(own_server: ThrowawayServer, api: Any) -> None:
    assert own_server.dsn is not None
    port = own_server.port
    spec = load_spec(SPEC)
    cases = [case for case in spec.cases if case.operation == "put" and not case.requires][:6]
    target = postgres_target(f"py-postgres-{api}", api, dsn=own_server.dsn)
    results = [run_case(case, target, spec) for case in cases[:2]]
    in_flight = target.open()
    in_flight.call("put", PUT)
    own_server.stop()
    with pytest.raises(psycopg.OperationalError):
        in_flight.call("get_tuple", {"config": CONFIG})
    in_flight.close()
    results += [run_case(case, target, spec) for case in cases[2:]]
    judged = judge(results, KnownDivergences(Path("none.json"), target.name))
    assert [item.verdict for item in judged[2:]] == ["failed"] * 4
    for item in judged[2:]:
        outcome = item.result.first_failure
        assert outcome is not None and outcome.problem is not None
        assert f"cannot connect to PostgreSQL at 127.0.0.1:{port}" in outcome.problem
    report = json_report(target, SPEC, judged)
    json.dumps(report)
    assert report["summary"]["failed"] == 4
    assert closing_lines(judged, 0)[-1].endswith("4 failed, 0 skipped")


# --- the spec on each target, through the command line --------------------------------------------------------


@pytest.mark.parametrize("target", ["py-sqlite", "py-sqlite-async", "py-postgres", "py-postgres-async"])
def test_spec_selection_runs_clean_on_each_target(
    target: str,
    dsn: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(DSN_ENV, dsn)
    report = tmp_path / "report.json"
    code = main(["run", "--target", target, "--case", "put-*", "--case", "list-*", "--json", str(report)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    document = json.loads(report.read_text())
    assert document["target"]["name"] == target
    assert document["summary"]["failed"] == 0 and document["summary"]["passed"] > 0
