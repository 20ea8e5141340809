"""The `checkpoint-spec` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .divergences import judge, known_path, load_known, rewrite_known
from .errors import SpecError, TargetError, print_bad_input
from .execution import run_case
from .files import check_writable, write_json_atomically
from .loading import Case, InvalidSpec, Spec, lint_schemas_and_strays, lint_selftest, load_spec
from .recording import record
from .report import closing_lines, header, json_report, print_run
from .selection import select_cases
from .targets import BUILTIN, Target, make_target

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def default_spec_root() -> Path:
    """The repository's spec/ when run from a checkout, else ./spec."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "spec" / "cases").is_dir():
            return parent / "spec"
    return Path("spec")


def checkout_root() -> Path:
    """The checkout this package runs from: where js/ (the TypeScript drivers) is built, whatever --spec says."""
    return default_spec_root().resolve().parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="checkpoint-spec", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--spec", type=Path, default=None, help="spec folder (default: the repository's spec/)")

    def targeted(sub: argparse.ArgumentParser) -> None:
        common(sub)
        sub.add_argument(
            "--target", required=True, help=f"built-in target ({', '.join(BUILTIN)}) or module.path:factory"
        )
        sub.add_argument(
            "--async",
            dest="use_async",
            action="store_true",
            help="with module.path:factory, drive the saver's async API",
        )
        sub.add_argument("--case", action="append", metavar="GLOB", help="run only cases whose id matches")

    run = commands.add_parser("run", help="run the spec on a target")
    targeted(run)
    run.add_argument("--json", type=Path, metavar="FILE", help="also write a JSON report")
    run.add_argument(
        "--known", type=Path, metavar="FILE", help="known-divergence file (default: spec/known-divergences/TARGET.json)"
    )
    run.add_argument(
        "--update-known", action="store_true", help="rewrite the known-divergence file from what this run observed"
    )
    run.add_argument("-v", "--verbose", action="store_true", help="also list skipped cases")

    rec = commands.add_parser("record", help="write expectations of a new case from what a target observes")
    targeted(rec)
    rec.add_argument("--overwrite", action="store_true", help="replace expectations that are already there")

    lint = commands.add_parser("lint", help="validate every spec file (schema and semantic lint)")
    common(lint)

    driver = commands.add_parser("driver", help="serve spec/protocol.md on stdin/stdout for one target")
    driver.add_argument(
        "--target", required=True, help=f"built-in target ({', '.join(BUILTIN)}) or module.path:factory"
    )

    from .parity.command import add_parity_arguments

    add_parity_arguments(commands.add_parser("parity", help="run every case on several targets and compare them"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "driver":
        from .driver import main as driver_main

        return driver_main(args.target)
    if args.command == "parity":
        from .parity.command import parity_main

        return parity_main(args)
    spec_root: Path = args.spec or default_spec_root()
    try:
        spec = load_spec(spec_root)
        if args.command == "lint":
            known = sorted((spec_root / "known-divergences").glob("*.json"))
            for path in known:
                load_known(path, path.stem, spec)
            from .parity.interop.findings import load_registry as load_interop_findings
            from .parity.registry import lint_registry

            entries = lint_registry(spec)
            findings = len(load_interop_findings(spec).reasons)
            selftest = lint_selftest(spec_root)
            files = lint_schemas_and_strays(spec_root)
            scenarios = sum(1 for case in spec.cases if case.graph is not None)
            print(
                f"{files} files are valid: {len(spec.cases) - scenarios} cases, {scenarios} scenarios, "
                f"{len(spec.fixtures)} fixtures, {len(known)} known-divergence files, {entries} parity causes, "
                f"{findings} interop findings and {selftest} self-test files"
            )
            return EXIT_OK
        cases = select_cases(spec, args.case)
        target = make_target(args.target, "async" if args.use_async else "sync")
        if args.command == "record":
            written = record(spec, cases, target, overwrite=args.overwrite)
            for path, count in written.items():
                print(f"{path}: wrote {count} expectations; review them before committing")
            return EXIT_OK
        return _run(args, spec, cases, target)
    except (InvalidSpec, SpecError, TargetError) as exc:
        return print_bad_input(exc)
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _run(args: argparse.Namespace, spec: Spec, cases: list[Case], target: Target) -> int:
    if args.known is not None and not args.known.is_file():
        raise SpecError("--known", f"{args.known}: no such file")
    if args.json:
        check_writable(args.json, "--json")
    known_file = args.known or known_path(spec, target.name)
    known = load_known(known_file, target.name, spec, need_reasons=not args.update_known)
    print(header(target, spec.root, len(cases)))
    judged = judge((run_case(case, target, spec) for case in cases), known)
    print_run(judged, sys.stdout, verbose=args.verbose)
    if args.json:
        write_json_atomically(args.json, json_report(target, spec.root, judged))
    if args.update_known:
        todo = rewrite_known(known, judged, {case.id for case in cases})
        print(f"rewrote {known_file}" + (f"; {todo} entries need a reason" if todo else ""))
        return EXIT_FAILED if todo else EXIT_OK
    for line in closing_lines(judged, 0):
        print(line)
    return EXIT_OK if all(item.ok for item in judged) else EXIT_FAILED


def entry() -> None:
    sys.exit(main())
