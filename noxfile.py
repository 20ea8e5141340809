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
    # py-memory runs under coverage: the spec should exercise at least 90% of
    # InMemorySaver's lines and branches, and the figure is printed every run.
    memory = session.run(
        "python", "-c", "import langgraph.checkpoint.memory as m; print(m.__file__)", silent=True
    ).strip()
    data = f"{session.create_tmp()}/coverage"
    env = {"COVERAGE_FILE": data}
    session.run("coverage", "erase", env=env)
    session.run(
        "coverage", "run", "--branch", f"--include={memory}", "-m", "checkpoint_spec",
        "run", "--target", "py-memory", "--json", "reports/py-memory.json", env=env,
    )
    session.run("coverage", "json", "-q", "-o", f"{data}.json", env=env)
    session.run("python", "python/scripts/class_coverage.py", f"{data}.json", memory, "InMemorySaver", "--min", "90")
    session.run("checkpoint-spec", "run", "--target", "py-memory-async", "--json", "reports/py-memory-async.json")
