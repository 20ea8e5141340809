"""The shared self-test vectors of spec/selftest: every runner must agree with them."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.aliases import Aliases
from checkpoint_spec.codec import decode, encode
from checkpoint_spec.divergences import KnownEntry, verdict_for
from checkpoint_spec.errors import SpecError
from checkpoint_spec.execution import run_case
from checkpoint_spec.fingerprints import fingerprint, mark_from_json, written
from checkpoint_spec.loading import expectation_problems, fixture_problems, lint_case_object, load_spec
from checkpoint_spec.matching import marks, match
from checkpoint_spec.snapshots import ordered_writes
from checkpoint_spec.spec_json import parse_json
from checkpoint_spec.strict_lists import missing_reasons
from checkpoint_spec.targets import make_target

from .conftest import SPEC

MATCHING = json.loads((SPEC / "selftest" / "matching.json").read_text())["vectors"]
CODEC = json.loads((SPEC / "selftest" / "codec.json").read_text())["vectors"]
VERDICTS = json.loads((SPEC / "selftest" / "verdicts.json").read_text())["verdicts"]
KNOWN = json.loads((SPEC / "selftest" / "known.json").read_text())["vectors"]
ALIASES = json.loads((SPEC / "selftest" / "aliases.json").read_text())["vectors"]
WRITES = json.loads((SPEC / "selftest" / "writes.json").read_text())["vectors"]
READING = json.loads((SPEC / "selftest" / "reading.json").read_text())["texts"]
VALUES = json.loads((SPEC / "selftest" / "values.json").read_text())
ARGUMENTS = json.loads((SPEC / "selftest" / "arguments.json").read_text(encoding="utf-8"))["vectors"]
REASONS = json.loads((SPEC / "selftest" / "reasons.json").read_text(encoding="utf-8"))["vectors"]
SELFTEST = load_spec(SPEC, SPEC / "selftest" / "cases")


@pytest.mark.parametrize("vector", MATCHING, ids=[v["description"] for v in MATCHING])
def test_matching_vector(vector: dict[str, Any]) -> None:
    assert (match(vector["pattern"], vector["value"]) is None) is vector["match"]
    found = sorted((m.pointer, m.kind) for m in marks(vector["pattern"], vector["value"]))
    assert found == sorted((m["at"], m["kind"]) for m in vector.get("marks", []))


@pytest.mark.parametrize("vector", KNOWN, ids=[v["description"] for v in KNOWN])
def test_known_vector(vector: dict[str, Any]) -> None:
    listed = vector["listed"]
    entry = None if listed is None else KnownEntry("a reason", fingerprint(map(mark_from_json, listed)))
    observed = fingerprint(map(mark_from_json, vector.get("observed", [])))
    verdict, new, gone = verdict_for(vector["status"], observed, entry)
    assert verdict == vector["verdict"]
    assert [m.as_json() for m in new] == vector.get("new", [])
    assert [m.as_json() for m in gone] == vector.get("gone", [])


@pytest.mark.parametrize("vector", ARGUMENTS, ids=[v["description"] for v in ARGUMENTS])
def test_arguments_vector(vector: dict[str, Any]) -> None:
    raw = {"id": "v", "title": "t", "requires": vector.get("requires", []), "steps": [vector["step"]]}
    found = lint_case_object(raw, {}, "arguments")
    assert [problem.pointer for problem in found] == ["/steps/0" + item["at"] for item in vector["problems"]]
    for problem, item in zip(found, vector["problems"], strict=True):
        assert problem.message.startswith(item["message"]), problem.message


@pytest.mark.parametrize("vector", REASONS, ids=[v["description"] for v in REASONS])
def test_reasons_vector(vector: dict[str, Any]) -> None:
    found = [str(problem) for problem in missing_reasons("list.json", [("/entry", vector["reason"])])]
    placeholder = {"empty": "an empty one", "todo": "a TODO placeholder", None: None}[vector["placeholder"]]
    expected = f"list.json#/entry: needs a one-sentence reason, not {placeholder}"
    assert found == ([] if placeholder is None else [expected])


@pytest.mark.parametrize("vector", ALIASES, ids=[v["description"] for v in ALIASES])
def test_aliases_vector(vector: dict[str, Any]) -> None:
    table = Aliases()
    aliased = []
    for step in vector["steps"]:
        table.add_checkpoints(step["checkpoints"])
        aliased.append(table.apply(step["observation"]))
    assert aliased == vector["aliased"]


@pytest.mark.parametrize("vector", WRITES, ids=[v["description"] for v in WRITES])
def test_writes_vector(vector: dict[str, Any]) -> None:
    ranks: dict[str, int] = vector["ranks"]
    assert ordered_writes([list(write) for write in vector["writes"]], ranks.get) == vector["ordered"]


@pytest.mark.parametrize("vector", CODEC, ids=[v["description"] for v in CODEC])
def test_codec_vector(vector: dict[str, Any]) -> None:
    expected = vector.get("python", vector["value"])
    assert encode(decode(vector["value"])) == expected


@pytest.mark.parametrize("target", ["py-memory", "py-memory-async"])
@pytest.mark.parametrize("case", SELFTEST.cases, ids=[case.id for case in SELFTEST.cases])
def test_selftest_case_verdict(case: Any, target: str) -> None:
    want = VERDICTS[case.id]
    result = run_case(case, make_target(target), SELFTEST)
    assert result.status == want["verdict"]
    failure = result.first_failure
    assert (failure.step.index if failure else None) == want.get("step")
    assert (written(result.fingerprint) if result.status == "failed" else None) == want.get("fails")


def test_every_selftest_case_has_a_verdict() -> None:
    assert {case.id for case in SELFTEST.cases} == set(VERDICTS)


@pytest.mark.parametrize("vector", READING, ids=[v["description"] for v in READING])
def test_reading_vector(vector: dict[str, Any]) -> None:
    raw = base64.b64decode(vector["base64"]) if "base64" in vector else vector["text"].encode("utf-8", "surrogatepass")
    try:
        parse_json(raw.decode("utf-8"), "file")
    except UnicodeDecodeError:
        problem: SpecError | None = SpecError("file", "is not UTF-8 text")
    except SpecError as exc:
        problem = exc
    else:
        problem = None
    assert (problem is None) is vector["valid"]
    if "pointer" in vector:
        assert problem is not None and problem.pointer == vector["pointer"]
    if "line" in vector:
        assert problem is not None and f"at line {vector['line']} column {vector['column']}" in problem.message


@pytest.mark.parametrize("vector", VALUES["values"], ids=[v["description"] for v in VALUES["values"]])
def test_value_lint_vector(vector: dict[str, Any]) -> None:
    found = expectation_problems(vector["value"])
    assert (not found) is vector["valid"]
    if "pointer" in vector:
        assert [problem.pointer for problem in found] == [vector["pointer"]]


@pytest.mark.parametrize("vector", VALUES["fixtures"], ids=[v["description"] for v in VALUES["fixtures"]])
def test_fixture_lint_vector(vector: dict[str, Any], tmp_path: Path) -> None:
    found = fixture_problems(tmp_path, vector["fixtures"])
    assert sorted(Path(problem.where).stem for problem in found) == vector["invalid"]
