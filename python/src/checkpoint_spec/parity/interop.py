"""Storage interop: what one language's saver writes, read back by the other language's saver of the same kind.

For each kind (SQLite, PostgreSQL) and direction (Python writes and TypeScript
reads, and the reverse), every spec case that writes (put, put_writes,
delete_thread) and reads (get_tuple, list, get) runs like this on storage of its
own (a SQLite file, a PostgreSQL schema):

1. the writer's saver runs all the case's steps;
2. the case's read steps, their references resolved against what the writer
   observed, run again on the final state, once with the writer's saver (what
   the data should read back as) and once with the reader's;
3. each read is `equal` (the two observations are the same), `changed` (both
   read, but something differs: the report gives the first pointer), or
   `unreadable` (the reader raised; the report gives the error). Reads where
   the writer's own saver already raised are `writer-error` and compared no
   further. Pending writes inside get_tuple results are also judged on their own.

    python -m checkpoint_spec.parity.interop [--kind sqlite|postgres]... [--case GLOB]... [--json FILE]

spec/parity/interop.json records every (kind, direction, operation, verdict)
that is not `equal`, with the reason; like the other registries it is strict.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codec import decode
from ..databases.postgres_server import NoPostgres, PostgresUnreachable, check_reachable, shared_dsn
from ..errors import SpecError, TargetError
from ..loading import Case, InvalidSpec, Spec, load_spec, read_json
from ..matching import match
from ..observation import observe_error
from ..references import UnresolvedReference, resolve
from ..selection import select_cases
from ..targets.postgres import postgres_factory
from ..targets.saver import SaverSession
from ..targets.sqlite import sqlite_factory

KINDS = ("sqlite", "postgres")
LANGUAGES = ("python", "typescript")
WRITE_OPS = frozenset({"put", "put_writes", "delete_thread"})
READ_OPS = frozenset({"get_tuple", "list", "get"})
VERDICTS = ("equal", "changed", "unreadable", "writer-error")
REGISTRY = Path("parity") / "interop.json"
JS_INTEROP = Path("js") / "dist" / "interop.js"
Job = dict[str, Any]


def direction_name(writer: str) -> str:
    reader = LANGUAGES[1] if writer == LANGUAGES[0] else LANGUAGES[0]
    return f"{writer}->{reader}"


def interop_cases(cases: Sequence[Case]) -> list[Case]:
    """Cases that need no extended capability, write something and read something."""
    chosen = []
    for case in cases:
        ops = {step.op for step in case.steps}
        if not case.requires and ops & WRITE_OPS and ops & READ_OPS:
            chosen.append(case)
    return chosen


def raw_steps(case: Case) -> list[dict[str, Any]]:
    steps = []
    for step in case.steps:
        item: dict[str, Any] = {"op": step.op, "args": step.args}
        if step.name:
            item["as"] = step.name
        steps.append(item)
    return steps


# --- the two sides ---------------------------------------------------------------------------------------------


class PythonSide:
    """Python's SqliteSaver / PostgresSaver (sync API) in this process."""

    def __init__(self, fixtures: dict[str, Any], dsn: str | None) -> None:
        self.fixtures = fixtures
        self.dsn = dsn

    def run(self, kind: str, jobs: list[Job]) -> list[list[dict[str, Any]]]:
        return [self._job(kind, job) for job in jobs]

    def _job(self, kind: str, job: Job) -> list[dict[str, Any]]:
        if kind == "sqlite":
            factory = sqlite_factory("py-sqlite", "sync", Path(job["storage"]))
        else:
            assert self.dsn is not None
            factory = postgres_factory("py-postgres", "sync", self.dsn, job["storage"])
        session = SaverSession(factory, "sync")
        results: dict[str, dict[str, Any]] = {}
        observed: list[dict[str, Any]] = []
        try:
            for step in job["steps"]:
                observation: dict[str, Any]
                try:
                    args = decode(resolve(step["args"], self.fixtures, results))
                    observation = {"result": session.call(step["op"], args)}
                except UnresolvedReference as exc:
                    observation = {"not_run": str(exc)}
                except Exception as exc:  # noqa: BLE001 - whatever the saver raised is the observation
                    observation = observe_error(exc)
                if "as" in step:
                    results[step["as"]] = observation
                observed.append(observation)
        finally:
            session.close()
        return observed


class TypeScriptSide:
    """LangGraph JS's SqliteSaver / PostgresSaver, through js/dist/interop.js (one process per batch)."""

    def __init__(self, repo: Path, fixtures: dict[str, Any], dsn: str | None) -> None:
        script = repo / JS_INTEROP
        if not script.is_file():
            raise TargetError(f"{script} is not built: run `npm ci && npm run build` in {repo / 'js'} first")
        node = shutil.which("node")
        if node is None:
            raise TargetError("node is not on PATH; the TypeScript savers need Node.js 20+")
        self.command = [node, str(script)]
        self.fixtures = fixtures
        self.dsn = dsn

    def run(self, kind: str, jobs: list[Job]) -> list[list[dict[str, Any]]]:
        request = {"kind": kind, "dsn": self.dsn, "fixtures": self.fixtures, "jobs": jobs}
        done = subprocess.run(
            self.command, input=json.dumps(request), capture_output=True, text=True, check=False, timeout=600
        )
        if done.returncode != 0:
            raise TargetError(f"the TypeScript interop run failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
        observations: list[list[dict[str, Any]]] = json.loads(done.stdout)["observations"]
        return observations


# --- storage --------------------------------------------------------------------------------------------------


@contextmanager
def storages(kind: str, count: int, dsn: str | None) -> Iterator[list[str]]:
    """`count` fresh, empty storages of one kind (files or schemas), removed afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="checkpoint-spec-interop-"))
        try:
            yield [str(folder / f"{index}.sqlite") for index in range(count)]
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    assert dsn is not None
    names = [f"checkpoint_spec_interop_{uuid.uuid4().hex[:12]}" for _ in range(count)]
    try:
        yield names
    finally:
        import psycopg

        from ..databases.postgres_server import with_options

        with psycopg.connect(with_options(dsn), autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


# --- comparison -----------------------------------------------------------------------------------------------


@dataclass
class Read:
    kind: str
    direction: str
    case: str
    step: int
    op: str
    verdict: str
    detail: str | None
    written: dict[str, Any]
    read: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "direction": self.direction,
            "case": self.case,
            "step": self.step,
            "op": self.op,
            "verdict": self.verdict,
            "detail": self.detail,
            "written": self.written,
            "read": self.read,
        }


def judge_read(written: dict[str, Any], read: dict[str, Any]) -> tuple[str, str | None]:
    if "result" not in written:
        return "writer-error", written.get("detail") or written.get("not_run")
    if "result" not in read:
        return "unreadable", read.get("detail") or read.get("not_run")
    mismatch = match(written["result"], read["result"])
    if mismatch is None:
        return "equal", None
    return "changed", f"at {mismatch.pointer or '/'}: {mismatch.reason}"


def pending_writes_of(observation: dict[str, Any]) -> dict[str, Any]:
    """The pending writes inside a get_tuple observation, as an observation of their own."""
    if "result" not in observation:
        return observation
    found = observation["result"]
    return {"result": None if found is None else found.get("pending_writes")}


@dataclass
class InteropRun:
    reads: list[Read] = field(default_factory=list)
    cases: int = 0

    def summary(self) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
        table: dict[str, dict[str, dict[str, Counter[str]]]] = {}
        for item in self.reads:
            ops = table.setdefault(item.kind, {}).setdefault(item.direction, {})
            ops.setdefault(item.op, Counter())[item.verdict] += 1
        return {
            kind: {
                direction: {
                    op: {verdict: counts[verdict] for verdict in VERDICTS} for op, counts in sorted(ops.items())
                }
                for direction, ops in directions.items()
            }
            for kind, directions in table.items()
        }

    def groups(self) -> dict[str, list[Read]]:
        """Reads that are changed or unreadable, by `KIND DIRECTION OP VERDICT`."""
        found: dict[str, list[Read]] = {}
        for item in self.reads:
            if item.verdict in ("changed", "unreadable"):
                found.setdefault(group_key(item.kind, item.direction, item.op, item.verdict), []).append(item)
        return found


def group_key(kind: str, direction: str, op: str, verdict: str) -> str:
    return f"{kind} {direction} {op} {verdict}"


def run_interop(spec: Spec, cases: Sequence[Case], repo: Path, kinds: Sequence[str], dsn: str | None) -> InteropRun:
    chosen = interop_cases(cases)
    run = InteropRun(cases=len(chosen))
    sides: dict[str, PythonSide | TypeScriptSide] = {
        "python": PythonSide(spec.fixtures, dsn),
        "typescript": TypeScriptSide(repo, spec.fixtures, dsn),
    }
    for kind in kinds:
        for writer_language in LANGUAGES:
            reader_language = LANGUAGES[1] if writer_language == LANGUAGES[0] else LANGUAGES[0]
            writer, reader = sides[writer_language], sides[reader_language]
            direction = direction_name(writer_language)
            with storages(kind, len(chosen), dsn) as places:
                written = writer.run(
                    kind, [{"storage": s, "steps": raw_steps(c)} for s, c in zip(places, chosen, strict=True)]
                )
                reads: list[list[tuple[int, str, dict[str, Any]]]] = []
                for case, observations in zip(chosen, written, strict=True):
                    results = {step.name: obs for step, obs in zip(case.steps, observations, strict=True) if step.name}
                    final = []
                    for step in case.steps:
                        if step.op not in READ_OPS:
                            continue
                        try:
                            args = resolve(step.args, spec.fixtures, results)
                        except UnresolvedReference:
                            continue
                        final.append((step.index, step.op, {"op": step.op, "args": args}))
                    reads.append(final)
                jobs = [
                    {"storage": s, "steps": [item[2] for item in final]} for s, final in zip(places, reads, strict=True)
                ]
                reference = writer.run(kind, jobs)
                observed = reader.run(kind, jobs)
            for case, final, mine, theirs in zip(chosen, reads, reference, observed, strict=True):
                for (index, op, _), want, got in zip(final, mine, theirs, strict=True):
                    verdict, detail = judge_read(want, got)
                    run.reads.append(Read(kind, direction, case.id, index, op, verdict, detail, want, got))
                    if op == "get_tuple" and verdict in ("equal", "changed"):
                        pending_want, pending_got = pending_writes_of(want), pending_writes_of(got)
                        verdict, detail = judge_read(pending_want, pending_got)
                        run.reads.append(
                            Read(
                                kind,
                                direction,
                                case.id,
                                index,
                                "pending_writes",
                                verdict,
                                detail,
                                pending_want,
                                pending_got,
                            )
                        )
    return run


# --- the registry of findings ------------------------------------------------------------------------------------


@dataclass
class InteropRegistry:
    path: Path
    reasons: dict[str, str]


def load_registry(spec: Spec) -> InteropRegistry:
    path = spec.root / REGISTRY
    if not path.exists():
        return InteropRegistry(path, {})
    document = read_json(path)
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, dict) or not all(isinstance(v, str) for v in findings.values()):
        raise InvalidSpec([SpecError(str(path), "must hold an object `findings` of strings", "/findings")])
    problems = []
    for key, reason in findings.items():
        parts = key.split(" ")
        if len(parts) != 4 or parts[0] not in KINDS or parts[3] not in VERDICTS[1:]:
            problems.append(SpecError(str(path), "names no KIND DIRECTION OP VERDICT group", f"/findings/{key}"))
        elif not reason.strip() or reason.strip().upper().startswith("TODO"):
            problems.append(SpecError(str(path), "needs a one-sentence reason", f"/findings/{key}"))
    if problems:
        raise InvalidSpec(problems)
    return InteropRegistry(path, dict(findings))


def check_registry(run: InteropRun, registry: InteropRegistry, kinds: Sequence[str], full: bool) -> list[str]:
    """Problems: groups the registry does not record, and (on a full run) entries no read showed."""
    groups = run.groups()
    problems = [
        f"UNRECORDED {key}: {len(items)} reads, e.g. {items[0].case} step {items[0].step}: {items[0].detail}"
        for key, items in sorted(groups.items())
        if key not in registry.reasons
    ]
    if full:
        problems += [
            f"STALE {key}: recorded in {registry.path} but no read showed it"
            for key in sorted(registry.reasons)
            if key not in groups and key.split(" ")[0] in kinds
        ]
    return problems


def rewrite_registry(run: InteropRun, registry: InteropRegistry) -> int:
    groups = run.groups()
    findings = {key: registry.reasons.get(key, "TODO: say in one sentence why these reads differ.") for key in groups}
    document = {
        "description": "Storage interop findings: reads of one language's saver that do not read back equal what the "
        "other language's saver of the same kind wrote, by KIND DIRECTION OP VERDICT, each with its reason.",
        "findings": dict(sorted(findings.items())),
    }
    registry.path.parent.mkdir(parents=True, exist_ok=True)
    registry.path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return sum(1 for reason in findings.values() if reason.startswith("TODO"))


# --- reports --------------------------------------------------------------------------------------------------


def json_document(run: InteropRun, registry: InteropRegistry) -> dict[str, Any]:
    return {
        "cases": run.cases,
        "summary": run.summary(),
        "findings": [
            {"group": key, "reason": registry.reasons.get(key), "reads": [item.as_json() for item in items]}
            for key, items in sorted(run.groups().items())
        ],
    }


def terminal_lines(run: InteropRun, registry: InteropRegistry) -> list[str]:
    lines = [f"storage interop: {run.cases} cases that write and read, each direction on its own storage"]
    for kind, directions in run.summary().items():
        for direction, ops in directions.items():
            counts = ", ".join(
                f"{op} {c['equal']} equal/{c['changed']} changed/{c['unreadable']} unreadable"
                + (f"/{c['writer-error']} writer-error" if c["writer-error"] else "")
                for op, c in ops.items()
            )
            lines.append(f"  {kind} {direction}: {counts}")
    for key, items in sorted(run.groups().items()):
        if key.endswith("writer-error"):
            continue
        example = items[0]
        lines.append(
            f"  {key}: {len(items)} reads ({registry.reasons.get(key, 'not recorded')}) "
            f"e.g. {example.case} step {example.step}: {example.detail}"
        )
    return lines


def _dsn_for(kinds: Sequence[str]) -> str | None:
    if "postgres" not in kinds:
        return None
    try:
        dsn = shared_dsn()
        check_reachable(dsn)
    except (NoPostgres, PostgresUnreachable) as exc:
        raise TargetError(f"interop on postgres: {exc}") from None
    return dsn


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checkpoint_spec.parity.interop", description=__doc__)
    parser.add_argument("--spec", type=Path, default=None, help="spec folder (default: the repository's spec/)")
    parser.add_argument("--kind", action="append", choices=KINDS, help="sqlite, postgres (default: both)")
    parser.add_argument("--case", action="append", metavar="GLOB", help="only cases whose id matches")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write a JSON report")
    parser.add_argument("--update-registry", action="store_true", help=f"rewrite spec/{REGISTRY} from this run")
    args = parser.parse_args(argv)
    from ..cli import default_spec_root

    root: Path = args.spec or default_spec_root()
    kinds = args.kind or list(KINDS)
    try:
        spec = load_spec(root)
        cases = select_cases(spec, args.case)
        registry = load_registry(spec)
        run = run_interop(spec, cases, root.resolve().parent, kinds, _dsn_for(kinds))
    except InvalidSpec as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except (SpecError, TargetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in terminal_lines(run, registry):
        print(line)
    if args.json:
        from ..report import write_json_atomically

        write_json_atomically(args.json, json_document(run, registry))
    if args.update_registry:
        todo = rewrite_registry(run, registry)
        print(f"rewrote {registry.path}" + (f"; {todo} entries need a reason" if todo else ""))
        return 1 if todo else 0
    problems = check_registry(run, registry, kinds, full=not args.case)
    for line in problems:
        print(line)
    reads = [item for item in run.reads if item.verdict != "writer-error"]
    print(
        f"interop: {sum(1 for r in reads if r.verdict == 'equal')} reads equal, "
        f"{sum(1 for r in reads if r.verdict != 'equal')} differ, {len(problems)} registry problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
