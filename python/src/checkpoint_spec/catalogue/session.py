"""`python -m checkpoint_spec.catalogue`: every saver of catalogue/savers.json on the spec, then the page.

Per saver: start the servers it needs (its own, so what is left in them is its own), run the runner on it with
--known catalogue/known/NAME.json --json, read the outcomes from that report (never from the exit status),
check what it left behind (its scratch folder, its temporary folder, processes of its run, data in its servers),
stop the servers. Exit 0 when every saver ran and left only what savers.json expects, 1 otherwise, 2 for bad input.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..databases.services import DaemonServer, DynaliteServer, MariaDBServer, RedisServer
from ..databases.throwaway import NoServer, memory_folder
from ..files import log_stream, write_text_atomically
from . import page
from .leftovers import PROBES, end_processes, folder_leftovers, session_processes
from .savers import BadCatalogue, Saver, load, pip_commands

ROOT = Path(__file__).resolve().parents[4]
TIMES_ENV = "CHECKPOINT_SPEC_CATALOGUE_TIMES"
DYNALITE_CLI = Path("factories/js/node_modules/dynalite/cli.js")
# A whole run of the spec on one saver; past it the run is ended and the saver's row says so.
RUN_SECONDS = 900


def make_server(service: str, catalogue: Path) -> DaemonServer:
    if service == "mariadb":
        return MariaDBServer()
    if service == "redis":
        return RedisServer()
    return DynaliteServer((catalogue / DYNALITE_CLI).resolve())


def command(saver: Saver, argument: str, report: Path, root: Path, update_known: bool = False) -> list[str]:
    """The runner's command line for `saver`: the Python runner (this interpreter) or the TypeScript one."""
    # Both levels judged: known/NAME.json lists the saver's divergences from the reference savers too.
    options = ["--target", saver.target, "--target-arg", argument, "--level", "all"]
    options += ["--known", saver.known_file, "--json", str(report)]
    if update_known:
        options.append("--update-known")
    if saver.api == "async":
        options.append("--async")
    if saver.language == "python":
        return [sys.executable, "-m", "checkpoint_spec", "run", *options]
    return [shutil.which("node") or "node", str(root / "js" / "dist" / "cli.js"), "run", *options]


def unexpected(leftovers: list[str], expected: Sequence[str]) -> list[str]:
    """The leftovers no pattern of savers.json's expected_leftovers (fnmatch) accounts for."""
    return [item for item in leftovers if not any(fnmatch.fnmatchcase(item, pattern) for pattern in expected)]


def _read_json(path: Path) -> dict[str, Any] | None:
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        return loaded if isinstance(loaded, dict) else None
    return None


def _times(path: Path) -> list[float]:
    """Each case's seconds; the first line is left out: both runners make one saver before the cases, to probe
    its capabilities."""
    with contextlib.suppress(OSError):
        return [float(line) for line in path.read_text(encoding="utf-8").split()][1:]
    return []


def _problem(code: int, report: dict[str, Any] | None, log: Path, unstable: Sequence[str] = ()) -> str:
    """Why the run is not a clean result: no report, or cases the known file does not explain (an unstable case's
    verdict aside)."""
    if report is None:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
        return f"no report (exit status {code}): {' '.join(tail) or 'no output'}"
    counts = Counter(
        case["verdict"]
        for case in report.get("cases", [])
        if case["verdict"] in ("failed", "stale", "errored") and case["id"] not in unstable
    )
    if counts:
        listed = ", ".join(f"{counts[key]} {key}" for key in ("failed", "stale", "errored") if counts[key])
        return f"{listed}: catalogue/known/ does not describe this run (rerun with --update-known and give reasons)"
    return ""


def run_saver(saver: Saver, root: Path, scratch: Path, out: Path, update_known: bool = False) -> page.SaverRun:
    catalogue = root / "catalogue"
    folder, temporary = scratch / saver.name / "store", scratch / saver.name / "tmp"
    folder.mkdir(parents=True)
    temporary.mkdir()
    report_path, times_path, log = out / f"{saver.name}.json", scratch / saver.name / "times", out / f"{saver.name}.log"
    report_path.unlink(missing_ok=True)
    leftovers: list[str] = []
    with contextlib.ExitStack() as stack:
        servers = {service: stack.enter_context(make_server(service, catalogue)) for service in saver.services}
        urls = {service: str(server.url) for service, server in servers.items()}
        argument = urls[saver.services[0]] if saver.services else str(folder)
        env = {**os.environ, TIMES_ENV: str(times_path), "TMPDIR": str(temporary)}
        started = time.monotonic()
        with log_stream(log) as output:
            process = subprocess.Popen(
                command(saver, argument, report_path, root, update_known),
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                code = process.wait(RUN_SECONDS)
            except subprocess.TimeoutExpired:
                end_processes([process.pid])
                code = process.wait()
        wall = time.monotonic() - started
        stray = [pid for pid in session_processes(process.pid) if pid != process.pid]
        if stray:
            leftovers.append(f"{len(stray)} processes of its run")
            end_processes(stray)
        leftovers += [f"file {name}" for name in folder_leftovers(folder)]
        leftovers += [f"temporary file {name}" for name in folder_leftovers(temporary)]
        for service, url in urls.items():
            leftovers += [f"{service}: {item}" for item in PROBES[service](url)]
    report = _read_json(report_path)
    known = _read_json(root / saver.known_file) or {}
    return page.SaverRun(
        saver=saver,
        report=report,
        known=known,
        times=_times(times_path),
        leftovers=leftovers,
        unexpected=unexpected(leftovers, saver.expected_leftovers),
        wall_seconds=wall,
        problem=_problem(code, report, log, saver.unstable_cases),
        log=str(log),
    )


def level_counts(report: dict[str, Any] | None) -> str:
    """Each level's counts from the report's `levels`, contract first (stale and errored only when some are)."""
    levels: dict[str, dict[str, int]] = (report or {}).get("levels", {})
    parts = []
    for level in sorted(levels, key=lambda name: (name != "contract", name)):
        counts = levels[level]
        keys = [
            key
            for key in ("passed", "known", "failed", "stale", "skipped", "errored")
            if key not in ("stale", "errored") or counts.get(key, 0)
        ]
        parts.append(f"{level} " + ", ".join(f"{counts.get(key, 0)} {key}" for key in keys))
    return "; ".join(parts) or "no report"


def _closing_line(run: page.SaverRun) -> str:
    counts = level_counts(run.report)
    left = "; ".join(run.leftovers) or "nothing"
    status = f" PROBLEM: {run.problem}" if run.problem else ""
    extra = f" UNEXPECTED: {'; '.join(run.unexpected)}" if run.unexpected else ""
    return f"{run.saver.name} {run.saver.version}: {counts}; {run.wall_seconds:.1f} s; left {left}{status}{extra}"


def install(savers: list[Saver], root: Path) -> int:
    """The Python savers into this interpreter's environment (pip), the TypeScript ones from their lockfile (npm ci
    when node_modules is missing or older than the lockfile); gives the first failing command's status, else 0."""
    constraints = [str(root / "python" / "constraints.txt"), str(root / "catalogue" / "constraints.txt")]
    for arguments in pip_commands(savers, constraints):
        code = subprocess.call([sys.executable, "-m", "pip", "install", "-q", *arguments])
        if code:
            return code
    npm_project = root / "catalogue" / "factories" / "js"
    installed, lock = npm_project / "node_modules" / ".package-lock.json", npm_project / "package-lock.json"
    if any(s.language == "typescript" for s in savers) and (
        not installed.exists() or lock.stat().st_mtime > installed.stat().st_mtime
    ):
        return subprocess.call(["npm", "ci", "--no-audit", "--no-fund"], cwd=npm_project)
    return 0


def run_all(savers: list[Saver], root: Path, out: Path, jobs: int, update_known: bool) -> list[page.SaverRun]:
    """Each saver's run, `jobs` at a time (a run mostly waits on its store, so they overlap well), in savers' order."""
    with (
        # Embedded stores are made and removed per case: in memory where the machine allows.
        tempfile.TemporaryDirectory(prefix="checkpoint-spec-catalogue-", dir=memory_folder()) as scratch,
        concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        futures = {pool.submit(run_saver, saver, root, Path(scratch), out, update_known): saver for saver in savers}
        for future in concurrent.futures.as_completed(futures):
            try:
                print(_closing_line(future.result()), file=sys.stderr, flush=True)
            except NoServer as exc:
                for other in futures:
                    other.cancel()
                raise NoServer(f"{futures[future].name}: {exc}") from None
        return [future.result() for future in futures]


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m checkpoint_spec.catalogue", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout (default: this one)")
    parser.add_argument("--out", type=Path, help="report folder (default: ROOT/reports/catalogue)")
    parser.add_argument("--docs", type=Path, help="copy of the Markdown page (default: ROOT/docs/catalogue.md)")
    parser.add_argument("--jobs", type=_jobs, default=3, help="savers run at the same time (default: 3)")
    parser.add_argument("--install", action="store_true", help="install the savers first (pip, npm ci)")
    parser.add_argument(
        "--update-known", action="store_true", help="rewrite catalogue/known/NAME.json from this run (reasons to write)"
    )
    parser.add_argument("--saver", action="append", default=[], help="run only this saver (repeatable)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    root = options.root.resolve()
    out = (options.out or root / "reports" / "catalogue").resolve()
    try:
        savers = load(root / "catalogue")
    except BadCatalogue as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    names = {saver.name for saver in savers}
    missing = [name for name in options.saver if name not in names]
    if missing:
        print(
            f"error: --saver: {missing[0]!r} is not in catalogue/savers.json ({', '.join(sorted(names))})",
            file=sys.stderr,
        )
        return 2
    chosen = [saver for saver in savers if not options.saver or saver.name in options.saver]
    if options.install and (code := install(chosen, root)):
        print(f"error: installing the savers failed (status {code})", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    try:
        runs = run_all(chosen, root, out, options.jobs, options.update_known)
    except NoServer as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    spec = root / "spec"
    version = (spec / "VERSION").read_text(encoding="utf-8").strip()
    doc = page.document(runs, version, min(options.jobs, len(chosen)))
    for path in page.write(doc, out):
        print(f"wrote {path}", file=sys.stderr)
    if not options.saver:
        docs = options.docs or root / "docs" / "catalogue.md"
        docs.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(docs, page.render_markdown(doc))
        print(f"wrote {docs}", file=sys.stderr)
    return 0 if doc["ok"] else 1
