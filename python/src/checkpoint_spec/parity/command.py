"""`checkpoint-spec parity`: every case on several targets, compared, with four reports.

This module is imported when the command line is built, so it imports the
heavy parts only when the command runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SpecError, TargetError, print_bad_input
from ..roots import SPEC_HELP

if TYPE_CHECKING:
    from .targets import Driver

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_OUT = Path("reports") / "parity"
DEFAULT_TIMEOUT = 10.0


def add_parity_arguments(parser: argparse.ArgumentParser) -> None:
    from .targets import DEFAULT_TARGETS

    parser.add_argument("--spec", type=Path, default=None, metavar="DIR", help=SPEC_HELP)
    parser.add_argument(
        "--targets",
        default=",".join(DEFAULT_TARGETS),
        help=f"comma-separated targets, the first is listed first everywhere (default: {','.join(DEFAULT_TARGETS)})",
    )
    parser.add_argument("--case", action="append", metavar="GLOB", help="run only cases whose id matches")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help=f"folder for the reports (default: {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--timeout",
        default=str(DEFAULT_TIMEOUT),
        metavar="SECONDS",
        help=f"a driver that does not answer a case within this long is restarted (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--python-via-driver",
        action="store_true",
        help="run the Python targets through `checkpoint-spec driver` instead of in this process",
    )
    parser.add_argument(
        "--driver",
        action="append",
        default=[],
        metavar="NAME[@FAMILY]=COMMAND",
        help="an extra target NAME served by a driver started with COMMAND in the working folder (repeatable); it "
        "is compared with the targets of FAMILY (memory, sqlite, postgres or a name of your own), without @FAMILY "
        "with none; its start names COMMAND's --target, else NAME",
    )
    parser.add_argument(
        "--update-registry",
        action="store_true",
        help="rewrite spec/parity/registry.json from what this run observed",
    )
    parser.add_argument(
        "--interop",
        default="sqlite,postgres",
        metavar="KINDS",
        help="storage interop, a section of the reports: each language's saver of these kinds reads what the "
        "other's wrote, checked against spec/parity/interop.json (rewritten too by --update-registry); "
        "sqlite, postgres, both comma-separated (the default) or none",
    )


def _drivers(values: list[str]) -> dict[str, Driver]:
    from .targets import parse_driver

    return dict(parse_driver(value) for value in values)


@contextlib.contextmanager
def _postgres_for(names: list[str]) -> Iterator[None]:
    """CHECKPOINT_SPEC_POSTGRES_DSN for the run: the environment's, else a throwaway server while it lasts.

    Only when a postgres target is in the run; the drivers inherit the variable.
    """
    from ..databases.postgres_server import DSN_ENV, NoPostgres, ThrowawayServer
    from .targets import POSTGRES_TARGETS

    if os.environ.get(DSN_ENV) or not any(name in POSTGRES_TARGETS for name in names):
        yield
        return
    server = ThrowawayServer()
    try:
        server.start()
    except NoPostgres as exc:
        message = " ".join(str(exc).split())
        raise TargetError(f"--targets {','.join(n for n in names if n in POSTGRES_TARGETS)}: {message}") from None
    assert server.dsn is not None
    os.environ[DSN_ENV] = server.dsn
    try:
        yield
    finally:
        os.environ.pop(DSN_ENV, None)
        server.stop()


def parity_main(args: argparse.Namespace) -> int:
    from ..deadlines import parse_timeout
    from ..divergences import known_path, load_known
    from ..loading import InvalidSpec, load_spec
    from ..roots import checkout_root, default_spec_root
    from ..selection import select_cases
    from .interop.part import interop_part, run_interop_part
    from .orchestration import recompared, rewritten_causes, run_parity
    from .registry import load_parity_registry, registry_path, write_registry
    from .reports import ForeignFiles, check_writable, write_reports
    from .runners import DriverRunner, InProcessRunner, Runner
    from .targets import driver_target, families, resolve_targets

    spec_root: Path = args.spec or default_spec_root()
    repo = checkout_root()
    try:
        timeout = parse_timeout(args.timeout)
        spec = load_spec(spec_root)
        cases = select_cases(spec, args.case)
        names = [name.strip() for name in args.targets.split(",") if name.strip()]
        drivers = _drivers(args.driver)
        # A --driver is a target of the run whether or not --targets names it.
        names += [name for name in drivers if name not in names]
        definitions = resolve_targets(
            names,
            repo=repo,
            drivers=drivers,
            python_via_driver=args.python_via_driver,
        )
        try:
            check_writable(args.out)
        except OSError as exc:
            raise TargetError(f"--out {args.out}: cannot write reports there: {exc.strerror or exc}") from None
        except ForeignFiles as exc:
            raise TargetError(f"--out {args.out}: {exc}") from None
        known = {d.name: load_known(known_path(spec, d.name), d.name, spec) for d in definitions}
        registry = load_parity_registry(registry_path(spec), spec, need_reasons=not args.update_registry)
        interop = interop_part(spec, args.interop, update=args.update_registry)
    except (InvalidSpec, SpecError, TargetError) as exc:
        return print_bad_input(exc)

    # A --driver runs in the caller's working folder, where a user's saver module is; the built-in ones in the checkout.
    runners: list[Runner] = [
        InProcessRunner(d.name, spec)
        if d.command is None
        else DriverRunner(
            d.name,
            d.command,
            spec,
            cwd=Path.cwd() if d.name in drivers else repo,
            timeout=timeout,
            target=driver_target(d.name, d.command) if d.name in drivers else d.name,
        )
        for d in definitions
    ]
    family_of = families(definitions)
    for family in dict.fromkeys(family_of.values()):
        members = [name for name, found in family_of.items() if found == family]
        if len(members) == 1 and len(definitions) > 1:
            print(
                f"note: {members[0]} is the only target of family {family}: it is judged against the spec "
                "and compared with no other target",
                file=sys.stderr,
            )
    try:
        with _postgres_for(names):
            run = run_parity(
                spec, cases, runners, known=known, registry=registry, families=family_of, every_case=not args.case
            )
            section, notes = (
                run_interop_part(interop, cases, full=not args.case, update=args.update_registry)
                if interop is not None
                else (None, [])
            )
    except TargetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    todo = 0
    if args.update_registry:
        todo = write_registry(registry, rewritten_causes(registry, run))
        run = recompared(run, registry, spec, every_case=not args.case)
        print(f"rewrote {registry.path}" + (f"; {todo} causes need a name and an explanation" if todo else ""))
    for note in notes:
        print(note)
    try:
        written = write_reports(run, args.out, section)
    except OSError as exc:
        print(f"error: --out {args.out}: cannot write reports there: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(written["summary.txt"].read_text(encoding="utf-8"))
    interop_ok = section is None or section["ok"]
    return EXIT_OK if run.ok and interop_ok and not todo else EXIT_FAILED
