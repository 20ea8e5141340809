"""Both runners on mutated spec files: exit 0, 1 or 2 only, no traceback, exit 2 names the file, the same verdict.

The Python runner runs in this process; the TypeScript one runs its command line
in one long-lived Node process (js/dist/test/cli-batch.js), and every 25th input
also through the real `checkpoint-spec-js` process. CHECKPOINT_SPEC_FUZZ_EXAMPLES
sets the number of inputs (a small default for CI; the issue's figures came from
10,000). Schema files are not mutated: both runners cache compiled schemas.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkpoint_spec.cli import main

from .conftest import SPEC

ROOT = SPEC.parent
CLI_BATCH = ROOT / "js" / "dist" / "test" / "cli-batch.js"
CLI = ROOT / "js" / "dist" / "cli.js"
EXAMPLES = int(os.environ.get("CHECKPOINT_SPEC_FUZZ_EXAMPLES", "60"))
# A hang guard, not a speed target: the bound is "a few seconds" per input.
SLOW = 10.0
TRACES = re.compile(r"Traceback \(most recent call last\)|^\s+at .+:\d+:\d+\)?$|^\w*Error: ", re.MULTILINE)

pytestmark = pytest.mark.skipif(
    not CLI_BATCH.exists(), reason="js/dist is not built; the nox parity session builds it (npm run build in js/)"
)

HOSTILE_PATTERNS = [
    "(a+)+!",
    "(a|a)*!",
    "a*a*a*a*a*a*a*a*a*a*!",
    "t{4294967296}1",
    "t++1",
    "a$",
    "^a",
    "(?i)a",
    "[z-a]",
    "x{1001}",
    "((x{10}){10}){11}",
    "(" * 40 + ")" * 40,
    "\\s",
    "[]]",
    "[!]]",
    "a{,2}",
]
RAW_SNIPPETS = [
    "1" + "0" * 400,
    "1" + "0" * 5000,
    "-" + "9" * 20,
    "9007199254740992",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    '"\\ud800"',
    '"a\\udc00b"',
    '{"\\ud800": 1}',
    "[" * 101 + "]" * 101,
    "[" * 3000 + "]" * 3000,
    '{"$int": "' + "1" * 5000 + '"}',
    '{"$int": "' + "1" * 1001 + '"}',
]
DATETIMES = [
    "2024-05-01T12:00:00+00:99",
    "2024-05-01T12:00:00-00:60",
    "0000-01-01T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "2024-05-01T12:00:00+24:00",
    "2024-05-01T12:00:60Z",
    "9999-12-31T23:59:59.999999-23:59",
    "2024-05-01T12:00:00.1234567Z",
]
STRUCTURAL: st.SearchStrategy[Any] = st.sampled_from(
    [None, True, 0, -1, 1.5, "", "x" * 5000, [], {}, {"$ref": "saved#/01"}, {"$bogus": 1}]
)
VALUES: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(HOSTILE_PATTERNS).map(lambda p: {"$regex": p}),
    st.text(alphabet="a\\.[](){}*+?|^$-,0123456789dws", max_size=12).map(lambda p: {"$regex": p}),
    st.sampled_from(DATETIMES).map(lambda d: {"$datetime": d}),
    st.sampled_from(["checkpoint-1", "no-such-fixture", ""]).map(lambda f: {"$fixture": f}),
    st.builds(lambda a, b: {"$merge": [a, b]}, STRUCTURAL, STRUCTURAL),
    STRUCTURAL,
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    file: int
    path: tuple[int, ...]
    value: Any = None
    raw: str = ""
    offset: float = 0.0


PATHS = st.lists(st.integers(0, 50), max_size=8).map(tuple)
MUTATIONS = st.one_of(
    st.builds(
        Mutation, st.just("value"), st.integers(0, 50), st.lists(st.integers(0, 50), max_size=8).map(tuple), VALUES
    ),
    st.builds(
        Mutation,
        st.just("raw"),
        st.integers(0, 50),
        st.lists(st.integers(0, 50), max_size=8).map(tuple),
        raw=st.sampled_from(RAW_SNIPPETS),
    ),
    st.builds(
        Mutation, st.just("delete"), st.integers(0, 50), st.lists(st.integers(0, 50), min_size=1, max_size=8).map(tuple)
    ),
    st.builds(Mutation, st.just("truncate"), st.integers(0, 50), st.just(()), offset=st.floats(0, 1)),
    st.builds(
        Mutation,
        st.just("insert"),
        st.integers(0, 50),
        st.just(()),
        raw=st.sampled_from(["\x00", "\n", "\ufeff", "{", "]", ",", '"', "\\", "\u2028"]),
        offset=st.floats(0, 1),
    ),
    st.builds(Mutation, st.just("bom"), st.integers(0, 50), st.just(())),
    st.builds(Mutation, st.just("fixtures"), st.integers(0, 3), st.just(()), st.integers(2, 1200)),
    st.builds(
        Mutation,
        st.just("interop"),
        st.just(0),
        st.just(()),
        st.sampled_from([{"sqlite python->typescript get changed": ""}, {"mysql a b c": "x"}, {"k": 1}, [], "TODO"]),
    ),
    st.builds(Mutation, st.just("stray"), st.just(0), st.just(())),
)


def _small_spec(folder: Path) -> Path:
    """A few real cases, scenarios and fixtures, the schemas and the interop findings."""
    root = folder / "spec"
    for part in ("schema", "fixtures"):
        shutil.copytree(SPEC / part, root / part)
    for part, name, keep in (("cases", "put", 3), ("cases", "get_tuple", 2), ("scenarios", "interrupts", 2)):
        document = json.loads((SPEC / part / f"{name}.json").read_text(encoding="utf-8"))
        member = "cases" if part == "cases" else "scenarios"
        document[member] = document[member][:keep]
        (root / part).mkdir(exist_ok=True)
        (root / part / f"{name}.json").write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    (root / "parity").mkdir()
    shutil.copy(SPEC / "parity" / "interop.json", root / "parity" / "interop.json")
    return root


def _walk(document: Any, path: tuple[int, ...]) -> tuple[Any, Any]:
    """(container, key) reached by taking each index modulo the members or items there."""
    parent, key = None, None
    current = document
    for step in path:
        if isinstance(current, dict) and current:
            key = list(current)[step % len(current)]
        elif isinstance(current, list) and current:
            key = step % len(current)
        else:
            break
        parent, current = current, current[key]
    return parent, key


HOLE = "\u0000hole\u0000"
_INPUTS = itertools.count()


def apply(mutation: Mutation, root: Path) -> Path:
    """Mutate one file of the scratch spec; returns the file changed (or added)."""
    files = sorted(p for p in root.rglob("*.json") if p.parts[len(root.parts)] != "schema")
    path = files[mutation.file % len(files)]
    text = path.read_text(encoding="utf-8")
    if mutation.kind in ("value", "raw", "delete"):
        document = json.loads(text)
        parent, key = _walk(document, mutation.path)
        if parent is None:
            document = HOLE if mutation.kind == "raw" else mutation.value
        elif mutation.kind == "delete":
            del parent[key]
        else:
            parent[key] = HOLE if mutation.kind == "raw" else mutation.value
        text = json.dumps(document, indent=2, ensure_ascii=False).replace(json.dumps(HOLE), mutation.raw)
    elif mutation.kind == "truncate":
        text = text[: int(len(text) * mutation.offset)]
    elif mutation.kind == "insert":
        at = int(len(text) * mutation.offset)
        text = text[:at] + mutation.raw + text[at:]
    elif mutation.kind == "bom":
        text = "\ufeff" + text
    elif mutation.kind == "fixtures":
        count = int(mutation.value)
        shape = mutation.file  # 0 chain, 1 doubling, 2 cycle, 3 deep chain
        for index in range(count if shape != 1 else min(count, 30)):
            following = {"$fixture": f"z{(index + 1) % count if shape == 2 else index + 1:04d}"}
            value: Any = [following, following] if shape == 1 else [following] if shape == 3 else following
            if index == count - 1 and shape != 2:
                value = "end"
            document = {"$schema": "../schema/fixture.schema.json", "description": "d", "value": value}
            (root / "fixtures" / f"z{index:04d}.json").write_text(json.dumps(document), encoding="utf-8")
        return root / "fixtures" / "z0000.json"
    elif mutation.kind == "interop":
        path = root / "parity" / "interop.json"
        document = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(mutation.value, dict):
            document["findings"].update(mutation.value)
        else:
            document["findings"] = mutation.value
        text = json.dumps(document, indent=2)
    elif mutation.kind == "stray":
        path = root / "cases" / "notes" / "stray.json"
        path.parent.mkdir()
        text = "{}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@dataclass
class Outcome:
    code: int | None
    out: str
    err: str
    seconds: float


def python_cli(*argv: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Outcome(code, out.getvalue(), err.getvalue(), time.monotonic() - started)


class NodeCli:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(CLI_BATCH)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )

    def __call__(self, *argv: str) -> Outcome:
        assert self.process.stdin is not None and self.process.stdout is not None
        started = time.monotonic()
        self.process.stdin.write(json.dumps({"argv": list(argv)}) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        assert "crash" not in reply, f"checkpoint-spec-js main() threw: {reply['crash']}"
        return Outcome(reply["code"], reply["out"], reply["err"], time.monotonic() - started)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def node_cli() -> Iterator[NodeCli]:
    cli = NodeCli()
    yield cli
    cli.close()


@dataclass
class Figures:
    """What the inputs did, printed once at the end: the note's figures come from here."""

    inputs: int = 0
    rejected: int = 0
    slowest: float = 0.0
    slowest_input: str = ""
    total: float = 0.0

    def add(self, mutation: Mutation, rejected: bool, outcomes: list[Outcome]) -> None:
        self.inputs += 1
        self.rejected += rejected
        seconds = sum(outcome.seconds for outcome in outcomes)
        self.total += seconds
        if seconds > self.slowest:
            self.slowest, self.slowest_input = seconds, f"{mutation.kind} {str(mutation.value or mutation.raw)[:40]!r}"


@pytest.fixture(scope="module")
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    found = Figures()
    yield found
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not found.inputs:
        return
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        reporter.write_line(
            f"bad-input test: {found.inputs} inputs, {found.rejected} rejected by both lints, "
            f"{found.inputs - found.rejected} accepted by both; lint and run in both runners took "
            f"{found.total / found.inputs * 1000:.0f} ms an input on average, at most {found.slowest:.2f} s "
            f"({found.slowest_input})"
        )


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="checkpoint-spec-fuzz-", dir=base))
    yield folder
    shutil.rmtree(folder)


def check(outcome: Outcome, root: Path, who: str) -> None:
    text = outcome.out + outcome.err
    assert outcome.code in (0, 1, 2), f"{who}: exit {outcome.code}"
    assert not TRACES.search(text), f"{who}: a traceback or stack trace:\n{text[:2000]}"
    assert outcome.seconds < SLOW, f"{who}: took {outcome.seconds:.1f} s"
    if outcome.code == 2:
        lines = outcome.err.splitlines()
        assert lines, f"{who}: exit 2 without a message"
        for line in lines:
            assert line.startswith(f"error: {root}"), f"{who}: exit 2 with a line that names no spec file: {line[:300]}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=MUTATIONS)
def test_both_runners_on_a_mutated_spec(mutation: Mutation, node_cli: NodeCli, scratch: Path, figures: Figures) -> None:
    folder = scratch / "input"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    root = _small_spec(folder)
    apply(mutation, root)
    python_lint = python_cli("lint", "--spec", str(root))
    node_lint = node_cli("lint", "--spec", str(root))
    python_run = python_cli("run", "--target", "py-memory", "--spec", str(root))
    node_run = node_cli("run", "--target", "js-memory", "--spec", str(root))
    for who, outcome in (("python lint", python_lint), ("node lint", node_lint)):
        check(outcome, root, who)
    for who, outcome in (("python run", python_run), ("node run", node_run)):
        check(outcome, root, who)
    assert (python_lint.code == 2) == (node_lint.code == 2), (
        f"lint verdicts differ on {mutation}: python {python_lint.code} {python_lint.err[:300]!r}, "
        f"node {node_lint.code} {node_lint.err[:300]!r}"
    )
    assert (python_run.code == 2) == (node_run.code == 2), (
        f"run verdicts differ on {mutation}: python {python_run.err[:300]!r}, node {node_run.err[:300]!r}"
    )
    figures.add(mutation, python_lint.code == 2, [python_lint, node_lint, python_run, node_run])
    if next(_INPUTS) % 25 == 0:
        started = time.monotonic()
        process = subprocess.run(
            ["node", str(CLI), "lint", "--spec", str(root)], capture_output=True, text=True, timeout=60, check=False
        )
        real = Outcome(process.returncode, process.stdout, process.stderr, time.monotonic() - started)
        check(real, root, "checkpoint-spec-js lint")
        assert real.code == node_lint.code
