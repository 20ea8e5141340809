"""spec/selftest/command-lines.json on this runner's command line (spec/README.md 7.2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.cli import main

from .conftest import SPEC

VECTORS = [
    vector
    for vector in json.loads((SPEC / "selftest" / "command-lines.json").read_text(encoding="utf-8"))["vectors"]
    if "python" in vector.get("languages", ["python"])
]


def substituted(text: str, missing: Path) -> str:
    return text.replace("$tool", "checkpoint-spec").replace("$memory", "py-memory").replace("$missing", str(missing))


IN_PROCESS = [v for v in VECTORS if not v.get("stdout_closed")]
CLOSED = [v for v in VECTORS if v.get("stdout_closed")]


@pytest.mark.parametrize("vector", IN_PROCESS, ids=[v["description"] for v in IN_PROCESS])
def test_command_line_vector(vector: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing"
    try:
        status = main([substituted(word, missing) for word in vector["args"]])
    except SystemExit as exc:  # argparse's --help and --version
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert status == vector["exit"], err
    for stream, text in (("stdout", out), ("stderr", err)):
        if stream in vector:
            first = text.splitlines()[0] if text else ""
            assert first.startswith(substituted(vector[stream], missing)), first
    if vector["exit"] == 2:
        assert err.startswith("error: ") and "Traceback" not in err
        assert out == ""


@pytest.mark.parametrize("vector", CLOSED, ids=[v["description"] for v in CLOSED])
def test_command_line_vector_with_standard_output_closed(vector: dict[str, Any], tmp_path: Path) -> None:
    temporary = tmp_path / "temporary"  # where a details file would go
    temporary.mkdir()
    words = [substituted(word, tmp_path / "missing") for word in vector["args"]]
    child = subprocess.Popen(
        [sys.executable, "-m", "checkpoint_spec", *words],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader is gone before anything is written
    err = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=120) == vector["exit"], err
    assert err == ""
    assert list(temporary.iterdir()) == []


def test_the_vectors_cover_every_rule_of_the_text() -> None:
    """Each usage error of 7.2 has a vector that both runners run."""
    shared = [v for v in VECTORS if "languages" not in v]
    for phrase in (
        "COMMAND: missing",
        "comes before the command",
        "unknown command",
        "unexpected argument to",
        "not an option of",
        ", not of ",
        "takes no value",
        "needs a value",
        "needs a file name",
        "needs a folder name",
        "required by",
        "must be a positive number of seconds",
    ):
        assert any(phrase in v.get("stderr", "") for v in shared), phrase
