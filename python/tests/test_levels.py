"""Levels (spec/README.md 1.2 and 6.4): every citation is in the installed file, and what a run judges."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.loading import load_spec

from .conftest import SPEC, case_file, put_step

# Each line's leading whitespace and comment marker is dropped, then every run of whitespace is one space (1.2).
_MARKER = re.compile(r'^\s*(?:"""|\*+/?|#+|//+)?')


def found_text(text: str) -> str:
    return " ".join(" ".join(_MARKER.sub("", line, count=1) for line in text.splitlines()).split())


def _citations(language: str) -> Iterator[tuple[str, dict[str, str]]]:
    for path in sorted([*SPEC.glob("cases/*.json"), *SPEC.glob("scenarios/*.json")]):
        document = json.loads(path.read_text(encoding="utf-8"))
        for item in document.get("cases", document.get("scenarios", [])):
            for citation in item.get("contract", []):
                if citation["language"] == language:
                    yield f"{item['id']}: {citation['symbol']}", citation


PYTHON_CITATIONS = list(_citations("python"))


@cache
def _installed(file: str) -> str:
    for entry in sys.path:
        candidate = Path(entry) / file
        if candidate.is_file():
            return found_text(candidate.read_text(encoding="utf-8"))
    raise AssertionError(f"{file} is in no folder of sys.path: is the LangGraph library that holds it installed?")


def test_the_spec_cites_the_python_base_documentation() -> None:
    assert len(PYTHON_CITATIONS) > 100


@pytest.mark.parametrize(("name", "citation"), PYTHON_CITATIONS, ids=[name for name, _ in PYTHON_CITATIONS])
def test_a_python_citation_is_in_its_installed_file(name: str, citation: dict[str, str]) -> None:
    text = _installed(citation["file"])
    assert " ".join(citation["quote"].split()) in text, f"{name}: the quote is not in {citation['file']}"
    for part in re.split(r"[.()]", citation["symbol"]):
        assert not part or re.search(rf"\b{re.escape(part)}\b", text), f"{name}: {part} is not in {citation['file']}"


def test_found_text_drops_markers_and_joins_lines() -> None:
    assert found_text('    """Fetch a\n    * checkpoint   tuple.\n  # using // the\n // config."""') == (
        'Fetch a checkpoint tuple. using // the config."""'
    )


REFERENCE_FAILS = {
    "id": "reference-fails",
    "title": "a reference case py-memory fails",
    "level": "reference",
    "reference": "A test of the runner.",
    "steps": [put_step(expect={"result": None})],
}
CONTRACT_PASSES = {"id": "contract-passes", "title": "t", "steps": [put_step(expect={"result": {"$type": "object"}})]}
USER = "tests.plugin_savers:own_saver"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.fixture
def levelled(make_spec: Callable[..., Path]) -> Path:
    return make_spec({"a.json": case_file(CONTRACT_PASSES, REFERENCE_FAILS)})


def test_a_users_target_is_judged_on_the_contract_and_shows_the_reference_beside(
    capsys: pytest.CaptureFixture[str], levelled: Path
) -> None:
    code, out, _ = run(capsys, "run", "--target", USER, "--spec", str(levelled))
    assert code == 0
    assert out[0].endswith("| level contract")
    assert out[1] == "not judged (--level contract):"
    assert out[2].startswith("FAIL reference-fails (")
    assert out[-4:] == [
        "contract: 1 passed, 0 failed, 0 skipped",
        "reference: 0 passed, 1 failed, 0 skipped (not judged)",
        "1 matched the spec, 0 known divergences, 0 unexpected failures, 0 stale entries, 0 unsupported",
        "1 passed, 0 failed, 0 skipped",
    ]


@pytest.mark.parametrize("level", ["all", "reference"])
def test_level_all_or_reference_judges_the_reference_case(
    capsys: pytest.CaptureFixture[str], levelled: Path, level: str
) -> None:
    code, out, _ = run(capsys, "run", "--target", USER, "--spec", str(levelled), "--level", level)
    assert code == 1
    assert "not judged (--level all):" not in out
    assert out[1].startswith("FAIL reference-fails (")


def test_a_built_in_target_is_judged_on_all_levels(capsys: pytest.CaptureFixture[str], levelled: Path) -> None:
    code, out, _ = run(capsys, "run", "--target", "py-memory", "--spec", str(levelled))
    assert code == 1
    assert out[0].endswith("| level all")
    assert out[-1] == "1 passed, 1 failed, 0 skipped"


def test_the_json_report_gives_each_level_and_what_was_judged(
    capsys: pytest.CaptureFixture[str], levelled: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    code, _, _ = run(capsys, "run", "--target", USER, "--spec", str(levelled), "--json", str(report))
    assert code == 0
    document: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert document["level"] == "contract"
    assert document["summary"]["passed"] == 1
    assert document["summary"]["failed"] == 0
    assert document["levels"]["reference"]["failed"] == 1
    assert [(case["id"], case["level"], case["judged"]) for case in document["cases"]] == [
        ("contract-passes", "contract", True),
        ("reference-fails", "reference", False),
    ]


def test_a_bad_level_is_one_line_before_anything_runs(capsys: pytest.CaptureFixture[str], levelled: Path) -> None:
    code, out, err = run(capsys, "run", "--target", USER, "--spec", str(levelled), "--level", "Contract")
    assert code == 2
    assert out == []
    assert err.splitlines() == ['error: --level: must be contract, reference or all, not "Contract"']


def test_a_case_without_a_level_is_a_schema_error(
    capsys: pytest.CaptureFixture[str], make_spec: Callable[..., Path]
) -> None:
    document = case_file(CONTRACT_PASSES)
    del document["cases"][0]["level"], document["cases"][0]["contract"]
    root = make_spec({"a.json": document})
    code, _, err = run(capsys, "lint", "--spec", str(root))
    assert code == 2
    assert err.splitlines() == [f"error: {root / 'cases' / 'a.json'}#/cases/0: 'level' is a required property [schema]"]


@pytest.mark.parametrize(
    ("level", "basis", "pointer"),
    [("contract", {"reference": "a sentence"}, "/cases/0"), ("reference", {"contract": []}, "/cases/0")],
)
def test_a_level_needs_its_own_basis(
    capsys: pytest.CaptureFixture[str],
    make_spec: Callable[..., Path],
    level: str,
    basis: dict[str, Any],
    pointer: str,
) -> None:
    root = make_spec({"a.json": case_file({"id": "c", "title": "t", "level": level, **basis, "steps": [put_step()]})})
    code, _, err = run(capsys, "lint", "--spec", str(root))
    assert code == 2
    assert err.startswith(f"error: {root / 'cases' / 'a.json'}#{pointer}")


def test_each_loaded_case_has_its_files_level() -> None:
    given: dict[str, str] = {}
    for path in [*SPEC.glob("cases/*.json"), *SPEC.glob("scenarios/*.json")]:
        document = json.loads(path.read_text(encoding="utf-8"))
        given.update((item["id"], item["level"]) for item in document.get("cases", document.get("scenarios", [])))
    cases = load_spec(SPEC).cases
    assert {case.id: case.level for case in cases} == given
    assert any(case.graph is not None and case.level == "reference" for case in cases)
