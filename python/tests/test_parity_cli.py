"""`checkpoint-spec parity`: reports, the registry's strictness, and bad input."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import checkpoint_spec
from checkpoint_spec.cli import main
from checkpoint_spec.files import TEMPORARY
from checkpoint_spec.parity.reports import REPORT_FILES
from checkpoint_spec.parity.targets import driver_target

from .conftest import case_file, entry, write_json
from .parity_support import (
    ALTERED_RULES,
    CASE_IDS,
    cause,
    fake,
    parity,
    simple_case,
    small_spec,
    verdicts,
    write_registry,
)

ALTER = ["--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("alter.py", "second")]


def test_python_targets_agree_and_every_report_is_written(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, lines, _, document = parity(capsys, spec, out, "--targets", "py-memory,py-memory-async")
    assert code == 0
    assert lines[-1] == (
        "4 cases and 0 scenarios, 2 targets: 0 causes explain 0 differences on 0 of them, 0 residual differences on 0; "
        "4 agreements, 0 not compared, 0 failures"
    )
    assert lines[-2] == f"HTML report: {(out / 'parity.html').resolve().as_uri()}"
    assert document["ok"] is True and [t["name"] for t in document["targets"]] == ["py-memory", "py-memory-async"]
    version = document["targets"][0]["libraries"]["langgraph-checkpoint"]
    for name in ("parity.md", "parity.html", "summary.txt"):
        assert f"langgraph-checkpoint {version}" in (out / name).read_text() or version in (out / name).read_text()
    assert "langgraph-checkpoint" in lines[1] and version in lines[1]
    assert (out / "summary.txt").read_text().splitlines() == lines


def test_python_targets_through_the_driver_agree_with_in_process(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    code, lines, _, document = parity(
        capsys, spec, tmp_path / "out", "--targets", "py-memory,py-memory-async", "--python-via-driver"
    )
    assert code == 0, lines
    assert "checkpoint_spec driver --target py-memory" in document["targets"][0]["via"]


def test_unrecorded_divergence_fails_then_the_registry_is_rewritten_and_checked(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, lines, _, document = parity(capsys, spec, out, *ALTER)
    assert code == 1, lines
    assert any(
        line.startswith("DIVERGE [py-memory | fake] put /configurable: object | absent on 1 cases (second)")
        for line in lines
    )
    second = next(case for case in document["cases"] if case["id"] == "second")
    assert second["parity"] == "unrecorded" and second["classes"] == [["py-memory"], ["fake"]]
    assert second["differing_steps"] == [0]
    assert [(d["pointer"], d["looks"]) for d in second["differences"]] == [
        ("/configurable", ["object", "absent"]),
        ("/altered", ["absent", "boolean"]),
    ]

    # One proposed cause per group of residual differences, its rule filled in.
    code, lines, _, _ = parity(capsys, spec, out, *ALTER, "--update-registry")
    registry = spec / "parity" / "registry.json"
    causes = json.loads(registry.read_text())["causes"]
    assert sorted(causes) == ["todo-1", "todo-2"]
    assert causes["todo-1"]["between"] == [{"targets": ["py-memory"]}, {"targets": ["fake"]}]
    assert causes["todo-1"]["differences"] == [
        {"ops": ["put"], "at": "/configurable", "first": "object", "second": "absent"}
    ]
    assert code == 1 and lines[0] == f"rewrote {registry}; 2 causes need a name and an explanation"

    # A TODO explanation is rejected by the lint and by a normal run.
    assert main(["lint", "--spec", str(spec)]) == 2
    assert "#/causes/todo-1/explanation: needs a one-sentence explanation" in capsys.readouterr().err
    assert parity(capsys, spec, out, *ALTER)[0] == 2

    made_up = cause(
        "The fake driver returns a made-up config from put.", ["py-memory", "fake"], ["memory"], *ALTERED_RULES
    )
    made_up["issue"] = "https://example.invalid/issue/1"
    write_registry(spec, {"made-up-config": made_up})
    code, lines, _, report = parity(capsys, spec, out, *ALTER)
    assert code == 0, lines
    assert lines[-1] == (
        "4 cases and 0 scenarios, 2 targets: 1 causes explain 2 differences on 1 of them, 0 residual differences on 0; "
        "3 agreements, 0 not compared, 0 failures"
    )
    difference = next(case for case in report["cases"] if case["id"] == "second")["differences"][0]
    assert difference["recorded"] and difference["causes"] == ["made-up-config"]
    assert report["causes"] == [
        {
            "id": "made-up-config",
            "cases": 1,
            "explanation": "The fake driver returns a made-up config from put.",
            "issue": "https://example.invalid/issue/1",
            "rules": {"0": 1, "1": 1},
        }
    ]
    assert "The fake driver returns a made-up config" in (out / "parity.html").read_text()

    # A second difference on the same case is not covered by the cause of the first.
    write_registry(spec, {"made-up-config": cause("Made up.", ["py-memory", "fake"], ["memory"], ALTERED_RULES[0])})
    code, lines, _, report = parity(capsys, spec, out, *ALTER)
    assert code == 1
    assert any(line.startswith("DIVERGE [py-memory | fake] put /altered: absent | boolean") for line in lines)

    # Once the targets agree again, the rules are stale and fail the run; --update-registry drops them.
    write_registry(spec, {"made-up-config": made_up})
    quiet = ["--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("alter.py", "nothing")]
    code, lines, _, report = parity(capsys, spec, out, *quiet)
    assert code == 1
    assert any("#/causes/made-up-config/differences/0: explains no difference" in line for line in lines)
    assert report["registry"]["stale_rules"] == [
        {"cause": "made-up-config", "rule": 0},
        {"cause": "made-up-config", "rule": 1},
    ]
    code, lines, _, _ = parity(capsys, spec, out, *quiet, "--update-registry")
    assert code == 0 and json.loads(registry.read_text())["causes"] == {}


def test_a_cause_between_languages_covers_every_target_of_that_language(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    # The fake driver says it is python, like py-memory: a cause between python and python covers both ways round.
    write_registry(spec, {"made-up": cause("Made up.", ["python", "python"], ["memory"], *ALTERED_RULES)})
    argv = ["--targets", "py-memory,py-memory-async,fake", "--driver", "fake@memory=" + fake("alter.py", "second")]
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", *argv)
    assert code == 0, lines
    second = next(case for case in document["cases"] if case["id"] == "second")
    assert second["classes"] == [["py-memory", "py-memory-async"], ["fake"]]
    assert {tuple(d["targets"]) for d in second["differences"]} == {("py-memory", "fake")}


def test_a_subset_run_checks_only_the_rules_of_the_targets_it_ran(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    write_registry(spec, {"sqlite-only": cause("Made up.", ["py-sqlite", "fake"], ["sqlite"], *ALTERED_RULES)})
    code, lines, _, _ = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory,py-memory-async")
    assert code == 0, lines
    # A --case selection cannot tell that a rule is stale either.
    argv = ["--targets", "py-sqlite,fake", "--driver", "fake@sqlite=" + fake("alter.py", "nothing"), "--case", "f*"]
    code, lines, _, _ = parity(capsys, spec, tmp_path / "out", *argv)
    assert code == 0, lines


def test_a_case_fewer_than_two_targets_of_a_family_ran_is_not_compared(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    prune = {
        "id": "needs-prune",
        "title": "t",
        "requires": ["prune"],
        "steps": [{"op": "prune", "args": {"thread_ids": []}}],
    }
    spec = make_spec({"put.json": case_file(simple_case("first"), prune)})
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory,py-memory-async")
    assert code == 0, lines
    statuses = {case["id"]: case["parity"] for case in document["cases"]}
    assert statuses == {"first": "agree", "needs-prune": "not_compared"}
    assert "1 agreements, 1 not compared" in lines[-1]


def test_spec_failures_are_judged_with_the_known_lists(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = simple_case("bad")
    bad["steps"][1]["expect"] = {"result": {"$type": "string"}}
    spec = make_spec({"put.json": case_file(simple_case("good"), bad)})
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory,py-memory-async")
    assert code == 1
    assert any(
        line.startswith("FAIL bad [py-memory] step 1 get_tuple: result at /: expected type string") for line in lines
    )
    for target in ("py-memory", "py-memory-async"):
        write_json(
            spec / "known-divergences" / f"{target}.json",
            {
                "$schema": "../schema/known-divergences.schema.json",
                "target": target,
                "divergences": {"bad": entry("Made up.", (1, "", "type"))},
            },
        )
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory,py-memory-async")
    assert code == 0, lines
    assert {case["id"]: case["targets"]["py-memory"]["verdict"] for case in document["cases"]} == {
        "good": "passed",
        "bad": "known",
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--targets", "py-memory,nope"], 'error: --targets: unknown target "nope"; known: py-memory, '),
        (["--targets", "py-memory,py-memory"], 'error: --targets: "py-memory" is named twice'),
        (["--targets", ","], "error: --targets: name at least one target"),
        (["--case", "zzz*"], 'error: --case: "zzz*" matches no case id'),
        (["--case", "[z-a]"], 'error: --case: "[z-a]": the range z-a ends before it starts'),
        (["--timeout", "0"], 'error: --timeout: must be a positive number of seconds, not "0"'),
        (["--driver", "broken"], 'error: --driver: "broken": expected NAME=COMMAND or NAME@FAMILY=COMMAND'),
        (["--driver", "x@Bad=cmd"], 'error: --driver: "x@Bad=cmd": the family after @ must be lowercase letters'),
        (["--driver", "x@=cmd"], 'error: --driver: "x@=cmd": the family after @ must be lowercase letters'),
        (
            ["--targets", "py-memory,memory", "--driver", "memory=cmd"],
            "error: --driver: memory: without @FAMILY a driver is a family of its own",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    make_spec: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    spec = small_spec(make_spec)
    code = main(["parity", "--spec", str(spec), "--out", str(tmp_path / "out"), *argv])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out" / "parity.json").exists()


def test_unwritable_out_is_one_line_and_exit_2(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["parity", "--spec", str(spec), "--out", str(blocker / "out"), "--targets", "py-memory"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"error: --out {blocker / 'out'}: cannot write reports there: ") and err.count("\n") == 1


def test_the_report_folder_is_replaced_whole_and_an_interrupted_runs_leftovers_go(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, _, _, first = parity(capsys, spec, out, "--targets", "py-memory")
    assert code == 0
    # What a run killed while writing left: its folder of new reports beside out, an older writer's file in it.
    ended = subprocess.Popen(["true"])
    ended.wait()
    staging = tmp_path / f"{TEMPORARY}out.{ended.pid}.x1y2z3"
    staging.mkdir()
    (staging / "parity.json").write_text("{")
    (out / ".parity.json.abcd1234").write_text("{")
    code, _, _, second = parity(capsys, spec, out, "--targets", "py-memory", "--case", "first")
    assert code == 0
    assert [case["id"] for case in first["cases"]] == CASE_IDS
    assert [case["id"] for case in second["cases"]] == ["first"]
    assert sorted(os.listdir(out)) == sorted(REPORT_FILES)
    assert sorted(os.listdir(tmp_path)) == ["out", "spec"]


def test_a_report_folder_that_holds_other_files_is_refused(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code = main(["parity", "--spec", str(spec), "--out", str(out), "--targets", "py-memory"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == (
        f"error: --out {out}: holds files that are not parity reports (notes.txt); every run replaces the folder "
        "whole, so name a folder of its own\n"
    )
    assert os.listdir(out) == ["notes.txt"]


def test_missing_js_build_is_bad_input(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if this package ran from a checkout whose js/ was never built.
    spec = small_spec(make_spec)
    monkeypatch.setattr("checkpoint_spec.roots.checkout_root", lambda: spec.parent)
    code = main(["parity", "--spec", str(spec), "--out", str(tmp_path / "out"), "--targets", "py-memory,js-memory"])
    _, err = capsys.readouterr()
    assert code == 2 and "js/dist/cli.js is not built" in err and err.count("\n") == 1


def test_case_selection_runs_only_matching_cases(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    code, _, _, document = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory", "--case", "f*")
    assert code == 0
    assert [case["id"] for case in document["cases"]] == [i for i in CASE_IDS if i.startswith("f")]


def test_registry_rules_are_checked_by_the_lint(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec = small_spec(make_spec)
    bad = cause("Made up.", ["python", "typescript"], ["memory"], {"at": "/x", "first": "absent", "second": "absent"})
    bad["differences"].append({"at": "/y", "first": "present", "second": "absent", "families": ["sqlite"]})
    write_registry(
        spec, {"made-up": bad, "todo-1": cause("TODO: later", ["python", "typescript"], ["memory"], *ALTERED_RULES)}
    )
    assert main(["lint", "--spec", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "#/causes/made-up/differences/0: says both sides are absent, which is no difference" in err
    assert "#/causes/made-up/differences/1/families: names families the cause does not (sqlite)" in err
    assert "#/causes/todo-1/explanation: needs a one-sentence explanation" in err
    write_registry(spec, {"made-up": cause("Made up.", ["python"], ["memory"], *ALTERED_RULES)})
    assert main(["lint", "--spec", str(spec)]) == 2
    assert "registry.json#/causes/made-up/between" in capsys.readouterr().err


@pytest.mark.skipif(
    not (Path(__file__).resolve().parents[2] / "js" / "dist" / "cli.js").is_file(),
    reason="js/dist is not built; `python3 noxw -s parity` builds it (npm ci, npm run build)",
)
def test_a_spec_outside_the_checkout_still_finds_the_js_driver(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    _, lines, _, document = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory,js-memory")
    js = next(target for target in document["targets"] if target["name"] == "js-memory")
    assert js["libraries"].get("@langchain/langgraph-checkpoint"), lines


def test_a_driver_is_a_target_without_being_named_in_targets(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    argv = ["--targets", "py-memory", "--driver", "fake@memory=" + fake("alter.py", "nothing")]
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", *argv)
    assert code == 0, lines
    assert [target["name"] for target in document["targets"]] == ["py-memory", "fake"]


def test_a_driver_of_a_user_factory_takes_any_name_and_runs_in_the_caller_s_folder(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mine@memory=checkpoint-spec driver --target my_savers:fresh_saver`, with my_savers.py in the caller's folder."""
    spec = small_spec(make_spec)
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "my_savers.py").write_text(
        "from langgraph.checkpoint.memory import InMemorySaver\n\n\ndef fresh_saver():\n    return InMemorySaver()\n"
    )
    monkeypatch.chdir(folder)
    # The driver imports this checkpoint_spec whatever the working folder (a relative PYTHONPATH would not).
    monkeypatch.setenv("PYTHONPATH", str(Path(checkpoint_spec.__file__).resolve().parents[1]))
    command = shlex.join([sys.executable, "-m", "checkpoint_spec", "driver", "--target", "my_savers:fresh_saver"])
    code, lines, _, document = parity(
        capsys, spec, tmp_path / "out", "--targets", "py-memory", "--driver", f"mine@memory={command}"
    )
    assert code == 0, lines
    assert set(verdicts(document, "mine").values()) == {"passed"}
    mine = next(target for target in document["targets"] if target["name"] == "mine")
    assert mine["target"] == "my_savers:fresh_saver" and mine["family"] == "memory"


def test_the_target_a_driver_starts_is_its_command_s_last_target_option_else_its_name() -> None:
    assert driver_target("mine", ["checkpoint-spec", "driver", "--target", "a:b"]) == "a:b"
    assert driver_target("mine", ["x", "--target=a:b", "--target", "c:d"]) == "c:d"
    assert driver_target("mine", ["x", "--target", "c:d", "--target=./m.mjs:f"]) == "./m.mjs:f"
    assert driver_target("mine", ["python3", "my_driver.py"]) == "mine"
    assert driver_target("mine", ["x", "--target"]) == "mine"
