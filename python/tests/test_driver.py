"""The Python driver: spec/protocol.md over a real process, and the same observations as in-process."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.driver import Driver, case_object, reply_line, result_object, serve
from checkpoint_spec.execution import run_case
from checkpoint_spec.loading import load_spec
from checkpoint_spec.parity.differences import CaseComparison
from checkpoint_spec.parity.protocol import problem
from checkpoint_spec.targets import make_target

from .conftest import SPEC

SCHEMA = SPEC / "schema" / "driver-message.schema.json"


def converse(target: str, requests: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, str]:
    lines = "".join(json.dumps(request) + "\n" for request in requests)
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "driver", "--target", target],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return [json.loads(line) for line in done.stdout.splitlines()], done.returncode, done.stderr


def start(target: str = "py-memory", version: int = 1) -> dict[str, Any]:
    spec = load_spec(SPEC)
    return {"seq": 0, "cmd": "start", "version": version, "target": target, "fixtures": spec.fixtures}


def test_every_case_observes_the_same_through_the_driver_as_in_process() -> None:
    spec = load_spec(SPEC)
    for name in ("py-memory", "py-memory-async"):
        requests = [start(name)]
        requests += [{"seq": i + 1, "cmd": "run", "case": case_object(case)} for i, case in enumerate(spec.cases)]
        requests.append({"seq": len(spec.cases) + 1, "cmd": "stop"})
        replies, code, _ = converse(name, requests)
        assert code == 0
        assert len(replies) == len(requests)
        assert [reply["seq"] for reply in replies] == list(range(len(requests)))
        for request, reply in zip(requests, replies, strict=True):
            assert problem(reply, f"{request['cmd']}-reply", SCHEMA) is None, reply
        target = make_target(name)
        for case, reply in zip(spec.cases, replies[1:-1], strict=True):
            local = result_object(run_case(case, target, spec))
            remote = reply["result"]
            if all(step.op != "get_next_version" for step in case.steps):
                assert remote == local, case.id
            else:
                # Versions carry a random part: equal where the case fixes them.
                comparison = CaseComparison(case, spec.fixtures)
                assert remote["status"] == local["status"], case.id
                assert comparison.differences(local["steps"], remote["steps"]) == [], case.id


def test_handshake_names_language_libraries_and_capabilities() -> None:
    replies, code, stderr = converse("py-memory", [start(), {"seq": 1, "cmd": "stop"}])
    assert code == 0
    implementation = replies[0]["implementation"]
    assert implementation["language"] == "python" and implementation["target"] == "py-memory"
    assert implementation["libraries"]["langgraph-checkpoint"].startswith("4.")
    assert {"put", "get_tuple", "list"} <= set(implementation["capabilities"])
    assert replies[1] == {"seq": 1, "ok": True}
    assert "driver for py-memory" in stderr


def test_unknown_version_is_refused_and_the_driver_exits() -> None:
    replies, code, _ = converse("py-memory", [start(version=2), {"seq": 1, "cmd": "stop"}])
    assert replies == [{"seq": 0, "ok": False, "error": "this driver speaks protocol version 1 only"}]
    assert code == 2


def test_other_target_than_the_command_line_is_refused() -> None:
    replies, code, _ = converse("py-memory", [start("py-memory-async")])
    assert replies == [{"seq": 0, "ok": False, "error": 'this driver runs target "py-memory", not "py-memory-async"'}]
    assert code == 2


def test_malformed_case_is_an_error_reply_and_the_driver_stays_up() -> None:
    spec = load_spec(SPEC)
    good = case_object(spec.cases[0])
    replies, code, _ = converse(
        "py-memory",
        [
            start(),
            {"seq": 1, "cmd": "run", "case": {"id": "broken", "steps": []}},
            {"seq": 2, "cmd": "run", "case": good},
            {"seq": 3, "cmd": "stop"},
        ],
    )
    assert replies[1]["ok"] is False and replies[1]["error"].startswith("invalid case: ")
    assert "steps" in replies[1]["error"]
    assert replies[2]["ok"] is True and replies[2]["result"]["id"] == good["id"]
    assert code == 0


def test_run_before_start_is_an_error_reply() -> None:
    replies, _, _ = converse("py-memory", [{"seq": 0, "cmd": "run", "case": {"id": "x", "steps": []}}])
    assert replies == [{"seq": 0, "ok": False, "error": "run before a successful start"}]


def test_end_of_input_ends_the_driver_cleanly() -> None:
    replies, code, _ = converse("py-memory", [start()])
    assert replies[0]["ok"] is True and code == 0


def test_a_line_that_is_not_json_stops_the_driver_with_a_message() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "driver", "--target", "py-memory"],
        input="hello\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    last = done.stderr.splitlines()[-1]
    assert last == "checkpoint-spec driver: request line 1: not JSON: Expecting value at line 1 column 1"


CONVERSATIONS = json.loads((SPEC / "selftest" / "driver.json").read_text())["conversations"]
LANGUAGE_TARGET = "py-memory"


def _request_bytes(request: Any, target: str, fixtures: dict[str, Any]) -> bytes:
    """A request of spec/selftest/driver.json as the bytes it stands for."""
    if isinstance(request, str):
        return request.replace("TARGET", target).encode("utf-8") + b"\n"
    if set(request) == {"$bytes"}:
        return base64.b64decode(request["$bytes"])
    filled = dict(request)
    if filled.get("target") == "TARGET":
        filled["target"] = target
    if filled.get("fixtures") == "FIXTURES":
        filled["fixtures"] = fixtures
    return json.dumps(filled).encode("utf-8") + b"\n"


def _with_target(value: Any, target: str) -> Any:
    if isinstance(value, str):
        return value.replace("TARGET", target)
    if isinstance(value, list):
        return [_with_target(item, target) for item in value]
    if isinstance(value, dict):
        return {name: _with_target(item, target) for name, item in value.items()}
    return value


def check_reply(reply: dict[str, Any], want: dict[str, Any], target: str) -> None:
    """A reply against one of driver.json's expected replies, by the rule its description states."""
    want = _with_target(want, target)
    if "error_prefix" in want:
        assert set(reply) == {"seq", "ok", "error"}, reply
        assert (reply["seq"], reply["ok"]) == (want["seq"], False), reply
        prefix = want["error_prefix"]
        assert reply["error"].startswith(prefix), reply
        for part in want.get("error_contains", []):
            assert part in reply["error"][len(prefix) :], reply
        return
    if want.get("implementation") == "IMPLEMENTATION":
        implementation = reply.get("implementation")
        assert isinstance(implementation, dict), reply
        assert (implementation["language"], implementation["target"]) == ("python", target), reply
        want = {**want, "implementation": implementation}
    assert reply == want


def converse_raw(conversation: dict[str, Any]) -> subprocess.CompletedProcess[bytes]:
    target = conversation.get("target", LANGUAGE_TARGET)
    fixtures = load_spec(SPEC).fixtures
    return subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "driver", "--target", target],
        input=b"".join(_request_bytes(request, target, fixtures) for request in conversation["requests"]),
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c["description"] for c in CONVERSATIONS])
def test_shared_driver_conversation(conversation: dict[str, Any]) -> None:
    """spec/selftest/driver.json: every driver answers these exactly the same way."""
    target = conversation.get("target", LANGUAGE_TARGET)
    done = converse_raw(conversation)
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8", errors="replace")
    assert stdout == "" or stdout.endswith("\n"), stdout
    replies = [json.loads(line) for line in stdout.splitlines()]
    assert len(replies) == len(conversation["replies"]), stdout
    for reply, want in zip(replies, conversation["replies"], strict=True):
        assert problem(reply, _reply_kind(reply), SCHEMA) is None, reply
        check_reply(reply, want, target)
    assert done.returncode == conversation["exit"], (done.returncode, stderr)
    assert "Traceback" not in stderr


def _reply_kind(reply: dict[str, Any]) -> str:
    """The schema's kind a reply is checked as (an error reply is valid as any)."""
    return "start-reply" if "implementation" in reply else "run-reply" if "result" in reply else "stop-reply"


def _serve(*lines: bytes, target: str = "py-memory") -> tuple[int, list[dict[str, Any]]]:
    """The driver served in-process: its exit status and its replies."""
    out = io.BytesIO()
    status = serve(lines, out, Driver(target))
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


START_LINE = b'{"seq":0,"cmd":"start","version":1,"target":"py-memory","fixtures":{}}\n'


def test_exit_status_0_after_stop_and_at_end_of_input() -> None:
    stopped = _serve(START_LINE, b'{"seq":1,"cmd":"stop"}\n', b"not read\n")
    assert stopped == (0, [ANY_HANDSHAKE, {"seq": 1, "ok": True}])
    assert _serve(START_LINE) == (0, [ANY_HANDSHAKE])
    assert _serve() == (0, [])
    # A refused run, an unknown cmd: error replies, and the driver still ends with 0.
    status, replies = _serve(b'{"seq":0,"cmd":"run","case":{}}\n', b'{"seq":1,"cmd":"x"}\n')
    assert status == 0 and [reply["ok"] for reply in replies] == [False, False]


def test_exit_status_2_after_a_refused_start_with_its_reply(capsys: pytest.CaptureFixture[str]) -> None:
    status, replies = _serve(b'{"seq":0,"cmd":"start","version":1,"target":"py-memory"}\n', b'{"seq":1,"cmd":"stop"}\n')
    assert (status, replies) == (2, [{"seq": 0, "ok": False, "error": "start needs a fixtures object"}])
    assert capsys.readouterr().err == ""


def test_exit_status_2_after_a_line_that_is_not_a_protocol_request_without_a_reply(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _serve(START_LINE, b'{"seq":-1,"cmd":"stop"}\n') == (2, [ANY_HANDSHAKE])
    assert capsys.readouterr().err == (
        "checkpoint-spec driver: request line 2: not a protocol request (an object with a seq from 0 to 2^53-1)\n"
    )
    assert _serve(b"\n", b'{"seq":0,"cmd":' + b"[" * 3000 + b"]" * 3000 + b"}\n") == (2, [])
    err = capsys.readouterr().err
    assert err.startswith("checkpoint-spec driver: request line 2: arrays and objects nest more than 100 deep")
    assert err.count("\n") == 1


def test_a_factory_that_fails_at_start_is_no_refused_start_its_cases_are_errored(tmp_path: Path) -> None:
    (tmp_path / "failing_factory.py").write_text("def make():\n    raise RuntimeError('boom')\n", encoding="utf-8")
    start = {"seq": 0, "cmd": "start", "version": 1, "target": "failing_factory:make", "fixtures": {}}
    case = {"id": "c", "title": "t", "steps": [{"op": "get_tuple", "args": {"config": None}}]}
    requests = [start, {"seq": 1, "cmd": "run", "case": case}, {"seq": 2, "cmd": "stop"}]
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "driver", "--target", "failing_factory:make"],
        input="".join(json.dumps(request) + "\n" for request in requests),
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [reply["ok"] for reply in replies] == [True, False, True]
    assert replies[1]["error"] == "cannot run the case: making the saver raised RuntimeError: boom"
    assert done.returncode == 0 and "Traceback" not in done.stderr


class _AnyHandshake:
    """Equal to any successful start reply (its implementation is the target's)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dict) and other.get("ok") is True and "implementation" in other

    def __hash__(self) -> int:
        return 0


ANY_HANDSHAKE: Any = _AnyHandshake()


@pytest.mark.parametrize("bad", ["\ud800", float("nan")])
def test_a_reply_that_is_not_json_text_is_replaced_by_an_error_reply(bad: Any) -> None:
    reply = json.loads(reply_line({"seq": 4, "ok": True, "result": {"steps": [{"observation": {"result": bad}}]}}))
    assert set(reply) == {"seq", "ok", "error"} and (reply["seq"], reply["ok"]) == (4, False)
    assert reply["error"].startswith("cannot send the reply: it is not JSON text (")


def test_the_driver_passes_target_arg_to_the_factory() -> None:
    from . import plugin_savers

    plugin_savers.ARGUMENTS.clear()
    target = "tests.plugin_savers:with_argument"
    driver = Driver(target, target_arg="redis://127.0.0.1:6379/0")
    reply = driver.handle({"seq": 0, "cmd": "start", "version": 1, "target": target, "fixtures": {}})
    assert reply is not None and reply["ok"] is True, reply
    assert plugin_savers.ARGUMENTS == [("redis://127.0.0.1:6379/0",)]
