"""Running storage interop: writer's saver writes, then the writer's and the reader's savers read the final state.

For each kind (SQLite, PostgreSQL) and direction (Python writes and TypeScript
reads, and the reverse), every spec case that writes (put, put_writes,
delete_thread) and reads (get_tuple, list, get) runs like this on storage of its
own (a SQLite file, a PostgreSQL schema):

1. the writer's saver runs all the case's steps;
2. the case's read steps, their references resolved against what the writer
   observed, run again on the final state, once with the writer's saver (what
   the data should read back as) and once with the reader's;
3. each read is `equal` (the two observations are the same), `changed` (both
   read, but something differs: the first pointer), or `unreadable` (the reader
   raised: the error). Reads where the writer's own saver already raised are
   `writer-error` and compared no further. The pending writes inside get_tuple
   results are also judged on their own, as the operation `pending_writes`.

A kind that cannot run at all (no PostgreSQL server, the TypeScript process
failed) is recorded in `InteropRun.errors` and the other kinds go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ...databases.dsn import DSN_ENV, InvalidDsn, redact
from ...databases.postgres_server import NoPostgres, PostgresUnreachable, check_reachable, shared_dsn
from ...errors import TargetError
from ...loading import Case, Spec
from ...matching import match
from ...references import UnresolvedReference, resolve
from .model import LANGUAGES, READ_OPS, WRITE_OPS, InteropRun, Read, direction_name, other_language
from .sides import PythonSide, Side, TypeScriptSide
from .storage import storages


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


def postgres_dsn() -> str:
    """The shared DSN (CHECKPOINT_SPEC_POSTGRES_DSN or a throwaway server); TargetError when there is none."""
    try:
        dsn = shared_dsn()
        check_reachable(dsn)
    except InvalidDsn as exc:
        raise TargetError(f"{DSN_ENV}: {exc}") from None
    except (NoPostgres, PostgresUnreachable) as exc:
        raise TargetError(str(exc)) from None
    return dsn


def _final_reads(
    case: Case, observations: list[dict[str, Any]], fixtures: dict[str, Any]
) -> list[tuple[int, str, Any]]:
    """The case's read steps, references resolved against what the writer observed: (index, op, step)."""
    results = {step.name: obs for step, obs in zip(case.steps, observations, strict=True) if step.name}
    final = []
    for step in case.steps:
        if step.op not in READ_OPS:
            continue
        try:
            args = resolve(step.args, fixtures, results)
        except UnresolvedReference:
            continue
        final.append((step.index, step.op, {"op": step.op, "args": args}))
    return final


def _direction(
    kind: str,
    writer_language: str,
    sides: dict[str, Side],
    chosen: list[Case],
    fixtures: dict[str, Any],
    dsn: str | None,
) -> list[Read]:
    writer, reader = sides[writer_language], sides[other_language(writer_language)]
    direction = direction_name(writer_language)
    with storages(kind, len(chosen), dsn) as places:
        jobs = [{"storage": s, "steps": raw_steps(c)} for s, c in zip(places, chosen, strict=True)]
        written = writer.run(kind, jobs, dsn)
        finals = [_final_reads(case, obs, fixtures) for case, obs in zip(chosen, written, strict=True)]
        jobs = [{"storage": s, "steps": [item[2] for item in f]} for s, f in zip(places, finals, strict=True)]
        reference = writer.run(kind, jobs, dsn)
        observed = reader.run(kind, jobs, dsn)
    reads: list[Read] = []
    for case, final, mine, theirs in zip(chosen, finals, reference, observed, strict=True):
        if len(mine) != len(final) or len(theirs) != len(final):
            raise TargetError(f"case {case.id}: a side answered a different number of reads than it was given")
        for (index, op, _), want, got in zip(final, mine, theirs, strict=True):
            verdict, detail = judge_read(want, got)
            reads.append(Read(kind, direction, case.id, index, op, verdict, detail, want, got))
            if op == "get_tuple" and verdict in ("equal", "changed"):
                want_pending, got_pending = pending_writes_of(want), pending_writes_of(got)
                verdict, detail = judge_read(want_pending, got_pending)
                reads.append(
                    Read(kind, direction, case.id, index, "pending_writes", verdict, detail, want_pending, got_pending)
                )
    return reads


def run_interop(
    spec: Spec,
    cases: Sequence[Case],
    repo: Path,
    kinds: Sequence[str],
    dsn: str | None = None,
    *,
    typescript: Side | None = None,
    find_dsn: Callable[[], str] = postgres_dsn,
) -> InteropRun:
    """Every interop case, per kind and direction. `typescript` replaces js/dist/interop.js (tests)."""
    chosen = interop_cases(cases)
    run = InteropRun(kinds=list(kinds), cases=len(chosen))
    sides: dict[str, Side] = {
        "python": PythonSide(spec.fixtures),
        "typescript": typescript or TypeScriptSide(repo, spec.fixtures),
    }
    for kind in kinds:
        kind_dsn: str | None = None
        try:
            kind_dsn = (dsn or find_dsn()) if kind == "postgres" else None
            found: list[Read] = []
            for writer_language in LANGUAGES:
                found += _direction(kind, writer_language, sides, chosen, spec.fixtures, kind_dsn)
        except TargetError as exc:
            # What the TypeScript side says may name the DSN it was given.
            run.errors[kind] = redact(str(exc), kind_dsn) if kind_dsn else str(exc)
            continue
        run.reads += found
    return run
