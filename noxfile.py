"""Sessions: lint, python, js, parity. `python3 noxw` runs them all; fuzz and bench_parity on request."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYTHON_DIR = ROOT / "python"
JS_DIR = ROOT / "js"
CONSTRAINTS = str(PYTHON_DIR / "constraints.txt")
PYPROJECT = nox.project.load_toml(PYTHON_DIR / "pyproject.toml")
POSTGRES_DSN_ENV = "CHECKPOINT_SPEC_POSTGRES_DSN"
DB_TARGETS = ("py-sqlite", "py-sqlite-async", "py-postgres", "py-postgres-async")

nox.options.sessions = ["lint", "python", "js", "parity"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


def install_python_package(session: nox.Session, *extras: str, groups: tuple[str, ...] = ()) -> None:
    """The runner (editable) with its extras, and the tools of its dependency groups, at the pinned versions."""
    spec = f"{PYTHON_DIR}[{','.join(extras)}]" if extras else str(PYTHON_DIR)
    session.install("-c", CONSTRAINTS, "-e", spec, *nox.project.dependency_groups(PYPROJECT, *groups))


@contextlib.contextmanager
def postgres(session: nox.Session) -> Iterator[dict[str, str]]:
    """One PostgreSQL server for the session: CHECKPOINT_SPEC_POSTGRES_DSN's, else a throwaway one.

    Yields the environment to pass to commands (the DSN). Needs the package
    installed with the `db` extra; the server stops when the block ends.
    """
    if os.environ.get(POSTGRES_DSN_ENV):
        yield {}
        return
    python = str(Path(str(session.bin)) / "python")
    server = subprocess.Popen(
        [python, "-m", "checkpoint_spec.databases", "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdin is not None and server.stdout is not None
    dsn = server.stdout.readline().strip()
    try:
        if not dsn:
            session.error("no PostgreSQL server for the postgres targets (see the message above)")
        yield {POSTGRES_DSN_ENV: dsn}
    finally:
        server.stdin.close()
        server.wait()


def npm_ci(session: nox.Session) -> None:
    """`npm ci` in js/ when node_modules is missing or older than package-lock.json."""
    session.chdir(JS_DIR)
    installed = JS_DIR / "node_modules" / ".package-lock.json"
    lock = JS_DIR / "package-lock.json"
    if not installed.exists() or lock.stat().st_mtime > installed.stat().st_mtime:
        session.run_install("npm", "ci", "--no-audit", "--no-fund", external=True)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict, and the schema + semantic lint of every spec file."""
    install_python_package(session, "db", groups=("lint", "test"))
    # The whole repository (ruff.toml): python/, noxfile.py, noxw and the Python in Markdown files.
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--config-file", "python/pyproject.toml")
    session.run("checkpoint-spec", "lint")
    npm_ci(session)
    session.run("npm", "run", "lint", external=True)


@nox.session(python="3.11")
def python(session: nox.Session) -> None:
    """The package's unit tests, then the whole spec on py-memory(-async), py-sqlite(-async), py-postgres(-async)."""
    install_python_package(session, "db", groups=("test",))
    with postgres(session) as db_env:
        # The parity tests need node and Chromium: the parity session runs them.
        session.run(
            "pytest",
            "python/tests",
            "--ignore-glob=*test_parity_*",
            "--ignore-glob=*test_both_runners_*",
            *session.posargs,
            env=db_env,
        )
        for target in DB_TARGETS:
            session.run("checkpoint-spec", "run", "--target", target, "--json", f"reports/{target}.json", env=db_env)
    # py-memory runs under coverage: the spec should exercise at least 90% of
    # InMemorySaver's lines and branches, and the figure is printed every run.
    memory = session.run("python", "-c", "import langgraph.checkpoint.memory as m; print(m.__file__)", silent=True)
    if memory is None:  # --install-only: nothing ran
        return
    memory = memory.strip()
    data = f"{session.create_tmp()}/coverage"
    env = {"COVERAGE_FILE": data}
    session.run("coverage", "erase", env=env)
    session.run(
        "coverage",
        "run",
        "--branch",
        f"--include={memory}",
        "-m",
        "checkpoint_spec",
        "run",
        "--target",
        "py-memory",
        "--json",
        "reports/py-memory.json",
        env=env,
    )
    session.run("coverage", "json", "-q", "-o", f"{data}.json", env=env)
    session.run("python", "python/scripts/class_coverage.py", f"{data}.json", memory, "InMemorySaver", "--min", "90")
    session.run("checkpoint-spec", "run", "--target", "py-memory-async", "--json", "reports/py-memory-async.json")


@nox.session(python="3.11")
def js(session: nox.Session) -> None:
    """The TypeScript runner: its node:test suite, then the whole spec on js-memory, js-sqlite and js-postgres.

    Python is here only to start the PostgreSQL server (checkpoint_spec.databases) the JS side connects to.
    """
    install_python_package(session, "db")
    npm_ci(session)
    with postgres(session) as db_env:
        session.run("npm", "test", external=True, env=db_env)
        for target in ("js-memory", "js-sqlite", "js-postgres"):
            report = str(ROOT / "reports" / f"{target}.json")
            session.run("node", "dist/cli.js", "run", "--target", target, "--json", report, external=True, env=db_env)


def build_js(session: nox.Session) -> None:
    """js/dist for the TypeScript driver: npm ci when needed, then the TypeScript build."""
    npm_ci(session)
    session.run("npm", "run", "build", "--silent", external=True)
    session.chdir(ROOT)


def ensure_chromium(session: nox.Session) -> None:
    """Headless Chromium for the test of parity.html: the Debian package, installed when missing and possible."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        session.run("apt-get", "update", external=True, env=env)
        session.run("apt-get", "install", "-y", "--no-install-recommends", "chromium", external=True, env=env)
    else:
        session.warn("Chromium is missing and this is not root with apt-get: the parity page test will be skipped")


@nox.session(python="3.11")
def parity(session: nox.Session) -> None:
    """The main job: every case on the nine targets (memory, sqlite, postgres), each against the spec and the
    other targets of its family, against the throwaway PostgreSQL started here."""
    install_python_package(session, "db", groups=("test",))
    build_js(session)
    ensure_chromium(session)
    tests = sorted(str(path) for path in (PYTHON_DIR / "tests").glob("test_parity_*.py"))
    tests += sorted(str(path) for path in (PYTHON_DIR / "tests").glob("test_both_runners_*.py"))
    with postgres(session) as db_env:
        session.run("pytest", "-q", str(PYTHON_DIR / "tests" / "test_driver.py"), *tests, env=db_env)
        # The reports hold both parts: the targets against the spec and each other, and storage interop
        # (each language's SQLite and PostgreSQL saver reads what the other's wrote).
        session.run("checkpoint-spec", "parity", *session.posargs, env=db_env)


@nox.session(python="3.11")
def fuzz(session: nox.Session) -> None:
    """Both runners on mutated spec files, at the size given (default 10,000 inputs): `python3 noxw -s fuzz -- N`."""
    install_python_package(session, groups=("test",))
    build_js(session)
    examples = session.posargs[0] if session.posargs else "10000"
    session.run(
        "pytest",
        "-q",
        str(PYTHON_DIR / "tests" / "test_both_runners_bad_input.py"),
        env={"CHECKPOINT_SPEC_FUZZ_EXAMPLES": examples},
    )


@nox.session(name="bench_parity", python="3.11")
def bench_parity(session: nox.Session) -> None:
    """Times the parity run on the in-memory targets and, separately, on all nine (median of several each),
    and the driver round trip per step."""
    install_python_package(session, "db")
    build_js(session)
    with postgres(session) as db_env:
        session.run("python", "-m", "checkpoint_spec.parity.bench", *session.posargs, env=db_env)
