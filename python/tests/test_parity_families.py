"""Families: targets are compared within their family only; `--driver NAME[@FAMILY]=COMMAND`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.errors import TargetError
from checkpoint_spec.loading import Case, Step, load_spec
from checkpoint_spec.parity.model import TargetJudgement, TargetRun
from checkpoint_spec.parity.orchestration import compare_case
from checkpoint_spec.parity.registry import Registry
from checkpoint_spec.parity.targets import DEFAULT_TARGETS, FAMILIES, Driver, parse_driver, resolve_targets

from .conftest import SPEC
from .parity_support import ALTERED_RULES, cause, fake, parity, small_spec, write_registry


def test_every_builtin_target_has_a_family_and_the_default_run_has_all_nine() -> None:
    assert set(DEFAULT_TARGETS) == set(FAMILIES)
    assert {FAMILIES[name] for name in DEFAULT_TARGETS} == {"memory", "sqlite", "postgres"}
    assert [FAMILIES[name] for name in ("py-sqlite", "py-sqlite-async", "js-sqlite")] == ["sqlite"] * 3
    assert [FAMILIES[name] for name in ("py-postgres", "py-postgres-async", "js-postgres")] == ["postgres"] * 3


def test_driver_syntax_with_and_without_a_family() -> None:
    assert parse_driver("mine=python3 -m my.driver") == ("mine", Driver(("python3", "-m", "my.driver"), None))
    assert parse_driver("mine@sqlite=./drv --x 'a b'") == ("mine", Driver(("./drv", "--x", "a b"), "sqlite"))
    assert parse_driver("mine@my-family2=drv") == ("mine", Driver(("drv",), "my-family2"))
    definitions = resolve_targets(
        ["py-memory", "mine", "other"],
        repo=SPEC.parent,
        drivers={"mine": Driver(("drv",), "memory"), "other": Driver(("drv",), None)},
    )
    found = [(d.name, d.family) for d in definitions]
    assert found == [("py-memory", "memory"), ("mine", "memory"), ("other", "other")]


@pytest.mark.parametrize(
    "value",
    ["mine@=drv", "mine@SQLite=drv", "mine@a@b=drv", "mine@my family=drv", "mine@-x=drv", "mine@sqlite"],
)
def test_malformed_driver_families_are_rejected(value: str) -> None:
    with pytest.raises(TargetError, match=r"^--driver: "):
        parse_driver(value)


def test_a_driver_without_family_may_not_take_the_name_of_another_targets_family() -> None:
    with pytest.raises(TargetError, match="'memory' is the family of py-memory"):
        resolve_targets(["py-memory", "memory"], repo=SPEC.parent, drivers={"memory": Driver(("drv",), None)})


def _run(target: str, steps: int, result: Any) -> TargetRun:
    return TargetRun(
        target, "passed", None, [{"index": i, "observation": {"result": result}, "problem": None} for i in range(steps)]
    )


def test_targets_of_different_families_are_never_compared_and_a_family_divergence_is() -> None:
    spec = load_spec(SPEC)
    # Two steps with no expectation: their results are compared whole.
    steps = tuple(Step(i, "get_tuple", {"config": {}}, None, None) for i in range(2))
    case = Case("families", "families", "get_tuple", (), steps, Path("<test>"), "")
    n = len(case.steps)
    runs = {
        "a-mem": _run("a-mem", n, {"x": 1}),
        "b-mem": _run("b-mem", n, {"x": 1}),
        "a-sql": _run("a-sql", n, {"x": 2}),  # differs from the memory family: never compared with it
        "b-sql": _run("b-sql", n, {"x": 3}),  # differs from a-sql, its own family: a divergence
    }
    judged = {name: TargetJudgement(run, "passed") for name, run in runs.items()}
    order = list(runs)
    families = {"a-mem": "memory", "b-mem": "memory", "a-sql": "sqlite", "b-sql": "sqlite"}
    registry = Registry(Path("registry.json"))
    item = compare_case(case, runs, judged, order, registry, spec.fixtures, families)
    assert item.classes == [["a-mem", "b-mem"], ["a-sql"], ["b-sql"]]
    assert [(d.targets, d.family, d.recorded, d.pointer) for d in item.differences] == [
        (("a-sql", "b-sql"), "sqlite", False, "/x"),
        (("a-sql", "b-sql"), "sqlite", False, "/x"),
    ]
    assert item.families == {"memory": "agree", "sqlite": "unrecorded"}
    assert item.status == "unrecorded"

    # The same runs with the sqlite pair agreeing: every family agrees, although the families differ.
    runs["b-sql"] = _run("b-sql", n, {"x": 2})
    item = compare_case(case, runs, judged, order, registry, spec.fixtures, families)
    assert item.differences == [] and item.families == {"memory": "agree", "sqlite": "agree"}
    assert item.status == "agree"

    # Without families, all targets form one and everything is compared.
    item = compare_case(case, runs, judged, order, registry, spec.fixtures)
    assert item.status == "unrecorded" and {d.step for d in item.differences} == {0, 1}


def test_a_driver_of_its_own_family_is_judged_but_compared_with_nothing(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    argv = ["--targets", "py-memory,fake", "--driver", "fake=" + fake("alter.py", "second")]
    code, lines, err, document = parity(capsys, spec, tmp_path / "out", *argv)
    assert code == 0, lines
    assert "note: py-memory is the only target of family memory" in err
    assert "note: fake is the only target of family fake" in err
    assert [(t["name"], t["family"]) for t in document["targets"]] == [("py-memory", "memory"), ("fake", "fake")]
    second = next(case for case in document["cases"] if case["id"] == "second")
    assert second["parity"] == "not_compared" and second["differences"] == [] and second["families"] == {}
    assert second["classes"] == [["py-memory"], ["fake"]]


def test_a_driver_in_a_named_family_is_compared_with_that_family_only(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    argv = ["--targets", "py-memory,py-sqlite,fake", "--driver", "fake@sqlite=" + fake("alter.py", "second")]
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", *argv)
    assert code == 1, lines
    assert any(line.startswith("DIVERGE [py-sqlite | fake] put /configurable: object | absent") for line in lines)
    assert not any("py-memory |" in line or "| py-memory" in line for line in lines)
    second = next(case for case in document["cases"] if case["id"] == "second")
    assert second["parity"] == "unrecorded" and second["families"] == {"sqlite": "unrecorded"}
    assert {(tuple(d["targets"]), d["family"]) for d in second["differences"]} == {(("py-sqlite", "fake"), "sqlite")}
    markdown = (tmp_path / "out" / "parity.md").read_text()
    assert "| fake | sqlite |" in markdown


def test_a_cause_applies_in_its_families_only(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    write_registry(spec, {"made-up": cause("Made up.", ["python", "python"], ["memory"], *ALTERED_RULES)})
    argv = ["--targets", "py-sqlite,fake", "--driver", "fake@sqlite=" + fake("alter.py", "second")]
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", *argv)
    assert code == 1, lines
    second = next(case for case in document["cases"] if case["id"] == "second")
    assert second["families"] == {"sqlite": "unrecorded"}
    argv = ["--targets", "py-memory,fake", "--driver", "fake@memory=" + fake("alter.py", "second")]
    assert parity(capsys, spec, tmp_path / "out", *argv)[0] == 0
