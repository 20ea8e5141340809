"""The Python driver: spec/protocol.md over a real process, and the same observations as in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from checkpoint_spec.driver import case_object, result_object
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
    assert replies == [{"seq": 0, "ok": False, "error": "this driver speaks protocol version 1, not 2"}]
    assert code != 0


def test_other_target_than_the_command_line_is_refused() -> None:
    replies, code, _ = converse("py-memory", [start("py-memory-async")])
    assert replies[0]["ok"] is False and "py-memory-async" in replies[0]["error"]
    assert code != 0


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
    assert replies[1]["ok"] is False and "steps" in replies[1]["error"]
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
    assert done.returncode == 2 and done.stdout == "" and "not a JSON request" in done.stderr


CONVERSATIONS = json.loads((SPEC / "selftest" / "driver.json").read_text())["conversations"]


def _line(request: Any, target: str, fixtures: dict[str, Any]) -> str:
    if isinstance(request, str):
        return request + "\n"
    filled = dict(request)
    if filled.get("target") == "TARGET":
        filled["target"] = target
    if filled.get("fixtures") == "FIXTURES":
        filled["fixtures"] = fixtures
    return json.dumps(filled) + "\n"


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c["description"] for c in CONVERSATIONS])
def test_shared_driver_conversation(conversation: dict[str, Any]) -> None:
    """spec/selftest/driver.json: every driver answers these the same way."""
    fixtures = load_spec(SPEC).fixtures
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "driver", "--target", "py-memory"],
        input="".join(_line(request, "py-memory", fixtures) for request in conversation["requests"]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(replies) == len(conversation["replies"]), done.stdout
    for reply, want in zip(replies, conversation["replies"], strict=True):
        assert reply["seq"] == want["seq"] and reply["ok"] is want["ok"], reply
        if "status" in want:
            assert reply["result"]["status"] == want["status"], reply
        if "error_contains" in want:
            assert want["error_contains"] in reply["error"], reply
    assert (done.returncode == 0) is (conversation["exit"] == "zero"), (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
