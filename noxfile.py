"""Sessions: lint, python, js, parity. `python3 noxw` runs them all."""

from __future__ import annotations

from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYTHON_DIR = ROOT / "python"
JS_DIR = ROOT / "js"
CONSTRAINTS = str(PYTHON_DIR / "constraints.txt")

nox.options.sessions = ["lint", "python"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


def install_python_package(session: nox.Session, *extras: str) -> None:
    """The runner and its tools, at the versions the constraints file pins."""
    spec = f"{PYTHON_DIR}[{','.join(extras)}]" if extras else str(PYTHON_DIR)
    session.install("-c", CONSTRAINTS, "-e", spec)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict, and the schema + semantic lint of every spec file."""
    install_python_package(session, "lint", "test")
    session.run("ruff", "check", "python")
    session.run("ruff", "format", "--check", "python")
    session.run("mypy", "--config-file", "python/pyproject.toml")
    session.run("checkpoint-spec", "lint")


@nox.session(python="3.11")
def python(session: nox.Session) -> None:
    """The package's unit tests, then the whole spec on py-memory and py-memory-async."""
    install_python_package(session, "test")
    session.run("pytest", "python/tests", *session.posargs)
    for target in ("py-memory", "py-memory-async"):
        session.run("checkpoint-spec", "run", "--target", target, "--json", f"reports/{target}.json")
