"""The shared self-test vectors of spec/selftest: every runner must agree with them."""

from __future__ import annotations

import base64
import builtins
import dataclasses
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any, get_args

import langgraph.errors
import pytest

from checkpoint_spec.aliases import Aliases
from checkpoint_spec.codec import CodecError, decode, encode
from checkpoint_spec.divergences import Judged, KnownEntry, verdict_for
from checkpoint_spec.errors import SpecError
from checkpoint_spec.execution import run_case
from checkpoint_spec.fingerprints import fingerprint, mark_from_json, written
from checkpoint_spec.globs import GlobError, compile_glob
from checkpoint_spec.levels import parse_level
from checkpoint_spec.lint_rules import LINT_RULES, LintRule
from checkpoint_spec.loading import InvalidSpec, expectation_problems, fixture_problems, lint_case_object, load_spec
from checkpoint_spec.matching import marks, match
from checkpoint_spec.observation import error_category
from checkpoint_spec.outcomes import CaseResult
from checkpoint_spec.references import UnresolvedReference, resolve
from checkpoint_spec.report import closing_lines, run_passes
from checkpoint_spec.snapshots import ordered_writes
from checkpoint_spec.spec_json import parse_json
from checkpoint_spec.spec_lint import lint_spec
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
REFERENCES = json.loads((SPEC / "selftest" / "references.json").read_text())["vectors"]
ERRORS = [
    v
    for v in json.loads((SPEC / "selftest" / "errors.json").read_text(encoding="utf-8"))["vectors"]
    if v["language"] == "python"
]
LEVELS = json.loads((SPEC / "selftest" / "levels.json").read_text(encoding="utf-8"))["vectors"]
GLOBS = json.loads((SPEC / "selftest" / "globs.json").read_text(encoding="utf-8"))["vectors"]
SELFTEST = load_spec(SPEC, SPEC / "selftest" / "cases")


@pytest.mark.parametrize("vector", MATCHING, ids=[v["description"] for v in MATCHING])
def test_matching_vector(vector: dict[str, Any]) -> None:
    first = match(vector["pattern"], vector["value"])
    assert (first is None) is vector["match"]
    found = sorted((m.pointer, m.kind) for m in marks(vector["pattern"], vector["value"]))
    listed = vector.get("marks", [])
    assert found == sorted((m["at"], m["kind"]) for m in listed)
    if first is not None:
        assert first.pointer == vector.get("first", listed[0]["at"])


def test_every_matching_vector_with_several_marks_names_the_first() -> None:
    assert [v["description"] for v in MATCHING if len(v.get("marks", [])) > 1 and "first" not in v] == []


@pytest.mark.parametrize("vector", REFERENCES, ids=[v["description"] for v in REFERENCES])
def test_references_vector(vector: dict[str, Any]) -> None:
    try:
        resolved = resolve(vector["value"], vector.get("fixtures", {}), vector.get("results", {}))
        if vector["in"] == "args":
            decode(resolved)
    except (UnresolvedReference, CodecError):
        assert vector.get("not_run") is True
    else:
        assert "resolved" in vector
        assert same_json(resolved, vector["resolved"])


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
    expected = f"list.json#/entry: needs a one-sentence reason, not {placeholder} [reason-placeholder]"
    assert found == ([] if placeholder is None else [expected])


@pytest.mark.parametrize("vector", GLOBS, ids=[v["description"] for v in GLOBS])
def test_globs_vector(vector: dict[str, Any]) -> None:
    if vector.get("bad"):
        with pytest.raises(GlobError):
            compile_glob(vector["glob"])
        return
    glob = compile_glob(vector["glob"])
    assert [text for text in vector["match"] if not glob.matches(text)] == []
    assert [text for text in vector["no_match"] if glob.matches(text)] == []


def _error_class(name: str) -> type[BaseException]:
    """A built-in exception class, or one of LangGraph's, by name."""
    found = getattr(builtins, name, None) or getattr(langgraph.errors, name, None)
    assert isinstance(found, type) and issubclass(found, BaseException), f"no exception class {name}"
    return found


@pytest.mark.parametrize("vector", ERRORS, ids=[v["description"] for v in ERRORS])
def test_errors_vector(vector: dict[str, Any]) -> None:
    described = vector["class"]
    if "bases" in described:
        kind: type[BaseException] = type(described["name"], tuple(map(_error_class, described["bases"])), {})
    else:
        kind = _error_class(described["name"])
    error = kind(vector["message"])
    assert type(error).__name__ == described["name"]
    assert error_category(error) == vector["category"]


def test_errors_vectors_cover_both_languages_and_every_category() -> None:
    every = json.loads((SPEC / "selftest" / "errors.json").read_text(encoding="utf-8"))["vectors"]
    for language in ("python", "typescript"):
        found = {v["category"] for v in every if v["language"] == language}
        assert found == {"missing_key", "invalid_argument", "not_implemented", "other"}, language


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
    expected = vector.get("python", vector.get("encoded", vector["value"]))
    assert same_json(encode(decode(vector["value"])), expected)


def same_json(left: Any, right: Any) -> bool:
    """Equal as JSON values: numbers by value (2.0 is 2), a boolean never a number, the same members."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same_json(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_json(left[key], right[key]) for key in left)
    return type(left) is type(right) and left == right


def test_same_json_tells_booleans_from_numbers() -> None:
    assert same_json([1, 2.0, {"a": None}], [1.0, 2, {"a": None}])
    assert not same_json([True], [1])
    assert not same_json({"a": 0}, {"a": False})
    assert not same_json({"a": 1}, {"a": 1, "b": 1})
    assert not same_json("1", 1)


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
    found = expectation_problems(vector["value"], frozenset(vector.get("names", ())))
    assert (not found) is vector["valid"]
    if "pointer" in vector:
        assert [problem.pointer for problem in found] == [vector["pointer"]]


@pytest.mark.parametrize("vector", VALUES["fixtures"], ids=[v["description"] for v in VALUES["fixtures"]])
def test_fixture_lint_vector(vector: dict[str, Any], tmp_path: Path) -> None:
    found = fixture_problems(tmp_path, vector["fixtures"])
    assert sorted(Path(problem.where).stem for problem in found) == vector["invalid"]


LINT = json.loads((SPEC / "selftest" / "lint.json").read_text(encoding="utf-8"))
# Memory-backed where there is one: each vector writes a small spec folder.
_SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None


def _write_lint_vector(root: Path, vector: dict[str, Any]) -> None:
    shutil.copytree(SPEC / "schema", root / "schema")
    for folder in vector.get("copy", []):
        shutil.copytree(SPEC / folder, root / folder, dirs_exist_ok=True)
    contents: dict[str, bytes] = {}
    for name, document in vector.get("files", {}).items():
        contents[name] = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
    for name, text in vector.get("texts", {}).items():
        contents[name] = text.encode("utf-8", "surrogatepass")
    for name, data in vector.get("bytes", {}).items():
        contents[name] = base64.b64decode(data)
    for name, data in contents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _lint_problems(root: Path) -> set[tuple[str, str | None, str | None]]:
    try:
        lint_spec(root)
    except (InvalidSpec, SpecError) as exc:
        problems = getattr(exc, "problems", None) or [exc]
    else:
        return set()
    found = set()
    for problem in problems:
        where = Path(problem.where)
        file = "" if where == root else where.relative_to(root).as_posix()
        found.add((file, problem.pointer, problem.rule))
    return found


@pytest.mark.parametrize("vector", LINT["vectors"], ids=[v["description"] for v in LINT["vectors"]])
def test_lint_vector(vector: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="checkpoint-spec-lint-", dir=_SCRATCH) as folder:
        root = Path(folder)
        _write_lint_vector(root, vector)
        found = _lint_problems(root)
    assert found == {(p["file"], p["pointer"], p["rule"]) for p in vector["problems"]}


def test_the_lint_rules_are_those_of_lint_json() -> None:
    assert LINT["rules"] == LINT_RULES
    assert set(get_args(LintRule)) == set(LINT_RULES)


def test_every_lint_rule_has_a_vector() -> None:
    used = {problem["rule"] for vector in LINT["vectors"] for problem in vector["problems"]}
    assert sorted(set(LINT_RULES) - used) == []
    assert sorted(used - set(LINT_RULES)) == []


@pytest.mark.parametrize("vector", LEVELS, ids=[v["description"] for v in LEVELS])
def test_levels_vector(vector: dict[str, Any]) -> None:
    judging = parse_level(vector.get("level"), builtin=vector["target"] == "built-in")
    assert judging == vector["judging"]
    template = SELFTEST.cases[0]
    judged = [
        Judged(
            CaseResult(dataclasses.replace(template, id=f"c{i}", level=case["level"]), "t", "passed"), case["verdict"]
        )
        for i, case in enumerate(vector["cases"])
    ]
    assert closing_lines(judged, 0, judging) == vector["lines"]
    assert (0 if run_passes(judged, judging) else 1) == vector["exit"]
