"""Sessions: lint, python, js, packages, parity, catalogue. `python3 noxw` runs them all; fuzz and bench_parity on
request."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
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

nox.options.sessions = ["lint", "python", "js", "packages", "parity", "catalogue"]
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
    """`npm ci` in js/ when node_modules is missing or older than package-lock.json; never through a symlinked
    node_modules (a worktree sharing another checkout's install), which npm ci would delete and rebuild there."""
    session.chdir(JS_DIR)
    if (JS_DIR / "node_modules").is_symlink():
        return
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


def ensure_catalogue_servers(session: nox.Session) -> None:
    """MariaDB and Redis for the catalogue's savers: Debian's packages, installed when missing and possible."""
    if shutil.which("mariadbd") and shutil.which("redis-server"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        session.run("apt-get", "update", external=True, env=env)
        packages = ("mariadb-server", "redis-server")
        session.run("apt-get", "install", "-y", "--no-install-recommends", *packages, external=True, env=env)
    else:
        session.error("the catalogue needs mariadbd and redis-server: apt-get install mariadb-server redis-server")


@nox.session(python="3.11")
def catalogue(session: nox.Session) -> None:
    """Third-party savers (catalogue/savers.json, each pinned) on the whole spec, each against the servers it needs
    (MariaDB, Redis from Debian; dynalite from npm) started here, then the page reports/catalogue/ and
    docs/catalogue.md. Fails when a saver leaves something savers.json does not expect, or its run is not what
    catalogue/known/ says. `-- --saver NAME` runs one (the page then only in reports/catalogue/)."""
    install_python_package(session)
    build_js(session)
    ensure_catalogue_servers(session)
    # The module installs the savers (pip, npm ci in catalogue/factories/js) into this session's venv.
    session.run("python", "-m", "checkpoint_spec.catalogue", "--install", *session.posargs)


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


def spec_files() -> dict[str, bytes]:
    """Every file under spec/, by its path inside the folder."""
    spec = ROOT / "spec"
    return {path.relative_to(spec).as_posix(): path.read_bytes() for path in sorted(spec.rglob("*")) if path.is_file()}


def wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def sdist_files(sdist: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    with tarfile.open(sdist, "r:gz") as archive:
        for member in archive.getmembers():
            if member.isfile() and (content := archive.extractfile(member)) is not None:
                files[member.name] = content.read()
            elif not member.isdir():
                # A link or a device would not be a file once unpacked elsewhere.
                files[member.name] = b"not a regular file"
    return files


def check_archive(session: nox.Session, archive: Path, files: dict[str, bytes], spec_at: str, license_at: str) -> None:
    """The archive holds spec/ exactly (every file, byte for byte, nothing more) at spec_at, and the LICENSE."""
    expected = spec_files()
    inside = {name[len(spec_at) :]: data for name, data in files.items() if name.startswith(spec_at)}
    problems = [f"missing {name}" for name in sorted(expected.keys() - inside.keys())]
    problems += [f"not in spec/: {name}" for name in sorted(inside.keys() - expected.keys())]
    problems += [
        f"differs from spec/: {name}"
        for name in sorted(expected.keys() & inside.keys())
        if expected[name] != inside[name]
    ]
    if files.get(license_at) != (ROOT / "LICENSE").read_bytes():
        problems.append(f"{license_at} is missing or is not the repository's LICENSE")
    if problems:
        session.error(f"{archive.name}: " + "; ".join(problems))
    session.log(
        f"{archive.parent.name}/{archive.name}: the {len(expected)} files of spec/ under {spec_at}, and {license_at}"
    )


def check_wheel(session: nox.Session, wheel: Path) -> None:
    files = wheel_files(wheel)
    dist_info = "-".join(wheel.name.split("-")[:2]) + ".dist-info"  # NAME-VERSION of NAME-VERSION-TAGS.whl
    check_archive(session, wheel, files, "checkpoint_spec/spec/", f"{dist_info}/licenses/LICENSE")
    if "checkpoint_spec/py.typed" not in files:
        session.error(f"{wheel.name}: no checkpoint_spec/py.typed")


def build_packages(session: nox.Session, out: Path) -> tuple[Path, Path]:
    """The sdist, a wheel built from it and a wheel built from the checkout; the wheels hold the same files."""
    session.run("python", "-m", "build", "--outdir", str(out / "from-sdist"), str(PYTHON_DIR))
    session.run("python", "-m", "build", "--wheel", "--outdir", str(out / "from-checkout"), str(PYTHON_DIR))
    (sdist,) = (out / "from-sdist").glob("*.tar.gz")
    (wheel,) = (out / "from-sdist").glob("*.whl")
    (direct,) = (out / "from-checkout").glob("*.whl")
    top = sdist.name.removesuffix(".tar.gz")
    check_archive(session, sdist, sdist_files(sdist), f"{top}/spec/", f"{top}/LICENSE")
    check_wheel(session, wheel)
    check_wheel(session, direct)
    if wheel_files(wheel).keys() != wheel_files(direct).keys():
        session.error(f"{wheel.name}: the wheels built from the sdist and from the checkout hold different files")
    return sdist, wheel


# Run by the installed package: where its default spec is, and how many cases and scenarios that spec holds.
INSTALLED_SPEC = """
import json
from checkpoint_spec import loading, roots
root = roots.default_spec_root()
print(json.dumps({"root": str(root), "in_checkout": roots.in_checkout(), "cases": len(loading.load_spec(root).cases)}))
"""


def check_installed(session: nox.Session, venv: Path, env: dict[str, str | None]) -> int:
    """From the current folder, the installed package on its bundled spec: run, lint, and pytest's collection.

    Gives the number of cases and scenarios of that spec."""
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python, command = str(bin_dir / "python"), str(bin_dir / "checkpoint-spec")
    spec = json.loads(str(session.run(python, "-c", INSTALLED_SPEC, external=True, env=env, silent=True)))
    if spec["in_checkout"] or not Path(spec["root"]).is_relative_to(venv):
        session.error(f"the installed package does not default to the spec inside it: {spec}")
    session.run(command, "run", "--target", "py-memory", external=True, env=env)
    session.run(command, "lint", external=True, env=env)
    collect = ("--collect-only", "-q", "--checkpoint-spec-target", "py-memory")
    listed = str(session.run(python, "-m", "pytest", *collect, external=True, env=env, silent=True))
    ids = [line for line in listed.splitlines() if line.startswith("checkpoint-spec::py-memory::")]
    if len(ids) != spec["cases"] or f"{spec['cases']} tests collected" not in listed:
        session.error(f"pytest --collect-only did not list the {spec['cases']} cases:\n{listed}")
    session.log(f"pytest --collect-only listed {len(ids)} items: {ids[0]}, ...")
    return int(spec["cases"])


@nox.session(python="3.11")
def packages(session: nox.Session) -> None:
    """The wheel and the sdist, with the spec inside each, and the wheel installed in a fresh environment outside
    the checkout: from there the whole spec on py-memory, the lint, and pytest's collection of every case."""
    session.install("-c", CONSTRAINTS, *nox.project.dependency_groups(PYPROJECT, "packages"))
    with tempfile.TemporaryDirectory(prefix="checkpoint-spec-packages-") as scratch_name:
        scratch = Path(scratch_name).resolve()
        if scratch.is_relative_to(ROOT):
            session.error(f"the temporary folder {scratch} is inside the checkout; set TMPDIR elsewhere")
        sdist, wheel = build_packages(session, scratch / "dist")
        venv = scratch / "venv"
        session.run("python", "-m", "venv", str(venv))
        # Nothing of the checkout on the path: the package runs as installed.
        env: dict[str, str | None] = {"PYTHONPATH": None, "VIRTUAL_ENV": str(venv)}
        pip = (str(venv / ("Scripts" if os.name == "nt" else "bin") / "python"), "-m", "pip", "install", "-q")
        session.run(*pip, "-c", CONSTRAINTS, str(wheel), "pytest", external=True, env=env)
        work = scratch / "work"
        work.mkdir()
        with session.chdir(work):
            cases = check_installed(session, venv, env)
        if leftovers := sorted(path.name for path in work.iterdir()):
            session.error(f"the commands left files in the folder they ran in: {leftovers}")
        session.log(f"{sdist.name} and {wheel.name} work outside the checkout")
        tarball = pack_js(session, scratch / "npm")
        check_js_project(session, tarball, scratch / "project", cases)


def pack_js(session: nox.Session, out: Path) -> Path:
    """`npm pack` of js/ (its prepack bundles spec/ and the LICENSE): the tarball, checked for what it must hold."""
    npm_ci(session)
    out.mkdir()
    session.run("npm", "pack", "--silent", "--pack-destination", str(out), external=True)
    session.chdir(ROOT)
    (tarball,) = out.glob("*.tgz")
    files = sdist_files(tarball)  # a .tgz as the sdist is
    check_archive(session, tarball, files, "package/spec/", "package/LICENSE")
    unwanted = [name for name in files if name.startswith("package/dist/test/") or name.endswith(".map")]
    if unwanted or "package/README.md" not in files or "package/dist/testing.d.ts" not in files:
        session.error(f"{tarball.name}: tests or source maps inside ({len(unwanted)}), or no README.md or testing.d.ts")
    for left in ("spec", "LICENSE"):
        if (JS_DIR / left).exists():
            session.error(f"npm pack left js/{left} behind")
    return tarball


# A saver author's test file: the spec on MemorySaver through node:test, one test per case; the reference
# saver is judged on all levels (the helper's default, a factory's, is the contract).
NODE_TEST = """
import { test } from "node:test";
import { join } from "node:path";
import { MemorySaver } from "@langchain/langgraph-checkpoint";
import { defaultSpecRoot, registerSpecTests } from "checkpoint-spec-js/testing";

const known = join(defaultSpecRoot(), "known-divergences", "js-memory.json");
await registerSpecTests({ name: "js-memory", known, factory: () => new MemorySaver(), test, level: "all" });
"""


def check_js_project(session: nox.Session, tarball: Path, project: Path, spec_cases: int) -> None:
    """A scratch npm project outside js/ that depends on the tarball: its command line and its node:test helper."""
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "scratch", "private": True, "type": "module"}))
    with session.chdir(project):
        session.run("npm", "install", "--no-audit", "--no-fund", "--silent", str(tarball), external=True)
        # The database targets' savers are optional peers: nothing native is built for the runner alone.
        if (project / "node_modules" / "better-sqlite3").exists():
            session.error("installing checkpoint-spec-js installed better-sqlite3, an optional peer dependency")
        version = str(session.run("npx", "checkpoint-spec-js", "--version", external=True, silent=True)).strip()
        if not version.startswith("checkpoint-spec-js ") or ", spec " not in version:
            session.error(f"checkpoint-spec-js --version printed {version!r}")
        session.run("npx", "checkpoint-spec-js", "lint", external=True)
        session.run("npx", "checkpoint-spec-js", "run", "--target", "js-memory", external=True)
        refused = subprocess.run(
            ["npx", "checkpoint-spec-js", "run", "--target", "js-sqlite"], capture_output=True, text=True, check=False
        )
        if refused.returncode != 2 or "needs @langchain/langgraph-checkpoint-sqlite" not in refused.stderr:
            session.error(f"js-sqlite without its saver: exit {refused.returncode}, {refused.stderr.strip()!r}")
        (project / "spec.test.mjs").write_text(NODE_TEST)
        tap = str(session.run("node", "--test", "--test-reporter=tap", "spec.test.mjs", external=True, silent=True))
    counts = {
        line.split()[1]: int(line.split()[2])
        for line in tap.splitlines()
        if line.startswith("# ") and len(line.split()) == 3 and line.split()[2].isdigit()
    }
    if counts.get("tests") != spec_cases or counts.get("fail") != 0:
        session.error(f"node --test on the tarball's helper: {counts}, expected {spec_cases} tests and no failure")
    session.log(
        f"{tarball.name} in a scratch project: {version}; node:test ran {counts['tests']} tests, one per case "
        f"({counts.get('pass')} passed, {counts.get('skipped')} skipped, none failed)"
    )
