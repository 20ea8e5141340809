"""A PostgreSQL DSN for the postgres targets: from the environment, or a throwaway server on this machine.

`CHECKPOINT_SPEC_POSTGRES_DSN`, when set, names the server to use. Otherwise
`ThrowawayServer` runs the machine's own PostgreSQL binaries: `initdb` into a
temporary directory, `pg_ctl start` listening only on 127.0.0.1 on a free port,
and on the way out (normal exit, exception, SIGTERM/SIGHUP, interpreter exit)
`pg_ctl stop` and removal of every file it made. As root, the binaries run as
the unprivileged `postgres` system user, since initdb refuses root.

    python -m checkpoint_spec.databases -- CMD [ARGS...]

runs CMD with the variable set (starting and stopping a server around it when
it is not set) and exits with CMD's status.

    python -m checkpoint_spec.databases --serve

prints the DSN on one line and keeps the server until its standard input
ends, for a caller (the noxfile) that runs several commands against one server.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .dsn import DSN_ENV, InvalidDsn, check_dsn, connection_failure, describe_dsn, redact, with_options
from .throwaway import NoServer, Throwaway, free_port, unprivileged

__all__ = [
    "DSN_ENV",
    "InvalidDsn",
    "NoPostgres",
    "PostgresUnreachable",
    "ThrowawayServer",
    "check_reachable",
    "connection_failure",
    "describe_dsn",
    "find_binaries",
    "redact",
    "shared_dsn",
    "with_options",
]
FALLBACK_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin")
UNPRIVILEGED_USER = "postgres"
HOW_TO_PROVIDE = (
    f"no PostgreSQL server to run against: set {DSN_ENV} to a connection string (for example "
    f"'host=127.0.0.1 port=5432 user=postgres dbname=postgres'), or install the PostgreSQL server "
    f"binaries (initdb, pg_ctl, postgres; on Debian 'apt-get install postgresql') so a throwaway server can be started"
)


class NoPostgres(NoServer):
    """Neither a DSN nor the binaries to start a server; or the server would not start."""


class PostgresUnreachable(Exception):
    """A DSN whose server does not answer; the message names host and port, never the password."""


@dataclass(frozen=True)
class Binaries:
    initdb: str
    pg_ctl: str
    postgres: str

    @property
    def directory(self) -> str:
        return str(Path(self.pg_ctl).parent)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path))


def find_binaries(search_path: str | None = None, fallback_globs: Sequence[str] = FALLBACK_GLOBS) -> Binaries | None:
    """initdb, pg_ctl and postgres from PATH (or `search_path`), else the newest install under `fallback_globs`."""
    names = ("initdb", "pg_ctl", "postgres")
    found = [shutil.which(name, path=search_path) for name in names]
    if all(found):
        initdb, pg_ctl, postgres = (str(item) for item in found)
        return Binaries(initdb, pg_ctl, postgres)
    directories = sorted((d for pattern in fallback_globs for d in glob.glob(pattern)), key=_version_key, reverse=True)
    for directory in directories:
        paths = [os.path.join(directory, name) for name in names]
        if all(os.access(path, os.X_OK) for path in paths):
            return Binaries(*paths)
    return None


def check_reachable(dsn: str) -> str:
    """The server's version string; raises PostgresUnreachable within the connect timeout when it does not answer.

    A DSN that does not parse raises InvalidDsn.
    """
    import psycopg

    check_dsn(dsn)
    try:
        with psycopg.connect(with_options(dsn), autocommit=True) as connection:
            row = connection.execute("SHOW server_version").fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure to connect is reported the same way
        raise PostgresUnreachable(connection_failure(dsn, exc)) from None
    return str(row[0]) if row else "unknown"


class ThrowawayServer(Throwaway):
    """A PostgreSQL server in a temporary directory, on 127.0.0.1 only, gone (files too) when it stops."""

    def __init__(self, binaries: Binaries | None = None) -> None:
        super().__init__()
        self.binaries = binaries
        self.base: Path | None = None
        self.port: int | None = None
        self.dsn: str | None = None
        self._prefix: list[str] = []
        self._owner: tuple[int, int] | None = None

    @property
    def data(self) -> Path:
        assert self.base is not None
        return self.base / "data"

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._prefix, *argv],
            cwd=self.base,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )

    def _become_unprivileged(self) -> None:
        if not self.running_as_root():
            return
        hint = f", since initdb refuses root; or set {DSN_ENV}"
        self._prefix, self._owner = unprivileged(UNPRIVILEGED_USER, NoPostgres, hint)

    def start(self) -> str:
        if self.dsn is not None:
            return self.dsn
        binaries = self.binaries or find_binaries()
        if binaries is None:
            raise NoPostgres(HOW_TO_PROVIDE)
        self.binaries = binaries
        self._become_unprivileged()
        self.base = Path(tempfile.mkdtemp(prefix="checkpoint-spec-postgres-"))
        self._guard()
        try:
            if self._owner is not None:
                os.chown(self.base, *self._owner)
            initdb = self._run(
                binaries.initdb,
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            )
            if initdb.returncode != 0:
                raise NoPostgres(f"initdb failed: {(initdb.stderr or initdb.stdout).strip()}")
            self._start_on_free_port(binaries)
        except BaseException:
            self.stop()
            raise
        return str(self.dsn)

    def _start_on_free_port(self, binaries: Binaries) -> None:
        assert self.base is not None
        log = self.base / "server.log"
        problem = ""
        for _ in range(5):
            port = free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='{self.base}' "
                f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            started = self._run(
                binaries.pg_ctl, "start", "-D", str(self.data), "-w", "-t", "60", "-s", "-l", str(log), "-o", options
            )
            if started.returncode == 0:
                self.port = port
                self.dsn = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
                return
            tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
            problem = " | ".join([started.stderr.strip(), *tail]).strip(" |")
            if "could not bind" not in problem and "already in use" not in problem:
                break
        raise NoPostgres(f"the throwaway PostgreSQL server did not start: {problem}")

    def stop(self) -> None:
        """Stop the server and remove its files; safe to call more than once, and from atexit or a signal."""
        with self._lock:
            base, self.base = self.base, None
            self.dsn = None
            self._unguard()
            if base is None:
                return
            data = base / "data"
            if self.binaries is not None and (data / "postmaster.pid").exists():
                stopped = subprocess.run(
                    [*self._prefix, self.binaries.pg_ctl, "stop", "-D", str(data), "-m", "immediate", "-w", "-s"],
                    cwd=base,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    check=False,
                )
                if stopped.returncode != 0:
                    _kill_postmaster(data)
            shutil.rmtree(base, ignore_errors=True)


def _kill_postmaster(data: Path) -> None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((data / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGKILL)


_shared: ThrowawayServer | None = None
_shared_lock = threading.Lock()


def shared_dsn() -> str:
    """The DSN from the environment, else one throwaway server per process, started on first use."""
    global _shared
    dsn = os.environ.get(DSN_ENV)
    if dsn:
        return dsn
    with _shared_lock:
        if _shared is None or _shared.dsn is None:
            _shared = ThrowawayServer()
            _shared.start()
        assert _shared.dsn is not None
        return _shared.dsn


def run_with_postgres(command: Sequence[str]) -> int:
    """Run `command` with DSN_ENV set, starting (and afterwards stopping) a throwaway server when it is not."""
    if not command:
        print("error: give a command to run, after --", file=sys.stderr)
        return 2
    dsn = os.environ.get(DSN_ENV)
    try:
        if dsn:
            version = check_reachable(dsn)
            print(f"PostgreSQL {version} at {describe_dsn(dsn)} (from {DSN_ENV})", file=sys.stderr)
            return subprocess.call(list(command))
        with ThrowawayServer() as server:
            assert server.dsn is not None
            version = check_reachable(server.dsn)
            print(f"PostgreSQL {version}: throwaway server at 127.0.0.1:{server.port}", file=sys.stderr)
            return subprocess.call(list(command), env={**os.environ, DSN_ENV: server.dsn})
    except InvalidDsn as exc:
        print(f"error: {DSN_ENV}: {exc}", file=sys.stderr)
        return 2
    except (NoPostgres, PostgresUnreachable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc.filename}: command not found", file=sys.stderr)
        return 127


def serve() -> int:
    """Print a DSN on one line, then keep the server until standard input ends (the caller closes it or exits)."""
    try:
        dsn = os.environ.get(DSN_ENV)
        if dsn:
            check_reachable(dsn)
            print(dsn, flush=True)
            sys.stdin.read()
            return 0
        with ThrowawayServer() as server:
            assert server.dsn is not None
            version = check_reachable(server.dsn)
            print(f"PostgreSQL {version}: throwaway server at 127.0.0.1:{server.port}", file=sys.stderr)
            print(server.dsn, flush=True)
            sys.stdin.read()
        return 0
    except InvalidDsn as exc:
        print(f"error: {DSN_ENV}: {exc}", file=sys.stderr)
        return 2
    except (NoPostgres, PostgresUnreachable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--serve"]:
        return serve()
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    return run_with_postgres(arguments)
