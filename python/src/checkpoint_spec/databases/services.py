"""Throwaway servers that run in the foreground, for the catalogue's third-party savers: MariaDB, Redis and a
DynamoDB emulator (dynalite, from npm).

Each runs as an unprivileged system user when this is root (the Debian packages create `mysql` and `redis`;
the emulator runs as `nobody` when that account can read it, else as the caller), listens on 127.0.0.1 only
on a free port, keeps its files in a temporary folder (in memory, /dev/shm, where the machine has it: a case's
database is made and dropped per case, and on a disk each waits for fsync), and is stopped by its pid
(SIGTERM, then SIGKILL) with its folder removed, on the same exits as PostgreSQL's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from ..files import log_stream
from .throwaway import NoServer, Throwaway, free_port, memory_folder, unprivileged

START_SECONDS = 60.0
STOP_SECONDS = 10.0


class DaemonServer(Throwaway):
    """One server process started in the foreground; `url` is what its clients connect to."""

    kind = "server"
    user = "nobody"
    # The binary that must be on PATH (or a full path), named when it is missing.
    binary = ""

    def __init__(self) -> None:
        super().__init__()
        self.base: Path | None = None
        self.port: int | None = None
        self.url: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._prefix: list[str] = []

    def unprivileged_ok(self) -> bool:
        """Whether, as root, the server can run as `user` (a Debian server always can)."""
        return True

    def prepare(self, base: Path) -> None:
        """Make what the server needs in `base` before it starts (a data folder)."""

    def command(self, base: Path, port: int) -> list[str]:
        raise NotImplementedError

    def client_url(self, port: int) -> str:
        raise NotImplementedError

    def _run(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._prefix, *argv], cwd=self.base, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )

    def start(self) -> str:
        if self.url is not None:
            return self.url
        if not (shutil.which(self.binary) or Path(self.binary).is_file()):
            raise NoServer(f"{self.kind}: {self.binary} is missing (see catalogue/README.md for the packages)")
        owner: tuple[int, int] | None = None
        if self.running_as_root() and self.unprivileged_ok():
            self._prefix, owner = unprivileged(self.user)
        self.base = Path(tempfile.mkdtemp(prefix=f"checkpoint-spec-{self.kind.lower()}-", dir=memory_folder()))
        self._guard()
        try:
            if owner is not None:
                os.chown(self.base, *owner)
            self.prepare(self.base)
            self._launch()
        except BaseException:
            self.stop()
            raise
        return str(self.url)

    def _launch(self) -> None:
        assert self.base is not None
        port = free_port()
        log = log_stream(self.base / "server.log")
        with log:
            self.process = subprocess.Popen(
                [*self._prefix, *self.command(self.base, port)],
                cwd=self.base,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                self.port = port
                self.url = self.client_url(port)
                return
            time.sleep(0.1)
        tail = (self.base / "server.log").read_text(errors="replace").strip().splitlines()[-3:]
        raise NoServer(f"the throwaway {self.kind} server did not start: {' | '.join(tail) or 'no output'}")

    def stop(self) -> None:
        """Stop the process by its pid and remove its folder; safe to call more than once."""
        with self._lock:
            base, self.base = self.base, None
            process, self.process = self.process, None
            self.url = None
            self._unguard()
            if process is not None and process.poll() is None:
                _end(process)
            if base is not None:
                shutil.rmtree(base, ignore_errors=True)


def _end(process: subprocess.Popen[bytes]) -> None:
    # runuser passes SIGTERM on to the server it started; SIGKILL goes to the server's own process group.
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class MariaDBServer(DaemonServer):
    """mariadbd on a fresh data folder; root connects over TCP without a password."""

    kind = "MariaDB"
    user = "mysql"
    binary = "mariadbd"

    def prepare(self, base: Path) -> None:
        installed = self._run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={base / 'data'}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ]
        )
        if installed.returncode != 0:
            raise NoServer(f"mariadb-install-db failed: {(installed.stderr or installed.stdout).strip()[-500:]}")

    def command(self, base: Path, port: int) -> list[str]:
        return [
            shutil.which(self.binary) or self.binary,
            "--no-defaults",
            f"--datadir={base / 'data'}",
            f"--socket={base / 'mariadb.sock'}",
            f"--pid-file={base / 'mariadb.pid'}",
            "--bind-address=127.0.0.1",
            f"--port={port}",
            "--skip-networking=0",
            "--skip-name-resolve",
            # Debian's own configuration (which --no-defaults leaves out) makes utf8mb4 the default character set.
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_general_ci",
            "--innodb-flush-log-at-trx-commit=0",
            "--skip-log-bin",
        ]

    def client_url(self, port: int) -> str:
        return f"mysql://root@127.0.0.1:{port}/"


class RedisServer(DaemonServer):
    """redis-server with no persistence, its working folder the temporary one."""

    kind = "Redis"
    user = "redis"
    binary = "redis-server"

    def command(self, base: Path, port: int) -> list[str]:
        return [
            shutil.which(self.binary) or self.binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(base),
            "--daemonize",
            "no",
        ]

    def client_url(self, port: int) -> str:
        return f"redis://127.0.0.1:{port}/0"


class DynaliteServer(DaemonServer):
    """The dynalite DynamoDB emulator (in memory), from the catalogue's npm project; tables are ready at once."""

    kind = "dynalite"
    user = "nobody"

    def __init__(self, cli: Path) -> None:
        super().__init__()
        self.binary = str(cli)

    def unprivileged_ok(self) -> bool:
        # The emulator is a script in the checkout, which `nobody` cannot read under a private folder (/root):
        # then it runs as the caller, still on 127.0.0.1 only.
        runuser = shutil.which("runuser")
        if runuser is None:
            return False
        probe = [runuser, "-u", self.user, "--", "test", "-r", self.binary]
        return subprocess.run(probe, stdin=subprocess.DEVNULL, capture_output=True, check=False).returncode == 0

    def command(self, base: Path, port: int) -> list[str]:
        node = shutil.which("node") or "node"
        # Tables are ready at once: a case makes and drops its own, and the default waits 500 ms for each.
        timings = ["--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"]
        return [node, self.binary, "--host", "127.0.0.1", "--port", str(port), *timings]

    def client_url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"
