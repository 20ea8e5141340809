"""Spec files that break the reading rules and bounds (spec/README.md 1.1, 2.1-2.3, 8.1) through `lint` and `run`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.errors import SpecError
from checkpoint_spec.spec_json import parse_json

from .conftest import SPEC, case_file, put_step, with_level, write_json


def lint(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, list[str]]:
    code = main(["lint", "--spec", str(root)])
    return code, capsys.readouterr().err.splitlines()


def run(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, str, list[str]]:
    code = main(["run", "--target", "py-memory", "--spec", str(root)])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


@pytest.fixture
def whole_spec(tmp_path: Path) -> Path:
    """A copy of the repository's spec, which lint reads file by file."""
    root = tmp_path / "spec"
    shutil.copytree(SPEC, root)
    return root


def test_a_stray_json_file_is_rejected(whole_spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_json(whole_spec / "cases" / "more" / "extra.json", {})
    write_json(whole_spec / "notes.json", {})
    code, err = lint(capsys, whole_spec)
    assert code == 2
    assert err == [
        f"error: {whole_spec / 'cases' / 'more' / 'extra.json'}: is not a file of any kind the spec defines "
        "(spec/README.md 1.1) [stray-file]",
        f"error: {whole_spec / 'notes.json'}: is not a file of any kind the spec defines (spec/README.md 1.1) "
        "[stray-file]",
    ]


def test_interop_findings_are_validated_by_their_schema(whole_spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = whole_spec / "parity" / "interop.json"
    document = json.loads(path.read_text())
    document["findings"]["mysql python->typescript get changed"] = "A reason."
    write_json(path, document)
    code, err = lint(capsys, whole_spec)
    assert code == 2
    assert len(err) == 1 and err[0].startswith(f"error: {path}#/findings: ")
    assert "mysql python->typescript get changed" in err[0]


def test_an_interop_finding_needs_a_reason(whole_spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = whole_spec / "parity" / "interop.json"
    document = json.loads(path.read_text())
    document["findings"]["sqlite python->typescript get changed"] = "TODO: say why."
    write_json(path, document)
    code, err = lint(capsys, whole_spec)
    assert code == 2
    where = f"{path}#/findings/sqlite python->typescript get changed"
    assert err == [f"error: {where}: needs a one-sentence reason, not a TODO placeholder [reason-placeholder]"]


def test_a_schema_file_must_be_a_schema(whole_spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = whole_spec / "schema" / "unused.schema.json"
    write_json(path, {"type": "no-such-type"})
    code, err = lint(capsys, whole_spec)
    assert code == 2
    assert len(err) == 1 and err[0].startswith(f"error: {path}#/type: is not a JSON Schema 2020-12: ")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("\ufeff{}", "", "begins with a byte order mark"),
        ("[" * 2000 + "]" * 2000, "#" + "/0" * 100, "arrays and objects nest more than 100 deep"),
        ('{"cases": ["\\ud800"]}', "#/cases/0", "string holds a lone surrogate"),
        ('{"cases": [1' + "0" * 5000 + "]}", "#/cases/0", "integer literal of more than 1000 digits"),
        ('{"cases": [1' + "0" * 400 + "]}", "#/cases/0", "integer literal outside"),
        ('{"cases": [1e999]}', "#/cases/0", "number is not a finite double"),
        ('{"cases": [NaN]}', "#/cases/0", "number is not a finite double"),
        ('{"cases": [\n\x00]}', "", "not JSON: Expecting value at line 2 column 1"),
    ],
)
def test_a_file_that_breaks_a_reading_rule_stops_lint_and_run(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], text: str, where: str, message: str
) -> None:
    root = make_spec({"bad.json": text})
    prefix = f"error: {root / 'cases' / 'bad.json'}{where}: {message}"
    code, err = lint(capsys, root)
    assert code == 2 and len(err) == 1 and err[0].startswith(prefix)
    code, out, err = run(capsys, root)
    assert code == 2 and out == "" and len(err) == 1 and err[0].startswith(prefix)


def test_a_backtracking_pattern_does_not_hang_a_run(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    step = put_step()
    step["args"]["config"] = {"configurable": {"thread_id": "a" * 3000, "checkpoint_ns": ""}}
    step["expect"] = {"result": {"configurable": {"$partial": {"thread_id": {"$regex": "(a+)+!"}}}}}
    root = make_spec({"a.json": case_file({"id": "c1", "title": "t", "steps": [step]})})
    code, out, err = run(capsys, root)
    assert code == 1, err
    assert "does not match /(a+)+!/" in out


def fixtures_spec(make_spec: Callable[..., Path], fixtures: dict[str, Any]) -> Path:
    root = make_spec({"a.json": case_file({"id": "c1", "title": "t", "steps": [put_step()]})})
    for name, value in fixtures.items():
        write_json(
            root / "fixtures" / f"{name}.json",
            {"$schema": "../schema/fixture.schema.json", "description": "d", "value": value},
        )
    return root


def test_a_long_fixture_chain_is_fine(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    chain: dict[str, Any] = {f"z{i:04d}": {"$fixture": f"z{i + 1:04d}"} for i in range(999)}
    chain["z0999"] = "end"
    root = fixtures_spec(make_spec, chain)
    assert main(["lint", "--spec", str(root)]) in (0, 2)
    err = capsys.readouterr().err
    assert "fixture" not in err


def test_fixtures_that_double_at_each_step_are_rejected(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    doubling: dict[str, Any] = {f"z{i:02d}": [{"$fixture": f"z{i + 1:02d}"}] * 2 for i in range(24)}
    doubling["z24"] = "x"
    code, out, err = run(capsys, fixtures_spec(make_spec, doubling))
    assert code == 2 and out == ""
    assert len(err) == 9
    assert err[0].endswith("z00.json#/value: expanded, the fixture holds more than 100000 values [fixture-bounds]")


def nested_graphs(levels: int, width: int = 1) -> dict[str, Any]:
    graphs: dict[str, Any] = {}
    for level in range(levels):
        nodes: dict[str, Any] = (
            {f"n{i}": {"subgraph": f"g{level + 1}"} for i in range(width)} if level < levels - 1 else {}
        )
        nodes = nodes or {"leaf": {"actions": [{"write": {"x": 1}}]}}
        graphs[f"g{level}"] = {
            "channels": {"x": "last"},
            "nodes": nodes,
            "edges": [["__start__", name] for name in nodes],
        }
    return graphs


@pytest.mark.parametrize(
    ("levels", "width", "message"),
    [
        (10, 1, "subgraphs nest more than 8 levels deep"),
        (8, 8, "the graph, its subgraphs expanded, has more than 200 nodes"),
    ],
)
def test_graph_bounds(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], levels: int, width: int, message: str
) -> None:
    root = make_spec({})
    scenario = with_level(
        {
            "id": "s1",
            "title": "t",
            "graph": "g0",
            "steps": [
                {"op": "invoke", "args": {"thread": "t1", "input": {"x": 1}}},
                {"op": "checkpoints", "args": {}},
            ],
        }
    )
    document = {
        "$schema": "../schema/scenario-file.schema.json",
        "topic": "invocations",
        "description": "d",
        "graphs": nested_graphs(levels, width),
        "scenarios": [scenario],
    }
    write_json(root / "scenarios" / "s.json", document)
    code, err = lint(capsys, root)
    assert code == 2
    assert any(line.endswith(f"s.json#/scenarios/0/graph: {message} [graph-bounds]") for line in err), err


def test_an_error_line_stays_one_line(make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    step = put_step()
    step["args"]["new_\u2028versions\n"] = {}
    root = make_spec({"a.json": case_file({"id": "c1", "title": "t", "steps": [step]})})
    code, err = lint(capsys, root)
    assert code == 2
    assert err == [
        f"error: {root / 'cases' / 'a.json'}#/cases/0/steps/0/args/new_\\u2028versions\\u000A: "
        'put takes no argument "new_\\u2028versions\\n" [unknown-argument]'
    ]


def test_a_message_may_hold_large_integer_literals() -> None:
    assert parse_json("[18446744073709552000]", "reply", message=True) == [18446744073709552000]
    with pytest.raises(SpecError, match="outside"):
        parse_json("[18446744073709552000]", "file")
    for digits in (1001, 5000):
        with pytest.raises(SpecError, match="more than 1000 digits") as caught:
            parse_json("[1" + "0" * (digits - 1) + "]", "reply", message=True)
        assert caught.value.pointer == "/0"


def test_a_message_takes_negative_integers_of_1000_digits_even_beside_one_too_long_for_int() -> None:
    # Past 4300 digits int() refuses and every literal is read again: the sign is no digit.
    text = "[-" + "9" * 1000 + ", 1" + "0" * 5000 + "]"
    with pytest.raises(SpecError) as caught:
        parse_json(text, "m", message=True)
    assert (caught.value.pointer, caught.value.message) == ("/1", "integer literal of more than 1000 digits")
