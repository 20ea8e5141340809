"""`checkpoint-spec parity`: reports, the registry's strictness, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checkpoint_spec.cli import main

from .conftest import case_file, entry, write_json
from .parity_support import CASE_IDS, fake, parity, simple_case, small_spec, write_registry

ALTER = ["--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("alter.py", "second")]


def test_python_targets_agree_and_every_report_is_written(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    out = tmp_path / "out"
    code, lines, _, document = parity(capsys, spec, out, "--targets", "py-memory,py-memory-async")
    assert code == 0
    assert lines[-1] == "4 cases, 2 targets, 4 agreements, 0 divergences (0 recorded, 0 unrecorded), 0 failures"
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
    assert any(line.startswith("DIVERGE second [py-memory | fake] at step 0 /configurable: ") for line in lines)
    second = next(case for case in document["cases"] if case["id"] == "second")
    assert second["parity"] == "unrecorded" and second["classes"] == [["py-memory"], ["fake"]]
    assert second["differing_steps"] == [0]

    code, lines, _, _ = parity(capsys, spec, out, *ALTER, "--update-registry")
    registry = spec / "parity" / "registry.json"
    entries = json.loads(registry.read_text())["divergences"]
    assert [(e["case"], e["targets"]) for e in entries] == [("second", ["py-memory", "fake"])]
    assert entries[0]["causes"] == ["TODO"]
    assert code == 1 and lines[0] == f"rewrote {registry}; 1 entries need a reason"

    # A TODO cause is rejected by the lint and by a normal run.
    assert main(["lint", "--spec", str(spec)]) == 2
    assert "#/divergences/0/causes/0: name the causes that explain this divergence" in capsys.readouterr().err
    assert parity(capsys, spec, out, *ALTER)[0] == 2

    entries[0]["causes"] = ["made-up-config"]
    document = json.loads(registry.read_text())
    document["causes"] = {
        "made-up-config": {
            "explanation": "The fake driver returns a made-up config from put on this case.",
            "issue": "https://example.invalid/issue/1",
        }
    }
    document["divergences"] = entries
    registry.write_text(json.dumps(document))
    code, lines, _, report = parity(capsys, spec, out, *ALTER)
    assert code == 0, lines
    assert lines[-1] == "4 cases, 2 targets, 3 agreements, 1 divergences (1 recorded, 0 unrecorded), 0 failures"
    difference = next(case for case in report["cases"] if case["id"] == "second")["differences"][0]
    assert difference["recorded"] and difference["reason"].startswith("The fake driver")
    assert "The fake driver returns a made-up config" in (out / "parity.html").read_text()

    # Once the targets agree again, the entry is stale and fails the run.
    code, lines, _, _ = parity(
        capsys,
        spec,
        out,
        "--targets",
        "py-memory,py-memory-async,fake",
        "--driver",
        "fake@memory=" + fake("alter.py", "nothing"),
    )
    assert code == 1
    assert any(line.startswith("STALE second [py-memory | fake] registry entry") for line in lines)
    code, lines, _, _ = parity(
        capsys,
        spec,
        out,
        "--targets",
        "py-memory,fake",
        "--driver",
        "fake@memory=" + fake("alter.py", "nothing"),
        "--update-registry",
    )
    assert code == 0 and json.loads(registry.read_text())["divergences"] == []


def test_an_entry_covers_the_divergence_whichever_python_target_it_names(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    write_registry(spec, {"made-up": "Made up."}, [("second", ["fake", "py-memory-async"], ["made-up"])])
    argv = ["--targets", "py-memory,py-memory-async,fake", "--driver", "fake@memory=" + fake("alter.py", "second")]
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", *argv)
    assert code == 0, lines
    second = next(case for case in document["cases"] if case["id"] == "second")
    assert second["classes"] == [["py-memory", "py-memory-async"], ["fake"]]
    assert second["differences"][0]["targets"] == ["py-memory-async", "fake"]


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
        (["--targets", "py-memory,nope"], "error: --targets: unknown target 'nope'; known: py-memory, "),
        (["--targets", "py-memory,py-memory"], "error: --targets: 'py-memory' is named twice"),
        (["--targets", ","], "error: --targets: name at least one target"),
        (["--case", "zzz*"], "error: --case: 'zzz*' matches no case id"),
        (["--timeout", "0"], "error: --timeout 0: must be a positive number of seconds"),
        (["--driver", "broken"], "error: --driver 'broken': expected NAME=COMMAND or NAME@FAMILY=COMMAND"),
        (["--driver", "x@Bad=cmd"], "error: --driver 'x@Bad=cmd': the family after @ must be lowercase letters"),
        (["--driver", "x@=cmd"], "error: --driver 'x@=cmd': the family after @ must be lowercase letters"),
        (
            ["--targets", "py-memory,memory", "--driver", "memory=cmd"],
            "error: --driver memory: without @FAMILY a driver is a family of its own",
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


def test_missing_js_build_is_bad_input(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if this package ran from a checkout whose js/ was never built.
    spec = small_spec(make_spec)
    monkeypatch.setattr("checkpoint_spec.cli.checkout_root", lambda: spec.parent)
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


def test_registry_causes_must_be_defined_and_used(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec = small_spec(make_spec)
    write_registry(spec, {"unused": "Explains nothing."}, [("second", ["fake", "py-memory"], ["undefined"])])
    assert main(["lint", "--spec", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "#/divergences/0/causes/0: names no cause defined under /causes ('undefined')" in err
    assert "#/causes/unused: explains no divergence; remove it" in err


def test_update_registry_drops_entries_of_deleted_cases(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    registry = write_registry(
        spec,
        {"gone": "Explained a case that was deleted."},
        [("deleted-case", ["py-memory", "py-memory-async"], ["gone"])],
    )
    assert main(["lint", "--spec", str(spec)]) == 2
    assert "names no case in the spec ('deleted-case')" in capsys.readouterr().err
    code, lines, _, _ = parity(
        capsys, spec, tmp_path / "out", "--targets", "py-memory,py-memory-async", "--update-registry"
    )
    assert code == 0, lines
    document = json.loads(registry.read_text())
    assert document["divergences"] == [] and document["causes"] == {}


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
