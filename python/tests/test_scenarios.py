"""Graph scenarios (spec/README.md section 8): loading and lint errors, running, aliases, record."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.execution import run_case
from checkpoint_spec.loading import load_spec
from checkpoint_spec.targets import make_target

from .conftest import with_level, write_json

ASK = {
    "channels": {"answer": "last", "log": "append"},
    "nodes": {
        "prepare": {"actions": [{"write": {"log": ["prepare"]}}]},
        "ask": {"actions": [{"interrupt": "approve?", "into": "answer"}]},
    },
    "edges": [["__start__", "prepare"], ["prepare", "ask"], ["ask", "__end__"]],
}
PLAIN = {
    "channels": {"log": "append"},
    "nodes": {"a": {"actions": [{"write": {"log": ["a"]}}]}},
    "edges": [["__start__", "a"], ["a", "__end__"]],
}
STORED = {"op": "checkpoints", "args": {}}


def scenario_file(*scenarios: dict[str, Any], graphs: dict[str, Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "$schema": "../schema/scenario-file.schema.json",
        "topic": "tests",
        "description": "test scenarios",
        "scenarios": list(scenarios),
    }
    if graphs is not None:
        document["graphs"] = graphs
    return document


def scenario(graph: Any, *steps: dict[str, Any], id: str = "s") -> dict[str, Any]:
    return with_level({"id": id, "title": "t", "graph": graph, "steps": [*steps, STORED]})


@pytest.fixture
def scenario_spec(make_spec: Callable[..., Path]) -> Callable[[dict[str, Any]], Path]:
    def make(document: dict[str, Any]) -> Path:
        root = make_spec({})
        write_json(root / "scenarios" / "a.json", document)
        return root

    return make


def lint_error(root: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint_spec", "lint", "--spec", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("document", "pointer", "words"),
    [
        (
            scenario_file(scenario({**PLAIN, "nodes": {"a": {"actions": [{"explode": True}]}}}, id="s")),
            "/scenarios/0/graph",
            "",
        ),
        (
            scenario_file(scenario({**PLAIN, "edges": [["__start__", "a"], ["a", "ghost"]]})),
            "/scenarios/0/graph/edges/1/1",
            "names no node of this graph: 'ghost'",
        ),
        (
            scenario_file(scenario(PLAIN, {"op": "invoke", "args": {"thread": "t", "command": {"resume": 1}}})),
            "/scenarios/0/steps/0/args/command",
            "nothing can be interrupted",
        ),
        (
            scenario_file(
                with_level(
                    {"id": "s", "title": "t", "graph": PLAIN, "steps": [{"op": "get_state", "args": {"thread": "t"}}]}
                )
            ),
            "/scenarios/0/steps/0/op",
            "the last step of a scenario must be checkpoints",
        ),
        (
            scenario_file(scenario("loop"), graphs={"loop": {**PLAIN, "nodes": {"a": {"subgraph": "loop"}}}}),
            "/graphs/loop/nodes/a/subgraph",
            "graph contains itself: loop -> loop",
        ),
        (
            scenario_file(scenario(PLAIN, {"op": "get_state", "args": {"thread": "t", "checkpoint": "third"}})),
            "/scenarios/0/steps/0/args/checkpoint",
            "is not a checkpoint alias",
        ),
        (
            scenario_file(scenario({**PLAIN, "nodes": {"a": {"actions": [{"copy": "log", "to": "nowhere"}]}}})),
            "/scenarios/0/graph/nodes/a/actions/0/to",
            "names no channel of this graph: 'nowhere'",
        ),
        (
            scenario_file(scenario({**PLAIN, "edges": [["a", "__end__"]]})),
            "/scenarios/0/graph/edges",
            "no edge or branch from __start__",
        ),
        (
            scenario_file(
                scenario(
                    {**PLAIN, "nodes": {"a": {"actions": [{"goto": "a"}, {"write": {"log": ["x"]}}]}}},
                )
            ),
            "/scenarios/0/graph/nodes/a/actions/0",
            "must be its last action",
        ),
    ],
    ids=[
        "unknown-action",
        "edge-to-missing-node",
        "resume-nothing-interrupts",
        "last-step-not-checkpoints",
        "graph-contains-itself",
        "bad-alias",
        "unknown-channel",
        "no-start",
        "goto-not-last",
    ],
)
def test_invalid_scenarios_give_one_line_with_file_and_pointer(
    scenario_spec: Callable[[dict[str, Any]], Path], document: dict[str, Any], pointer: str, words: str
) -> None:
    root = scenario_spec(document)
    line = lint_error(root)
    assert line.startswith(f"error: {root / 'scenarios' / 'a.json'}#{pointer}"), line
    assert words in line


def test_scenario_ids_share_the_case_namespace(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from .conftest import case_file, put_step

    root = make_spec({"a.json": case_file({"id": "s", "title": "t", "steps": [put_step()]})})
    write_json(
        root / "scenarios" / "a.json",
        scenario_file(scenario(PLAIN, {"op": "invoke", "args": {"thread": "t", "input": {}}})),
    )
    assert main(["lint", "--spec", str(root)]) == 2
    assert "id 's' is already used" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["py-memory", "py-memory-async"])
def test_interrupt_and_resume_observed_with_aliases(
    scenario_spec: Callable[[dict[str, Any]], Path], target: str
) -> None:
    root = scenario_spec(
        scenario_file(
            scenario(
                ASK,
                {"op": "invoke", "as": "first", "args": {"thread": "t1", "input": {"log": []}}},
                {"op": "invoke", "args": {"thread": "t1", "command": {"resume_by_id": {"interrupt:1": "yes"}}}},
                {"op": "get_state", "args": {"thread": "t1", "checkpoint": "checkpoint:2"}},
                {"op": "get_state", "args": {"thread": "t1", "checkpoint": "checkpoint:99"}},
            )
        )
    )
    spec = load_spec(root)
    result = run_case(spec.cases[0], make_target(target), spec)
    observations = [outcome.observation for outcome in result.steps]
    assert observations[0] == {
        "result": {"log": ["prepare"], "__interrupt__": [{"id": "interrupt:1", "value": "approve?"}]}
    }
    assert observations[1] == {"result": {"log": ["prepare"], "answer": "yes"}}
    assert observations[2]["result"]["config"]["checkpoint_id"] == "checkpoint:2"
    assert observations[2]["result"]["parent_config"]["checkpoint_id"] == "checkpoint:1"
    assert observations[3] == {"not_run": "no checkpoint of this run has the alias 'checkpoint:99'"}
    stored = observations[4]["result"]
    assert [entry["checkpoint_id"] for entry in stored] == [f"checkpoint:{n}" for n in range(1, 5)]
    assert [entry["parent_checkpoint_id"] for entry in stored] == [None, "checkpoint:1", "checkpoint:2", "checkpoint:3"]
    interrupted = [write[1:] for write in stored[2]["pending_writes"] if write[0].startswith("task:")]
    assert ["__interrupt__", [{"id": "interrupt:1", "value": "approve?"}]] in interrupted
    assert result.status == "failed" and result.first_failure is not None and result.first_failure.step.index == 3


def test_node_error_category_and_wrong_expectation_fail_with_marks(
    scenario_spec: Callable[[dict[str, Any]], Path],
) -> None:
    failing = {**PLAIN, "nodes": {"a": {"actions": [{"raise": "boom"}]}}}
    root = scenario_spec(
        scenario_file(
            scenario(
                failing,
                {"op": "invoke", "args": {"thread": "t1", "input": {"log": []}}, "expect": {"error": "node_error"}},
                {"op": "get_state", "args": {"thread": "t1"}, "expect": {"result": {"$partial": {"next": ["b"]}}}},
            )
        )
    )
    spec = load_spec(root)
    result = run_case(spec.cases[0], make_target("py-memory"), spec)
    assert result.steps[0].ok
    snapshot = result.steps[1].observation["result"]
    assert snapshot["next"] == ["a"] and snapshot["tasks"][0]["error"] == "NodeError('boom')"
    assert [mark.as_json() for mark in result.steps[1].marks] == [{"step": 1, "at": "/next/0", "kind": "value"}]


def test_retry_policy_retries_a_node_error(scenario_spec: Callable[[dict[str, Any]], Path]) -> None:
    flaky = {
        **PLAIN,
        "nodes": {
            "a": {
                "actions": [{"raise": "once", "attempts": 2}, {"write": {"log": ["a"]}}],
                "retry": {"max_attempts": 3},
            }
        },
    }
    root = scenario_spec(
        scenario_file(scenario(flaky, {"op": "invoke", "args": {"thread": "t1", "input": {"log": []}}}))
    )
    spec = load_spec(root)
    result = run_case(spec.cases[0], make_target("py-memory"), spec)
    assert result.steps[0].observation == {"result": {"log": ["a"]}}


def test_record_writes_scenario_expectations(
    scenario_spec: Callable[[dict[str, Any]], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = scenario_spec(
        scenario_file(scenario(PLAIN, {"op": "invoke", "args": {"thread": "t1", "input": {"log": []}}}))
    )
    assert main(["record", "--target", "py-memory", "--spec", str(root)]) == 0
    assert "wrote 2 expectations" in capsys.readouterr().out
    steps = json.loads((root / "scenarios" / "a.json").read_text())["scenarios"][0]["steps"]
    assert steps[0]["expect"] == {"result": {"log": ["a"]}}
    assert len(steps[1]["expect"]["result"]) == 3
    assert main(["run", "--target", "py-memory", "--spec", str(root)]) == 0
