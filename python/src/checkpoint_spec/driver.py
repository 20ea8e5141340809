"""The Python driver: spec/protocol.md over standard input and output.

    checkpoint-spec driver --target py-memory

One JSON object per line in, one reply per line out. Standard output carries
protocol messages only: anything the saver prints goes to standard error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from . import __version__
from .deadlines import DEFAULT_TIMEOUT
from .errors import TargetError, exception_text
from .execution import CaseResult, run_case
from .loading import Case, Spec, Step, lint_case_object
from .targets import Target, make_target

PROTOCOL_VERSION = 1  # spec/protocol.md; the one constant the client (parity/drivers.py) uses too
LANGUAGE = "python"


class MalformedCase(ValueError):
    """A case object the driver cannot run at all."""


def case_from_object(raw: Any, fixtures: dict[str, Any]) -> Case:
    """A Case from a case object as it stands in a case file (no spec folder needed)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise MalformedCase("a case is an object with a string id")
    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        raise MalformedCase(f"case {raw['id']!r}: steps must be a non-empty array")
    built: list[Step] = []
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("op"), str) or not isinstance(step.get("args"), dict):
            raise MalformedCase(f"case {raw['id']!r}: step {index} needs a string op and an object args")
        expect = step.get("expect")
        if expect is not None and not (isinstance(expect, dict) and ("result" in expect or "error" in expect)):
            raise MalformedCase(f"case {raw['id']!r}: step {index} has a malformed expect")
        name = step.get("as")
        built.append(Step(index, step["op"], step["args"], name if isinstance(name, str) else None, expect))
    requires = raw.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(item, str) for item in requires):
        raise MalformedCase(f"case {raw['id']!r}: requires must be an array of strings")
    # The same semantic lint as a case file gets: known operations, resolvable
    # fixtures and references, one spelling per value.
    problems = lint_case_object(raw, fixtures, f"case {raw['id']!r}")
    if problems:
        raise MalformedCase("; ".join(str(problem) for problem in problems))
    return Case(
        id=raw["id"],
        title=str(raw.get("title", raw["id"])),
        operation="",
        requires=tuple(requires),
        steps=tuple(built),
        file=Path("<driver>"),
        pointer="",
        graph=raw.get("graph"),
    )


def case_object(case: Case) -> dict[str, Any]:
    """The case object of a loaded case, as it stands in its case file (a scenario's graph expanded)."""
    raw: dict[str, Any] = {"id": case.id, "title": case.title}
    if case.graph is not None:
        raw["graph"] = case.graph
    if case.requires:
        raw["requires"] = list(case.requires)
    steps: list[dict[str, Any]] = []
    for step in case.steps:
        item: dict[str, Any] = {"op": step.op}
        if step.name is not None:
            item["as"] = step.name
        if step.note is not None:
            item["note"] = step.note
        item["args"] = step.args
        if step.expect is not None:
            item["expect"] = step.expect
        steps.append(item)
    raw["steps"] = steps
    return raw


def result_object(result: CaseResult) -> dict[str, Any]:
    """The `result` of a run reply; the in-process parity runner uses the same function."""
    return {
        "id": result.case.id,
        "status": result.status,
        "reason": result.reason,
        "steps": [
            {"index": outcome.step.index, "observation": outcome.observation, "problem": outcome.problem}
            for outcome in result.steps
        ],
    }


def implementation(target: Target) -> dict[str, Any]:
    return {
        "language": LANGUAGE,
        "target": target.name,
        "libraries": dict(sorted(target.libraries.items())),
        "capabilities": sorted(target.capabilities),
    }


class Driver:
    """The protocol state machine, independent of where lines come from."""

    def __init__(self, default_target: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.default_target = default_target
        self.timeout = timeout  # each step's bound, as `run --timeout`
        self.target: Target | None = None
        self.spec: Spec | None = None
        self.done = False

    def handle(self, request: Any) -> dict[str, Any] | None:
        """The reply to one request (None: no reply); sets `done` when the driver must exit."""
        if not isinstance(request, dict) or not isinstance(request.get("seq"), int) or isinstance(request["seq"], bool):
            self.done = True
            return None
        seq: int = request["seq"]
        command = request.get("cmd")
        if command == "start":
            return self._start(seq, request)
        if command == "stop":
            self.done = True
            return {"seq": seq, "ok": True}
        if command == "run":
            if self.target is None or self.spec is None:
                return {"seq": seq, "ok": False, "error": "run before a successful start"}
            try:
                case = case_from_object(request.get("case"), self.spec.fixtures)
                result = run_case(case, self.target, self.spec, self.timeout)
            except MalformedCase as exc:
                return {"seq": seq, "ok": False, "error": str(exc)}
            except Exception as exc:  # noqa: BLE001 - the driver stays up whatever one case does
                return {"seq": seq, "ok": False, "error": f"cannot run the case: {exception_text(exc)}"}
            if result.status == "errored":
                # The protocol's results are verdicts; a case that did not run to its end is an error reply.
                return {"seq": seq, "ok": False, "error": f"cannot run the case: {result.reason}"}
            return {"seq": seq, "ok": True, "result": result_object(result)}
        return {"seq": seq, "ok": False, "error": f"unknown command {command!r}"}

    def _start(self, seq: int, request: dict[str, Any]) -> dict[str, Any]:
        def refuse(why: str) -> dict[str, Any]:
            self.done = True
            return {"seq": seq, "ok": False, "error": why}

        if self.target is not None:
            return refuse("start may be sent only once")
        if request.get("version") != PROTOCOL_VERSION:
            return refuse(f"this driver speaks protocol version {PROTOCOL_VERSION}, not {request.get('version')!r}")
        name = request.get("target")
        if not isinstance(name, str) or (self.default_target is not None and name != self.default_target):
            return refuse(f"this driver runs target {self.default_target!r}, not {name!r}")
        fixtures = request.get("fixtures")
        if not isinstance(fixtures, dict):
            return refuse("start needs a fixtures object")
        try:
            self.target = make_target(name, timeout=self.timeout)
        except TargetError as exc:
            return refuse(str(exc))
        except Exception as exc:  # noqa: BLE001 - a target that cannot be made is refused, whatever it raised
            return refuse(f"cannot make target {name!r}: {exception_text(exc)}")
        self.spec = Spec(root=Path("<driver>"), fixtures=fixtures)
        return {"seq": seq, "ok": True, "version": PROTOCOL_VERSION, "implementation": implementation(self.target)}


def encode_line(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8") + b"\n"


def reply_line(reply: dict[str, Any]) -> bytes:
    """The reply as a protocol line; an error reply when the result is not JSON text (a lone surrogate, NaN)."""
    try:
        return encode_line(reply)
    except ValueError as exc:  # UnicodeEncodeError is one
        why = f"cannot send the result: it is not JSON text ({exception_text(exc)})"
        return encode_line({"seq": reply["seq"], "ok": False, "error": why})


def serve(lines: Iterable[bytes], out: IO[bytes], driver: Driver) -> int:
    """Answer requests until stop or end of input; the exit status."""
    for line in lines:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            print(f"checkpoint-spec driver: not a JSON request: {line[:200]!r}", file=sys.stderr)
            return 2
        reply = driver.handle(request)
        if reply is None:
            print(f"checkpoint-spec driver: not a protocol request: {line[:200]!r}", file=sys.stderr)
        else:
            out.write(reply_line(reply))
            out.flush()
        if driver.done:
            return 0 if reply is not None and reply.get("ok") else 2
    return 0


def main(target: str, timeout: float = DEFAULT_TIMEOUT) -> int:
    protocol_out = sys.stdout.buffer
    # Whatever the saver (or anything else) prints must not corrupt the protocol stream.
    sys.stdout = sys.stderr
    print(f"checkpoint-spec {__version__} driver for {target}", file=sys.stderr)
    return serve(sys.stdin.buffer, protocol_out, Driver(target, timeout))
