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
from .codec import MAX_SAFE_INTEGER
from .deadlines import DEFAULT_TIMEOUT
from .errors import SpecError, TargetError, exception_text
from .execution import CaseResult, run_case
from .loading import Case, Spec, Step, lint_case_object
from .spec_json import parse_json
from .targets import Target, make_target

PROTOCOL_VERSION = 1  # spec/protocol.md; the one constant the client (parity/drivers.py) uses too
LANGUAGE = "python"


class MalformedCase(ValueError):
    """A case object the driver cannot run at all."""


def case_from_object(raw: Any, fixtures: dict[str, Any]) -> Case:
    """A Case from a case object as it stands in a case file (no spec folder needed)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise MalformedCase("a case needs a string id")
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


# The members each request kind has (spec/protocol.md, "Requests"); any other member is refused.
MEMBERS: dict[str, tuple[str, ...]] = {
    "start": ("seq", "cmd", "version", "target", "fixtures"),
    "run": ("seq", "cmd", "case"),
    "stop": ("seq", "cmd"),
}
EXIT_OK, EXIT_BAD_INPUT = 0, 2  # a driver never exits 1: it has no verdict of its own


def quoted(text: str) -> str:
    """A string as JSON spells it, as JSON.stringify does (so both drivers' messages agree)."""
    return json.dumps(text, ensure_ascii=False)


def request_seq(request: Any) -> int | None:
    """The seq of a protocol request: a number whose value is an integer from 0 to 2^53-1 (1.0 is 1); else None."""
    if not isinstance(request, dict):
        return None
    seq = request.get("seq")
    if isinstance(seq, float) and seq.is_integer():
        seq = int(seq)
    if type(seq) is not int or not 0 <= seq <= MAX_SAFE_INTEGER:
        return None
    return seq


def utf16_units(name: str) -> bytes:
    """A sort key that orders strings as JavaScript's sort does."""
    return name.encode("utf-16-be", errors="surrogatepass")


def is_number_one(value: Any) -> bool:
    return type(value) in (int, float) and value == 1


class Driver:
    """The protocol state machine, independent of where lines come from."""

    def __init__(
        self, default_target: str | None = None, timeout: float = DEFAULT_TIMEOUT, target_arg: str | None = None
    ) -> None:
        self.default_target = default_target  # None: whatever target start names (the test drivers)
        self.target_arg = target_arg
        self.timeout = timeout  # each step's bound, as `run --timeout`
        self.target: Target | None = None
        self.spec: Spec | None = None
        self.exit_status: int | None = None  # set when the driver must exit

    @property
    def done(self) -> bool:
        return self.exit_status is not None

    def handle(self, request: Any) -> dict[str, Any] | None:
        """The reply to one parsed request line (None: not a protocol request, the driver exits 2)."""
        seq = request_seq(request)
        if seq is None:
            self.exit_status = EXIT_BAD_INPUT
            return None
        command = request.get("cmd")
        if not isinstance(command, str):
            return {"seq": seq, "ok": False, "error": "the request needs a string cmd"}
        members = MEMBERS.get(command)
        if members is None:
            return {"seq": seq, "ok": False, "error": f"unknown cmd {quoted(command)}"}
        # Of several, the least by UTF-16 code units: JavaScript cannot see the members' order in the text.
        extra = min((name for name in request if name not in members), key=utf16_units, default=None)
        if extra is not None:
            why = f"{command} has an unknown member {quoted(extra)}"
            return self._refuse(seq, why) if command == "start" else {"seq": seq, "ok": False, "error": why}
        if command == "start":
            return self._start(seq, request)
        if command == "stop":
            self.exit_status = EXIT_OK
            return {"seq": seq, "ok": True}
        return self._run(seq, request)

    def _refuse(self, seq: int, why: str) -> dict[str, Any]:
        """A refused start: the reply, and the driver exits 2."""
        self.exit_status = EXIT_BAD_INPUT
        return {"seq": seq, "ok": False, "error": why}

    def _start(self, seq: int, request: dict[str, Any]) -> dict[str, Any]:
        if self.target is not None:
            return self._refuse(seq, "start may be sent only once")
        if not is_number_one(request.get("version")):
            return self._refuse(seq, f"this driver speaks protocol version {PROTOCOL_VERSION} only")
        name = request.get("target")
        if not isinstance(name, str):
            return self._refuse(seq, "start needs a target string")
        if self.default_target is not None and name != self.default_target:
            return self._refuse(seq, f"this driver runs target {quoted(self.default_target)}, not {quoted(name)}")
        fixtures = request.get("fixtures")
        if not isinstance(fixtures, dict):
            return self._refuse(seq, "start needs a fixtures object")
        try:
            self.target = make_target(name, timeout=self.timeout, target_arg=self.target_arg)
        except TargetError as exc:
            return self._refuse(seq, f"cannot make target {quoted(name)}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a target that cannot be made is refused, whatever it raised
            return self._refuse(seq, f"cannot make target {quoted(name)}: {exception_text(exc)}")
        self.spec = Spec(root=Path("<driver>"), fixtures=fixtures)
        return {"seq": seq, "ok": True, "version": PROTOCOL_VERSION, "implementation": implementation(self.target)}

    def _run(self, seq: int, request: dict[str, Any]) -> dict[str, Any]:
        if self.target is None or self.spec is None:
            return {"seq": seq, "ok": False, "error": "run before a successful start"}
        raw = request.get("case")
        if not isinstance(raw, dict):
            return {"seq": seq, "ok": False, "error": "run needs a case object"}
        try:
            case = case_from_object(raw, self.spec.fixtures)
        except MalformedCase as exc:
            return {"seq": seq, "ok": False, "error": f"invalid case: {exc}"}
        try:
            result = run_case(case, self.target, self.spec, self.timeout)
        except Exception as exc:  # noqa: BLE001 - the driver stays up whatever one case does
            return {"seq": seq, "ok": False, "error": f"cannot run the case: {exception_text(exc)}"}
        if result.status == "errored":
            # The protocol's results are verdicts; a case that did not run to its end is an error reply.
            return {"seq": seq, "ok": False, "error": f"cannot run the case: {result.reason}"}
        return {"seq": seq, "ok": True, "result": result_object(result)}


def encode_line(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8") + b"\n"


def reply_line(reply: dict[str, Any]) -> bytes:
    """The reply as a protocol line; an error reply in its place when it is not JSON text (a lone surrogate, NaN)."""
    try:
        return encode_line(reply)
    except ValueError as exc:  # UnicodeEncodeError is one
        why = f"cannot send the reply: it is not JSON text ({exception_text(exc)})"
        return encode_line({"seq": reply["seq"], "ok": False, "error": why})


JSON_WHITESPACE = b" \t\r\n"


def read_request(line: bytes) -> Any:
    """A request line's document under spec/README.md 1.1 as a message reads it; SpecError when it breaks a rule."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError("request", "not UTF-8 text") from None
    return parse_json(text, "request", message=True)


def serve(lines: Iterable[bytes], out: IO[bytes], driver: Driver) -> int:
    """Answer requests until the driver is done or input ends; the exit status (0 or 2)."""
    for number, line in enumerate(lines, 1):
        if not line.strip(JSON_WHITESPACE):
            continue
        try:
            request = read_request(line)
        except SpecError as exc:
            at = "" if exc.pointer is None else f" at {exc.pointer or '/'}"
            print(f"checkpoint-spec driver: request line {number}: {exc.message}{at}", file=sys.stderr)
            return EXIT_BAD_INPUT
        reply = driver.handle(request)
        if reply is None:
            why = "not a protocol request (an object with a seq from 0 to 2^53-1)"
            print(f"checkpoint-spec driver: request line {number}: {why}", file=sys.stderr)
        else:
            out.write(reply_line(reply))
            out.flush()
        if driver.exit_status is not None:
            return driver.exit_status
    return EXIT_OK


def main(target: str, timeout: float = DEFAULT_TIMEOUT, target_arg: str | None = None) -> int:
    protocol_out = sys.stdout.buffer
    # Whatever the saver (or anything else) prints must not corrupt the protocol stream.
    sys.stdout = sys.stderr
    print(f"checkpoint-spec {__version__} driver for {target}", file=sys.stderr)
    return serve(sys.stdin.buffer, protocol_out, Driver(target, timeout, target_arg))
