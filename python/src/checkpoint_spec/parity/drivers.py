"""Driver processes: spawn, handshake, one request at a time under a deadline, kill.

Everything a driver prints is read through one selector on its standard output
and standard error, so a chatty or stuck driver can neither block the
orchestrator nor go unnoticed. A reply is one line of at most MAX_LINE bytes,
read as JSON under the rules of spec files (spec_json). Any fault raises
DriverFault carrying what the driver printed; the caller kills the process and
decides whether to restart.

Each driver runs in a process group of its own, and every way out kills the
whole group, so nothing a driver started outlives it: a normal end, a fault,
an interrupted run (kill_drivers) and the interpreter's exit (atexit).
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..driver import PROTOCOL_VERSION
from ..errors import SpecError
from ..spec_json import parse_json
from .model import Fault, Implementation
from .protocol import problem

STDERR_TAIL = 4000
STDOUT_KEEP = 4000
MAX_LINE = 64 * 1024 * 1024  # bytes of one reply, its newline included (spec/protocol.md)
# How long a driver whose standard output ended may take to exit before it counts as still running.
EXIT_GRACE = 1.0


class DriverFault(Exception):
    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        super().__init__(fault.message)


def _tail(data: bytes | bytearray, limit: int) -> str:
    text = bytes(data[-limit:]).decode("utf-8", errors="replace")
    return ("..." + text) if len(data) > limit else text


def _waiting_for(message: dict[str, Any]) -> str:
    return f"to {message['cmd']} (seq {message['seq']})"


_running: set[DriverProcess] = set()


def kill_drivers() -> None:
    """Kill every driver still running, with its process group: for a run that is interrupted or ends abruptly."""
    for process in list(_running):
        process.kill()


atexit.register(kill_drivers)


class DriverProcess:
    """One running driver. Not thread-safe; one outstanding request at a time."""

    def __init__(self, name: str, command: Sequence[str], *, cwd: Path, schema: Path) -> None:
        self.name = name
        self.command = list(command)
        self.schema = schema
        self.seq = 0
        self._stdout = bytearray()  # bytes not yet split into lines
        self._printed = bytearray()  # what the driver printed while answering the current request
        self._stderr = bytearray()
        self._eof = {"stdout": False, "stderr": False}
        self._killed = False
        try:
            self.process = subprocess.Popen(
                self.command,
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                bufsize=0,
                start_new_session=True,
            )
        except OSError as exc:
            raise DriverFault(Fault("not-started", f"cannot start {' '.join(self.command)}: {exc}")) from None
        _running.add(self)
        assert self.process.stdout is not None and self.process.stderr is not None
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ, "stdout")
        self._selector.register(self.process.stderr, selectors.EVENT_READ, "stderr")

    # -- faults ------------------------------------------------------------

    def fault(self, kind: str, message: str) -> DriverFault:
        """A fault with everything the driver printed; the process is killed first."""
        self.kill(drain=True)
        printed = bytes(self._printed) + bytes(self._stdout[-2 * STDOUT_KEEP :])
        return DriverFault(Fault(kind, message, _tail(printed, STDOUT_KEEP), _tail(self._stderr, STDERR_TAIL)))

    def kill(self, *, drain: bool = False) -> None:
        """Kill the driver's whole process group, also when the driver itself has already exited."""
        if not self._killed:
            self._killed = True
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # the group is gone: the driver and everything it started have exited
            except PermissionError:
                if self.process.poll() is None:
                    self.process.kill()
        self.process.wait()
        _running.discard(self)
        if drain:
            # Whatever was still in the pipes (a crash message, say) belongs to the report.
            deadline = time.monotonic() + 1.0
            while not all(self._eof.values()) and time.monotonic() < deadline:
                self._pump(deadline)
        self._close_pipes()

    def _close_pipes(self) -> None:
        if self._selector.get_map():
            self._selector.close()
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()

    # -- reading -----------------------------------------------------------

    def _pump(self, deadline: float) -> None:
        """Read whatever is available before the deadline into the buffers."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not self._selector.get_map():
            return
        for key, _ in self._selector.select(remaining):
            chunk = os.read(key.fd, 65536)
            stream: str = key.data
            if not chunk:
                self._eof[stream] = True
                self._selector.unregister(key.fileobj)
            elif stream == "stdout":
                self._stdout += chunk
            else:
                self._stderr += chunk
                if len(self._stderr) > 4 * STDERR_TAIL:
                    del self._stderr[: -2 * STDERR_TAIL]

    def _read_line(self, deadline: float, waiting_for: str) -> bytes:
        scanned = 0  # bytes of _stdout known to hold no newline, so a long line is searched once
        while True:
            newline = self._stdout.find(b"\n", scanned, MAX_LINE)
            scanned = min(len(self._stdout), MAX_LINE)
            if newline >= 0:
                line = bytes(self._stdout[: newline + 1])
                del self._stdout[: newline + 1]
                # Only the end of what was printed goes into a fault.
                self._printed += line[-STDOUT_KEEP:]
                if len(self._printed) > 4 * STDOUT_KEEP:
                    del self._printed[: -2 * STDOUT_KEEP]
                return line
            if len(self._stdout) >= MAX_LINE:
                raise self.fault("garbage", f"driver printed a line longer than {MAX_LINE} bytes {waiting_for}")
            if self._eof["stdout"]:
                raise self._gone(waiting_for)
            if time.monotonic() >= deadline:
                raise self.fault("timeout", f"no reply within the timeout {waiting_for}")
            self._pump(deadline)

    def _gone(self, waiting_for: str) -> DriverFault:
        """The fault of a driver whose standard output or input closed: it exited, or it keeps running without them."""
        try:
            status = self.process.wait(EXIT_GRACE)
        except subprocess.TimeoutExpired:
            return self.fault("exited", f"driver closed its standard output or input and kept running {waiting_for}")
        return self.fault("exited", f"driver exited with status {status} {waiting_for}")

    # -- requests ----------------------------------------------------------

    def send(self, message: dict[str, Any]) -> None:
        """Write one request; its reply is read by receive."""
        self._printed.clear()
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n")
        except (BrokenPipeError, ConnectionResetError, ValueError):
            raise self._gone(f"before {_waiting_for(message)}") from None

    def receive(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """The reply to message: JSON under the rules of spec files, checked against the schema and for its seq."""
        waiting_for = _waiting_for(message)
        line = self._read_line(time.monotonic() + timeout, waiting_for)
        try:
            reply = parse_json(line.decode("utf-8"), "driver reply", message=True)
        except UnicodeDecodeError:
            raise self.fault("garbage", f"driver printed a line that is not UTF-8 {waiting_for}") from None
        except SpecError as exc:
            if exc.pointer is None:
                raise self.fault("garbage", f"driver printed a line that is not JSON {waiting_for}") from None
            # JSON that breaks a rule at a place (a huge number, deep nesting, a lone surrogate): a protocol fault.
            where = exc.pointer or "/"
            why = f"driver reply {waiting_for} breaks a rule at {where}: {exc.message}"
            raise self.fault("invalid-message", why) from None
        wrong = problem(reply, f"{message['cmd']}-reply", self.schema)
        if wrong is not None:
            raise self.fault("invalid-message", f"driver reply {waiting_for} is {wrong}")
        if reply["seq"] != message["seq"]:
            raise self.fault("wrong-seq", f"driver replied with seq {reply['seq']} {waiting_for}")
        return dict(reply)

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        self.send(message)
        return self.receive(message, timeout)

    def next_seq(self) -> int:
        seq = self.seq
        self.seq += 1
        return seq

    def start(self, target: str, fixtures: dict[str, Any], timeout: float) -> Implementation:
        message = {
            "seq": self.next_seq(),
            "cmd": "start",
            "version": PROTOCOL_VERSION,
            "target": target,
            "fixtures": fixtures,
        }
        reply = self.request(message, timeout)
        if not reply["ok"]:
            # The driver's own answer (it exits then): starting it again would give the same.
            raise self.fault("start-refused", f"driver refused to start: {reply['error']}")
        found = reply["implementation"]
        if found["target"] != target:
            raise self.fault("handshake", f"driver started target {found['target']!r}, not {target!r}")
        return Implementation(
            language=found["language"],
            target=found["target"],
            libraries=dict(found["libraries"]),
            capabilities=tuple(found["capabilities"]),
            via=" ".join(self.command),
        )

    def run(self, case: dict[str, Any], timeout: float) -> dict[str, Any]:
        return self.request({"seq": self.next_seq(), "cmd": "run", "case": case}, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask politely, then kill; never raises."""
        if self.process.poll() is None:
            try:
                self.request({"seq": self.next_seq(), "cmd": "stop"}, timeout)
                self.process.wait(timeout)
            except (DriverFault, subprocess.TimeoutExpired):
                pass
        self.kill()
