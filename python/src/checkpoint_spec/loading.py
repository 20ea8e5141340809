"""Loading spec files: JSON parsing, schema validation and the semantic lint."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match

from .codec import ALL_TAGS, INT_TEXT, MATCHER_TAGS, MAX_SAFE_INTEGER, REFERENCE_TAGS, is_datetime_text, tag_of
from .errors import SpecError
from .fixtures import measure_fixtures
from .lint_rules import LintRule
from .operations import OPERATIONS, argument_problems, unknown_operation
from .references import is_pointer
from .regex_subset import regex_problem
from .scenario_lint import Expander, lint_script
from .spec_json import escape_token, parse_json

TYPE_NAMES = (
    "null",
    "boolean",
    "integer",
    "number",
    "string",
    "bytes",
    "array",
    "tuple",
    "object",
    "datetime",
)
FLOAT_NAMES = ("NaN", "Infinity", "-Infinity", "-0.0")
POINTER_PROBLEM = (
    "the part after # must be a JSON pointer (RFC 6901): empty, or tokens each after a /, ~ only as ~0 or ~1"
)
MERGE_OPERAND_PROBLEM = "a $merge operand is a plain object or a reference ($fixture, $ref, $merge)"


@dataclass(frozen=True)
class Step:
    index: int
    op: str
    args: dict[str, Any]
    name: str | None
    expect: dict[str, Any] | None
    note: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    operation: str
    requires: tuple[str, ...]
    steps: tuple[Step, ...]
    file: Path
    pointer: str
    # contract or reference (spec/README.md 1.2); a driver's case (protocol.md) has none, its caller judges.
    level: str = "contract"
    # A scenario's graph (spec/README.md section 8), with named graphs expanded; None for a case.
    graph: dict[str, Any] | None = None

    @property
    def where(self) -> str:
        return f"{self.file}#{self.pointer}"


@dataclass
class Spec:
    root: Path
    cases: list[Case] = field(default_factory=list)
    fixtures: dict[str, Any] = field(default_factory=dict)

    def case_ids(self) -> set[str]:
        return {case.id for case in self.cases}


class InvalidSpec(Exception):
    """Every problem found in the spec files, each naming its file and pointer."""

    def __init__(self, problems: list[SpecError]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _pointer(parts: Any) -> str:
    return "".join("/" + escape_token(p) for p in parts)


def read_json(path: Path) -> Any:
    """A spec file's JSON under the rules of spec/README.md section 1.1."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise SpecError(str(path), f"cannot read: {exc.strerror}", rule="json-reading") from None
    except UnicodeDecodeError as exc:
        raise SpecError(str(path), f"is not UTF-8 text (byte {exc.start + 1})", rule="json-reading") from None
    return parse_json(text, str(path))


_validators: dict[Path, Draft202012Validator] = {}


def validate(document: Any, schema_path: Path, where: str) -> None:
    """Raise SpecError with the JSON pointer of the most relevant schema error."""
    validator = _validators.get(schema_path)
    if validator is None:
        schema = read_json(schema_path)
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            message = f"is not a JSON Schema 2020-12: {exc.message}"
            raise SpecError(str(schema_path), message, _pointer(exc.path), "schema-file") from None
        validator = _validators[schema_path] = Draft202012Validator(schema)
    error = best_match(validator.iter_errors(document))
    if error is not None:
        raise SpecError(where, error.message, _pointer(error.absolute_path), "schema")


def read_valid(path: Path, schema: Path) -> Any:
    """A JSON file that satisfies its schema, or InvalidSpec naming the file and pointer."""
    document = read_json(path)
    try:
        validate(document, schema, str(path))
    except SpecError as exc:
        raise InvalidSpec([exc]) from None
    return document


class _Lint:
    """Checks a schema cannot express; collects every problem it finds."""

    def __init__(self, fixtures: dict[str, Any]) -> None:
        self.fixtures = fixtures
        self.problems: list[SpecError] = []

    def problem(self, where: str, pointer: str, rule: LintRule, message: str) -> None:
        self.problems.append(SpecError(where, message, pointer, rule))

    def value(
        self,
        value: Any,
        where: str,
        pointer: str,
        *,
        names: set[str] | None,
        matchers: bool,
    ) -> None:
        """Lint a value; names is the set of step names a $ref may use (None: no $ref)."""
        tag = tag_of(value)
        if tag is not None:
            self.tag(tag, value[tag], where, pointer, names=names, matchers=matchers)
            return
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{pointer}/{escape_token(key)}"
                if key.startswith("$"):
                    self.problem(
                        where, child, "dollar-member", f"member {key!r} reads as a tag; wrap the object in $object"
                    )
                self.value(item, where, child, names=names, matchers=matchers)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.value(item, where, f"{pointer}/{index}", names=names, matchers=matchers)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER:
            self.problem(where, pointer, "int-bounds", 'integer outside ±(2^53-1) must be written as {"$int": "..."}')

    def tag(self, tag: str, arg: Any, where: str, pointer: str, *, names: set[str] | None, matchers: bool) -> None:
        inner = f"{pointer}/{escape_token(tag)}"

        def bad(message: str, rule: LintRule = "tag-argument") -> None:
            self.problem(where, inner, rule, message)

        if tag not in ALL_TAGS:
            bad(f"unknown tag {tag}", "unknown-tag")
        elif tag in MATCHER_TAGS and not matchers:
            bad(f"matcher {tag} may appear only in an expectation", "matcher-in-args")
        elif tag in ("$bytes", "$int", "$float", "$datetime"):
            _literal_argument(tag, arg, bad)
        elif tag in ("$type", "$regex", "$any"):
            _pattern_argument(tag, arg, bad)
        elif tag in ("$opaque", "$fixture", "$ref"):
            self._reference_argument(tag, arg, bad, names=names, matchers=matchers)
        else:
            self._nested_argument(tag, arg, where, inner, bad, names=names, matchers=matchers)

    def _reference_argument(self, tag: str, arg: Any, bad: _Bad, *, names: set[str] | None, matchers: bool) -> None:
        """$opaque, $fixture and $ref: where they may appear and what they name."""
        if tag == "$opaque":
            if not matchers:
                bad("$opaque may appear only in an expectation", "opaque-in-args")
        elif tag == "$fixture":
            if not isinstance(arg, str):
                bad("$fixture takes a fixture name")
            elif arg not in self.fixtures:
                bad(f"no fixture named {arg!r} in fixtures/", "unknown-fixture")
        else:
            name = arg.partition("#")[0] if isinstance(arg, str) else None
            if names is None:
                bad("$ref may appear only in a step", "ref-outside-step")
            elif name not in names:
                bad(f'$ref names {name!r}, which no earlier step of this case defines with "as"', "ref-earlier-step")
            elif not is_pointer(arg.partition("#")[2]):
                bad(POINTER_PROBLEM, "ref-pointer")

    def _nested_argument(
        self, tag: str, arg: Any, where: str, inner: str, bad: _Bad, *, names: set[str] | None, matchers: bool
    ) -> None:
        """$tuple, $unordered, $object, $partial, $merge, $gt and $not: the argument's shape, then its values."""
        if tag in ("$tuple", "$unordered"):
            if not isinstance(arg, list):
                bad(f"{tag} takes an array")
            else:
                self.value(arg, where, inner, names=names, matchers=matchers)
        elif tag in ("$object", "$partial"):
            if not isinstance(arg, dict):
                bad(f"{tag} takes an object")
            else:
                for key, item in arg.items():
                    self.value(item, where, f"{inner}/{escape_token(key)}", names=names, matchers=matchers)
        elif tag == "$merge":
            if not isinstance(arg, list) or len(arg) < 2:
                bad("$merge takes an array of at least two objects")
            else:
                for index, item in enumerate(arg):
                    if not isinstance(item, dict) or tag_of(item) not in (None, *REFERENCE_TAGS):
                        self.problem(where, f"{inner}/{index}", "merge-operand", MERGE_OPERAND_PROBLEM)
                self.value(arg, where, inner, names=names, matchers=matchers)
        else:
            self.value(arg, where, inner, names=names, matchers=tag == "$not")


class _Bad(Protocol):
    """Reports a problem at the tag's argument."""

    def __call__(self, message: str, rule: LintRule = "tag-argument") -> None: ...


def _literal_argument(tag: str, arg: Any, bad: _Bad) -> None:
    """$bytes, $int, $float and $datetime: the argument's text."""
    if tag == "$bytes":
        try:
            base64.b64decode(arg, validate=True) if isinstance(arg, str) else bad("$bytes takes base64 text")
        except (binascii.Error, ValueError):
            bad("$bytes is not valid base64")
    elif tag == "$int":
        if not isinstance(arg, str) or not INT_TEXT.fullmatch(arg):
            bad("$int takes decimal text of at most 1000 digits", "int-bounds")
        elif abs(int(arg)) <= MAX_SAFE_INTEGER:
            bad("$int is only for integers outside ±(2^53-1); write a plain number", "int-bounds")
    elif tag == "$float":
        if arg not in FLOAT_NAMES:
            bad(f"$float takes one of {', '.join(FLOAT_NAMES)}")
    elif not isinstance(arg, str) or not is_datetime_text(arg):
        bad("$datetime takes ISO 8601 text with a UTC offset (spec/README.md 2.1)", "datetime")


def _pattern_argument(tag: str, arg: Any, bad: _Bad) -> None:
    """$type, $regex and $any: the argument a matcher takes."""
    if tag == "$type":
        if arg not in TYPE_NAMES:
            bad(f"$type takes one of {', '.join(TYPE_NAMES)}")
    elif tag == "$regex":
        if not isinstance(arg, str):
            bad("$regex takes a pattern string")
        elif (why := regex_problem(arg)) is not None:
            bad(f"$regex is outside the subset of spec/README.md 2.3: {why}", "regex-grammar")
    elif arg is not True:
        bad("$any takes true")


def _iter_files(folder: Path) -> Iterator[Path]:
    return iter(sorted(folder.glob("*.json")))


def load_fixtures(root: Path) -> dict[str, Any]:
    fixtures: dict[str, Any] = {}
    problems: list[SpecError] = []
    schema = root / "schema" / "fixture.schema.json"
    for path in _iter_files(root / "fixtures"):
        try:
            document = read_json(path)
            validate(document, schema, str(path))
        except SpecError as exc:
            problems.append(exc)
            continue
        fixtures[path.stem] = document["value"]
    if problems:
        raise InvalidSpec(problems)
    lint = _Lint(fixtures)
    for name, value in fixtures.items():
        lint.value(value, str(root / "fixtures" / f"{name}.json"), "/value", names=None, matchers=False)
    _check_fixture_sizes(root, fixtures, lint)
    if lint.problems:
        raise InvalidSpec(lint.problems)
    return fixtures


def expectation_problems(value: Any, names: frozenset[str] = frozenset()) -> list[SpecError]:
    """The lint's problems with one value as an expectation's result (pointers inside the value).

    names are the earlier steps' names a $ref may use.
    """
    lint = _Lint({})
    lint.value(value, "value", "", names=set(names), matchers=True)
    return lint.problems


def fixture_problems(root: Path, fixtures: dict[str, Any]) -> list[SpecError]:
    """The lint's problems with how fixtures use each other: cycles, expanded depth and size."""
    lint = _Lint(fixtures)
    _check_fixture_sizes(root, fixtures, lint)
    return lint.problems


def _check_fixture_sizes(root: Path, fixtures: dict[str, Any], lint: _Lint) -> None:
    """No fixture uses itself; each one's expanded depth and size are in bounds (section 2.2)."""
    for name, rule, message in measure_fixtures(fixtures).problems:
        lint.problem(str(root / "fixtures" / f"{name}.json"), "/value", rule, message)


def _lint_step_values(step: dict[str, Any], where: str, at: str, names: set[str], lint: _Lint) -> None:
    """What a case's and a scenario's steps share: values, references to earlier steps, unique names."""
    lint.value(step["args"], where, f"{at}/args", names=names, matchers=False)
    expect = step.get("expect")
    if expect is not None and "result" in expect:
        lint.value(expect["result"], where, f"{at}/expect/result", names=names, matchers=True)
    name = step.get("as")
    if name is not None:
        if name in names:
            lint.problem(where, f"{at}/as", "duplicate-as", f"step name {name!r} is already used in this case")
        names.add(name)


def _lint_case(raw: dict[str, Any], where: str, pointer: str, lint: _Lint) -> None:
    names: set[str] = set()
    requires = set(raw.get("requires", []))
    for index, step in enumerate(raw["steps"]):
        at = f"{pointer}/steps/{index}"
        op = OPERATIONS.get(step["op"])
        if op is None:
            lint.problem(where, f"{at}/op", "unknown-op", unknown_operation(step["op"]))
        else:
            if op.extended and op.name not in requires:
                message = f'{op.name} is an extended capability; list it in the case\'s "requires"'
                lint.problem(where, f"{at}/op", "requires-extended", message)
            for below, rule, message in argument_problems(op, step["args"]):
                lint.problem(where, f"{at}/args{below}", rule, message)
        _lint_step_values(step, where, at, names, lint)


def lint_case_object(raw: dict[str, Any], fixtures: dict[str, Any], where: str) -> list[SpecError]:
    """The semantic lint of one case or scenario object that arrived without its file (the driver's input).

    A scenario's graph arrives expanded (no named graphs).
    """
    lint = _Lint(fixtures)
    if "graph" not in raw:
        _lint_case(raw, where, "", lint)
        return lint.problems

    def problem(pointer: str, rule: LintRule, message: str) -> None:
        lint.problem(where, pointer, rule, message)

    graph = raw["graph"]
    if not isinstance(graph, dict):
        problem("/graph", "schema", "a scenario object's graph is an expanded graph object")
        return lint.problems
    try:
        expanded = Expander({}, problem).expand(graph, "/graph")
        lint_script(expanded, raw["steps"], "", problem)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        problem("/graph", "schema", f"is not a graph of spec/README.md 8.1 ({type(exc).__name__}: {exc})")
    _lint_scenario_steps(raw, where, "", lint)
    return lint.problems


def _valid_files(folder: Path, schema: Path, lint: _Lint) -> Iterator[tuple[Path, Any]]:
    """The folder's JSON files that satisfy the schema; the others' problems go to the lint."""
    for path in _iter_files(folder):
        try:
            document = read_json(path)
            validate(document, schema, str(path))
        except SpecError as exc:
            lint.problems.append(exc)
            continue
        yield path, document


def _claim_id(case_id: str, where: str, pointer: str, seen: dict[str, str], lint: _Lint) -> None:
    """Ids are unique across every case and scenario file."""
    if case_id in seen:
        lint.problem(where, f"{pointer}/id", "duplicate-id", f"id {case_id!r} is already used at {seen[case_id]}")
    seen[case_id] = f"{where}#{pointer}"


def load_spec(root: Path, cases_folder: Path | None = None) -> Spec:
    """Load and check every file under root; raise InvalidSpec listing every problem.

    cases_folder defaults to root/cases; the self-test cases live elsewhere but
    share the fixtures and schemas.
    """
    cases_folder = cases_folder or root / "cases"
    if not cases_folder.is_dir():
        raise InvalidSpec([SpecError(str(root), "is not a spec folder (it has no cases/ folder)", rule="spec-folder")])
    fixtures = load_fixtures(root)
    spec = Spec(root=root, fixtures=fixtures)
    lint = _Lint(fixtures)
    schema = root / "schema" / "case-file.schema.json"
    seen: dict[str, str] = {}
    for path, document in _valid_files(cases_folder, schema, lint):
        where = str(path)
        for position, raw in enumerate(document["cases"]):
            pointer = f"/cases/{position}"
            _claim_id(raw["id"], where, pointer, seen, lint)
            _lint_case(raw, where, pointer, lint)
            spec.cases.append(
                Case(
                    id=raw["id"],
                    title=raw["title"],
                    operation=document["operation"],
                    requires=tuple(raw.get("requires", ())),
                    steps=tuple(
                        Step(index, s["op"], s["args"], s.get("as"), s.get("expect"), s.get("note"))
                        for index, s in enumerate(raw["steps"])
                    ),
                    file=path,
                    pointer=pointer,
                    level=raw["level"],
                )
            )
    if cases_folder == root / "cases":
        _load_scenarios(root, spec, lint, seen)
    if lint.problems:
        raise InvalidSpec(lint.problems)
    return spec


def _lint_scenario_steps(raw: dict[str, Any], where: str, pointer: str, lint: _Lint) -> None:
    names: set[str] = set()
    for index, step in enumerate(raw["steps"]):
        _lint_step_values(step, where, f"{pointer}/steps/{index}", names, lint)


def _load_scenarios(root: Path, spec: Spec, lint: _Lint, seen: dict[str, str]) -> None:
    """scenarios/*.json (section 8), into the same Case objects as cases, each with its expanded graph."""
    schema = root / "schema" / "scenario-file.schema.json"
    for path, document in _valid_files(root / "scenarios", schema, lint):
        where = str(path)
        found: list[SpecError] = []

        def problem(
            pointer: str, rule: LintRule, message: str, where: str = where, found: list[SpecError] = found
        ) -> None:
            error = SpecError(where, message, pointer, rule)
            if all(str(error) != str(other) for other in found):
                found.append(error)

        graphs = document.get("graphs", {})
        expander = Expander(graphs, problem)
        for name in graphs:
            expander.expand(name, f"/graphs/{escape_token(name)}")
        for position, raw in enumerate(document["scenarios"]):
            pointer = f"/scenarios/{position}"
            _claim_id(raw["id"], where, pointer, seen, lint)
            graph = expander.expand(raw["graph"], f"{pointer}/graph")
            lint_script(graph, raw["steps"], pointer, problem)
            _lint_scenario_steps(raw, where, pointer, lint)
            spec.cases.append(
                Case(
                    id=raw["id"],
                    title=raw["title"],
                    operation=document["topic"],
                    requires=(),
                    steps=tuple(
                        Step(index, s["op"], s["args"], s.get("as"), s.get("expect"), s.get("note"))
                        for index, s in enumerate(raw["steps"])
                    ),
                    file=path,
                    pointer=pointer,
                    level=raw["level"],
                    graph=graph,
                )
            )
        lint.problems.extend(found)


SELFTEST_SCHEMAS = {
    "matching.json": "selftest.schema.json",
    "codec.json": "selftest.schema.json",
    "driver.json": "selftest-driver.schema.json",
    "verdicts.json": "selftest-verdicts.schema.json",
    "known.json": "selftest-known.schema.json",
    "aliases.json": "selftest-aliases.schema.json",
    "writes.json": "selftest-writes.schema.json",
    "reading.json": "selftest-reading.schema.json",
    "values.json": "selftest-values.schema.json",
    "reasons.json": "selftest-reasons.schema.json",
    "command-lines.json": "selftest-command-lines.schema.json",
    "arguments.json": "selftest-arguments.schema.json",
    "references.json": "selftest-references.schema.json",
    "lint.json": "selftest-lint.schema.json",
    "globs.json": "selftest-globs.schema.json",
    "errors.json": "selftest-errors.schema.json",
    "levels.json": "selftest-levels.schema.json",
}


# spec/README.md 1.1: where each kind of JSON file lives; any other *.json file is not a spec file.
_FILE_PLACES = (
    "cases/*.json",
    "scenarios/*.json",
    "fixtures/*.json",
    "known-divergences/*.json",
    "parity/registry.json",
    "parity/interop.json",
    "schema/*.schema.json",
    "selftest/cases/*.json",
    *(f"selftest/{name}" for name in SELFTEST_SCHEMAS),
)


def lint_schemas_and_strays(root: Path) -> int:
    """Every schema file is a valid 2020-12 schema, and every *.json file is in a place section 1.1 names.

    Returns the number of JSON files in the folder.
    """
    problems: list[SpecError] = []
    files = sorted(path for path in root.rglob("*.json") if path.is_file())
    for path in files:
        relative = path.relative_to(root)
        if not any(relative.match(place) and len(relative.parts) == place.count("/") + 1 for place in _FILE_PLACES):
            message = "is not a file of any kind the spec defines (spec/README.md 1.1)"
            problems.append(SpecError(str(path), message, rule="stray-file"))
        elif relative.parts[0] == "schema":
            try:
                Draft202012Validator.check_schema(read_json(path))
            except SpecError as exc:
                problems.append(exc)
            except SchemaError as exc:
                message = f"is not a JSON Schema 2020-12: {exc.message}"
                problems.append(SpecError(str(path), message, _pointer(exc.path), "schema-file"))
    if problems:
        raise InvalidSpec(problems)
    return len(files)


def lint_selftest(root: Path) -> int:
    """Validate spec/selftest (when the spec has one); the number of files checked."""
    folder = root / "selftest"
    if not folder.is_dir():
        return 0
    problems: list[SpecError] = []
    for name, schema in SELFTEST_SCHEMAS.items():
        try:
            validate(read_json(folder / name), root / "schema" / schema, str(folder / name))
        except SpecError as exc:
            problems.append(exc)
    if problems:
        raise InvalidSpec(problems)
    cases = load_spec(root, folder / "cases")
    verdicts = read_json(folder / "verdicts.json")["verdicts"]
    for case in cases.cases:
        if case.id not in verdicts:
            problems.append(
                SpecError(
                    str(folder / "verdicts.json"),
                    f"gives no verdict for self-test case {case.id!r}",
                    rule="missing-verdict",
                )
            )
    for case_id in sorted(set(verdicts) - cases.case_ids()):
        where = str(folder / "verdicts.json")
        problems.append(
            SpecError(where, "names no self-test case", f"/verdicts/{escape_token(case_id)}", "unknown-case")
        )
    if problems:
        raise InvalidSpec(problems)
    return len(SELFTEST_SCHEMAS) + len({case.file for case in cases.cases})
