"""Runners: one per target, turning a case into a TargetRun, in-process or through a long-lived driver.

A driver runner keeps one driver process for the whole run. When it faults
the case is errored with what the driver printed, the process is killed, and
the next case starts a new one (handshake again). After two starts in a row
fail, or one the driver refuses, the target is given up and its remaining
cases are errored at once with that start's reason.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from ..driver import case_object, implementation, result_object
from ..execution import run_case
from ..loading import Case, Spec
from ..targets import Target, make_target
from .drivers import DriverFault, DriverProcess
from .model import Fault, Implementation, TargetRun

MAX_FAILED_STARTS = 2


class Runner(Protocol):
    name: str
    in_process: bool
    implementation: Implementation | None

    def start(self) -> None: ...

    def submit(self, case: Case) -> None: ...

    def collect(self, case: Case) -> TargetRun: ...

    def close(self) -> None: ...


def run_from_result(target: str, result: dict[str, Any], seconds: float) -> TargetRun:
    return TargetRun(target, result["status"], result["reason"], list(result["steps"]), seconds=seconds)


class InProcessRunner:
    """A Python target run in this process, through the same code path the Python driver uses."""

    in_process = True

    def __init__(self, name: str, spec: Spec) -> None:
        self.name = name
        self.spec = spec
        self.target: Target | None = None
        self.implementation: Implementation | None = None

    def start(self) -> None:
        self.target = make_target(self.name)
        found = implementation(self.target)
        self.implementation = Implementation(
            found["language"], found["target"], found["libraries"], tuple(found["capabilities"]), "in-process"
        )

    def submit(self, case: Case) -> None:
        return None

    def collect(self, case: Case) -> TargetRun:
        assert self.target is not None
        began = time.perf_counter()
        result = result_object(run_case(case, self.target, self.spec))
        return run_from_result(self.name, result, time.perf_counter() - began)

    def close(self) -> None:
        return None


class DriverRunner:
    """A target behind a driver process (spec/protocol.md), restarted after any fault."""

    in_process = False

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        spec: Spec,
        *,
        cwd: Path,
        timeout: float,
        start_timeout: float | None = None,
        target: str | None = None,
    ) -> None:
        self.name = name
        # What `start` names: the target the driver serves, which the run may call by another name.
        self.target = target if target is not None else name
        self.command = list(command)
        self.spec = spec
        self.cwd = cwd
        self.timeout = timeout
        self.start_timeout = start_timeout if start_timeout is not None else max(timeout, 30.0)
        self.schema = spec.root / "schema" / "driver-message.schema.json"
        self.implementation: Implementation | None = None
        self.process: DriverProcess | None = None
        self.failed_starts = 0
        self.last_start_fault: Fault | None = None
        self.restarts = 0
        self._pending: tuple[str, float, DriverFault | None] | None = None
        self._objects: dict[str, dict[str, Any]] = {}
        self._sent: dict[str, Any] | None = None

    def start(self) -> None:
        """Start the driver; a failure is remembered and reported on the cases, never raised."""
        self._ensure_started()

    def _ensure_started(self) -> DriverProcess | None:
        if self.process is not None:
            return self.process
        if self.failed_starts >= MAX_FAILED_STARTS:
            return None
        try:
            process = DriverProcess(self.name, self.command, cwd=self.cwd, schema=self.schema)
            found = process.start(self.target, self.spec.fixtures, self.start_timeout)
        except DriverFault as exc:
            # A refusal is the driver's answer, not a mishap: it is not asked again.
            self.failed_starts = MAX_FAILED_STARTS if exc.fault.kind == "start-refused" else self.failed_starts + 1
            self.last_start_fault = exc.fault
            return None
        if self.implementation is not None:
            self.restarts += 1
        self.failed_starts = 0
        self.implementation = found
        self.process = process
        return process

    def _object(self, case: Case) -> dict[str, Any]:
        found = self._objects.get(case.id)
        if found is None:
            found = self._objects[case.id] = case_object(case)
        return found

    def submit(self, case: Case) -> None:
        """Send the case; its reply is read by collect, so other targets can work meanwhile."""
        began = time.perf_counter()
        process = self._ensure_started()
        self._sent = None
        if process is not None:
            message = {"seq": process.next_seq(), "cmd": "run", "case": self._object(case)}
            try:
                process.send(message)
                self._sent = message
            except DriverFault as exc:
                self.process = None
                self._pending = (case.id, began, exc)
                return
        self._pending = (case.id, began, None)

    def collect(self, case: Case) -> TargetRun:
        assert self._pending is not None and self._pending[0] == case.id
        _, began, fault = self._pending
        self._pending = None
        if fault is not None:
            return self._errored(fault.fault, began)
        process, message = self.process, self._sent
        if process is None or message is None:
            last = self.last_start_fault
            why = Fault(
                "not-started",
                f"driver could not be started ({last.message if last else 'unknown reason'})",
                last.stdout if last else "",
                last.stderr if last else "",
            )
            return self._errored(why, began)
        try:
            reply = process.receive(message, self.timeout)
        except DriverFault as exc:
            self.process = None
            return self._errored(exc.fault, began)
        if not reply["ok"]:
            return self._errored(Fault("refused", f"driver could not run the case: {reply['error']}"), began)
        result = reply["result"]
        if result["id"] != case.id:
            self.process = None
            fault = process.fault("invalid-message", f"driver answered for case {result['id']!r}, not {case.id!r}")
            return self._errored(fault.fault, began)
        return run_from_result(self.name, result, time.perf_counter() - began)

    def _errored(self, fault: Fault, began: float) -> TargetRun:
        return TargetRun(self.name, "errored", fault.message, [], fault, time.perf_counter() - began)

    def close(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
