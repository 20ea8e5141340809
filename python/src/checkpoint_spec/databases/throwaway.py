"""What every throwaway server of this package shares: a temporary folder, an unprivileged account when run as
root, a free port on 127.0.0.1, and a stop that runs on exit, on an exception and on SIGTERM/SIGHUP.

`postgres_server.ThrowawayServer` (PostgreSQL through pg_ctl) and `services.DaemonServer` (a server that runs
in the foreground: MariaDB, Redis, a DynamoDB emulator) are built on it.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import signal
import socket
import threading
from types import FrameType, TracebackType
from typing import Any, Self


class NoServer(Exception):
    """The server could not be started: its binaries or its unprivileged account are missing, or it failed."""


def memory_folder() -> str | None:
    """/dev/shm when the machine has it (writable): a server's or a store's files there never wait on a disk."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unprivileged(user: str, refusal: type[Exception] = NoServer, hint: str = "") -> tuple[list[str], tuple[int, int]]:
    """The prefix running a command as `user` (runuser), and its uid and gid; raises `refusal` if either is missing."""
    runuser = shutil.which("runuser")
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        account = None
    if runuser is None or account is None:
        raise refusal(f"running as root: create the unprivileged system user {user!r} (and have runuser){hint}")
    return [runuser, "-u", user, "--"], (account.pw_uid, account.pw_gid)


def exit_on_signal(number: int, frame: FrameType | None) -> None:
    # Unwinds context managers and runs atexit, which stop the server.
    raise SystemExit(128 + number)


class Throwaway:
    """Start and stop around a block; `stop` is registered with atexit and SIGTERM/SIGHUP while the server runs."""

    def __init__(self) -> None:
        self._previous_handlers: dict[int, Any] = {}
        self._lock = threading.Lock()

    def start(self) -> str:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def _guard(self) -> None:
        """Stop on interpreter exit and on SIGTERM/SIGHUP (in the main thread) until `_unguard`."""
        atexit.register(self.stop)
        if threading.current_thread() is not threading.main_thread():
            return
        for number in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(number) is signal.SIG_DFL:
                self._previous_handlers[number] = signal.SIG_DFL
                signal.signal(number, exit_on_signal)

    def _unguard(self) -> None:
        atexit.unregister(self.stop)
        if threading.current_thread() is not threading.main_thread():
            return
        for number, handler in self._previous_handlers.items():
            if signal.getsignal(number) is exit_on_signal:
                signal.signal(number, handler)
        self._previous_handlers.clear()

    @staticmethod
    def running_as_root() -> bool:
        return hasattr(os, "geteuid") and os.geteuid() == 0
