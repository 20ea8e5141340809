"""Shared pieces of the parity tests: a small spec, fake drivers, running the command."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.cli import main

from .conftest import case_file, put_step

FAKES = Path(__file__).resolve().parent / "fake_drivers"


def simple_case(case_id: str) -> dict[str, Any]:
    return {
        "id": case_id,
        "title": f"case {case_id}",
        "steps": [
            put_step(),
            {"op": "get_tuple", "args": {"config": {"$ref": "saved"}}, "expect": {"result": {"$type": "object"}}},
        ],
    }


CASE_IDS = ["first", "second", "third", "fourth"]


def cause(explanation: str, between: list[str], families: list[str], *rules: dict[str, Any]) -> dict[str, Any]:
    """A registry cause between two targets (or languages, when a name is python or typescript)."""
    sides = [{"language": name} if name in ("python", "typescript") else {"targets": [name]} for name in between]
    return {"explanation": explanation, "between": sides, "families": families, "differences": list(rules)}


# What the fake alter.py driver changes on its case: put returns {"altered": true} instead of the config.
ALTERED_RULES = (
    {"ops": ["put"], "at": "/configurable", "first": "object", "second": "absent"},
    {"ops": ["put"], "at": "/altered", "first": "absent", "second": "boolean"},
)


def write_registry(spec: Path, causes: dict[str, dict[str, Any]]) -> Path:
    """spec/parity/registry.json with these causes (id: the cause's document)."""
    registry = spec / "parity" / "registry.json"
    registry.parent.mkdir(exist_ok=True)
    document = {"$schema": "../schema/parity-registry.schema.json", "description": "test", "causes": causes}
    registry.write_text(json.dumps(document))
    return registry


def small_spec(make_spec: Callable[..., Path], **known: Any) -> Path:
    return make_spec({"put.json": case_file(*(simple_case(i) for i in CASE_IDS))}, known=known or None)


def fake(script: str, *args: str) -> str:
    return shlex.join([sys.executable, str(FAKES / script), *args])


def parity(
    capsys: pytest.CaptureFixture[str], spec: Path, out: Path, *argv: str
) -> tuple[int, list[str], str, dict[str, Any]]:
    # Storage interop needs js/dist next to the spec and real databases: its own tests turn it on.
    interop = [] if "--interop" in argv else ["--interop", "none"]
    code = main(["parity", "--spec", str(spec), "--out", str(out), *interop, *argv])
    stdout, stderr = capsys.readouterr()
    report = out / "parity.json"
    document = json.loads(report.read_text()) if report.exists() else {}
    return code, stdout.splitlines(), stderr, document


def verdicts(document: dict[str, Any], target: str) -> dict[str, str]:
    return {case["id"]: case["targets"][target]["verdict"] for case in document["cases"]}
