"""The `checkpoint-spec` command line."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .deadlines import DEFAULT_TIMEOUT, parse_timeout
from .divergences import judge, known_path, load_known, rewrite_known
from .errors import SpecError, TargetError, exception_text, print_bad_input
from .execution import run_case
from .files import check_writable, write_json_atomically
from .internal_error import report_internal_error
from .loading import Case, InvalidSpec, Spec, load_spec
from .recording import record
from .report import closing_lines, header, json_report, print_run
from .roots import default_spec_root
from .selection import select_cases
from .spec_lint import lint_spec
from .targets import BUILTIN, Target, make_target

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


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
        bounded(sub)

    def bounded(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--timeout",
            default=str(DEFAULT_TIMEOUT),
            metavar="SECONDS",
            help="the longest one step of a case may take, making and closing its saver included; "
            f"a step that takes longer makes its case errored (default: {DEFAULT_TIMEOUT:g})",
        )

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
    bounded(driver)

    from .parity.command import add_parity_arguments

    add_parity_arguments(commands.add_parser("parity", help="run every case on several targets and compare them"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The exit status of one command: 0, 1 or 2 whatever happens (an internal error is 2, its details in a file)."""
    try:
        return _command(_parser().parse_args(argv))
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:
        # argparse's usage errors and --help; any other status (a saver's sys.exit) is not the runner's to give.
        if exc.code in (None, EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT):
            raise
        return report_internal_error(exc)
    except Exception as exc:  # noqa: BLE001 - a bug of the runner: one line, the traceback in a file
        return report_internal_error(exc)


def _command(args: argparse.Namespace) -> int:
    if args.command == "driver":
        from .driver import main as driver_main

        try:
            timeout = parse_timeout(args.timeout)
        except SpecError as exc:
            return print_bad_input(exc)
        return driver_main(args.target, timeout)
    if args.command == "parity":
        from .parity.command import parity_main

        return parity_main(args)
    spec_root: Path = args.spec or default_spec_root()
    try:
        timeout = parse_timeout(args.timeout) if args.command != "lint" else DEFAULT_TIMEOUT
        if args.command == "lint":
            print(lint_spec(spec_root).line())
            return EXIT_OK
        spec = load_spec(spec_root)
        cases = select_cases(spec, args.case)
        target = make_target(args.target, "async" if args.use_async else "sync", timeout)
        if args.command == "record":
            return _record(spec, cases, target, overwrite=args.overwrite, timeout=timeout)
        return _run(args, spec, cases, target, timeout)
    except (InvalidSpec, SpecError, TargetError) as exc:
        return print_bad_input(exc)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exception_text(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _record(spec: Spec, cases: list[Case], target: Target, *, overwrite: bool, timeout: float) -> int:
    recorded = record(spec, cases, target, overwrite=overwrite, timeout=timeout)
    for result in recorded.errored:
        print(f"ERROR {result.case.id} ({result.case.where}): {result.reason}")
    for path, count in recorded.written.items():
        print(f"{path}: wrote {count} expectations; review them before committing")
    return EXIT_FAILED if recorded.errored else EXIT_OK


def _run(args: argparse.Namespace, spec: Spec, cases: list[Case], target: Target, timeout: float) -> int:
    if args.known is not None and not args.known.is_file():
        raise SpecError("--known", f"{args.known}: no such file")
    if args.json:
        check_writable(args.json, "--json")
    known_file = args.known or known_path(spec, target.name)
    known = load_known(known_file, target.name, spec, need_reasons=not args.update_known)
    print(header(target, spec.root, len(cases)))
    judged = judge((run_case(case, target, spec, timeout) for case in cases), known)
    print_run(judged, sys.stdout, verbose=args.verbose)
    if args.json:
        write_json_atomically(args.json, json_report(target, spec.root, judged))
    if args.update_known:
        todo = rewrite_known(known, judged, {case.id for case in cases})
        print(f"rewrote {known_file}" + (f"; {todo} entries need a reason" if todo else ""))
        # An errored case keeps its entry as it was: this run could not say how it fails.
        errored = any(item.verdict == "errored" for item in judged)
        return EXIT_FAILED if todo or errored else EXIT_OK
    for line in closing_lines(judged, 0):
        print(line)
    return EXIT_OK if all(item.ok for item in judged) else EXIT_FAILED


def _terminated(number: int, frame: object) -> None:
    # Unwinds like Ctrl-C, so savers, drivers and servers are stopped on the way out.
    raise KeyboardInterrupt


def entry() -> None:
    # Whatever text a saver returns (a lone surrogate, say) can be printed.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    signal.signal(signal.SIGTERM, _terminated)
    sys.exit(main())
