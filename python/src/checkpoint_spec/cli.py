"""The `checkpoint-spec` command line: what each command does (options.py reads the words)."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .deadlines import DEFAULT_TIMEOUT, parse_timeout
from .divergences import Judged, judge, known_path, load_known, rewrite_known
from .errors import SpecError, TargetError, exception_text, print_bad_input, quoted
from .execution import run_case
from .files import check_writable, silence_standard_streams, write_json_atomically
from .internal_error import report_internal_error
from .levels import Judging, parse_level
from .loading import Case, InvalidSpec, Spec, load_spec
from .options import UsageError, build_parser, check_words, usage
from .progress import Progress
from .recording import record
from .report import closing_lines, header, json_report, judged_only, print_run, run_passes
from .roots import default_spec_root
from .selection import select_cases
from .spec_lint import lint_spec
from .targets import BUILTIN, Target, check_target_arg, make_target

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """The exit status of one command: 0, 1 or 2 whatever happens (an internal error is 2, its details in a file)."""
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        check_words(parser, words)
        return _command(parser.parse_args(words))
    except BrokenPipeError:
        # The reader of standard output went away (`| head -1`): nothing more is said (spec/README.md 7.2).
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(usage(parser, exc.command), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:
        # argparse's --help and --version; any other status (a saver's sys.exit) is not the runner's to give.
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
            check_target_arg(args.target, args.target_arg)
        except (SpecError, TargetError) as exc:
            return print_bad_input(exc)
        return driver_main(args.target, timeout, args.target_arg)
    if args.command == "parity":
        from .parity.command import parity_main

        return parity_main(args)
    spec_root: Path = args.spec or default_spec_root()
    try:
        timeout = parse_timeout(args.timeout) if args.command != "lint" else DEFAULT_TIMEOUT
        if args.command == "lint":
            print(lint_spec(spec_root).line())
            return EXIT_OK
        check_target_arg(args.target, args.target_arg)
        spec = load_spec(spec_root)
        cases = select_cases(spec, args.case)
        judging: Judging = "all"
        if args.command == "run":
            judging = parse_level(args.level, builtin=args.target in BUILTIN)
            _check_known_options(args)
        target = make_target(args.target, "async" if args.use_async else "sync", timeout, args.target_arg)
        if args.command == "record":
            return _record(spec, cases, target, overwrite=args.overwrite, timeout=timeout)
        return _run(args, spec, cases, target, timeout, judging)
    except (InvalidSpec, SpecError, TargetError) as exc:
        return print_bad_input(exc)
    except BrokenPipeError:
        raise  # no file's error: standard output closed (main)
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


def _check_known_options(args: argparse.Namespace) -> None:
    """Before the target is made: where --update-known may write, and that a --known file to read is there."""
    if args.update_known and args.known is None and args.target not in BUILTIN:
        # A user's list belongs with the user's saver, never in the spec folder.
        raise SpecError(
            "--update-known",
            f"{quoted(args.target)} is not a built-in target, so its list is not written into the spec folder; "
            "give --known FILE",
        )
    if args.known is None:
        return
    if args.update_known:
        check_writable(args.known, "--known")  # a missing file is created
    elif not args.known.is_file():
        raise SpecError("--known", f"{args.known}: no such file")


def _run(
    args: argparse.Namespace, spec: Spec, cases: list[Case], target: Target, timeout: float, judging: Judging
) -> int:
    if args.json:
        check_writable(args.json, "--json")
    known_file = args.known or known_path(spec, target.name)
    known = load_known(known_file, target.name, spec, need_reasons=not args.update_known)
    print(header(target, spec.root, len(cases), judging))
    judged: list[Judged] = []
    with Progress(len(cases)) as progress:
        for case in cases:
            judged.extend(judge([run_case(case, target, spec, timeout)], known))
            progress.advance(not judged[-1].ok)
    print_run(judged, sys.stdout, verbose=args.verbose, judging=judging)
    if args.json:
        write_json_atomically(args.json, json_report(target, spec.root, judged, judging))
    if args.update_known:
        todo = rewrite_known(known, judged, {case.id for case in cases})
        print(f"rewrote {known_file}" + (f"; {todo} entries need a reason" if todo else ""))
        # An errored case keeps its entry as it was: this run could not say how it fails.
        errored = any(item.verdict == "errored" for item in judged_only(judged, judging))
        return EXIT_FAILED if todo or errored else EXIT_OK
    for line in closing_lines(judged, 0, judging):
        print(line)
    return EXIT_OK if run_passes(judged, judging) else EXIT_FAILED


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
    try:
        status = main()
    except SystemExit as exc:  # --help and --version, which argparse ends with
        status = exc.code if isinstance(exc.code, int) else EXIT_OK
    sys.exit(_flushed(status))


def _flushed(status: int) -> int:
    """The exit status once every output stream is written; one whose reader went away makes it output_closed()'s."""
    try:
        for stream in (sys.stdout, sys.__stdout__, sys.stderr):
            if stream is not None:
                stream.flush()
    except BrokenPipeError:
        return output_closed()
    return status


def output_closed() -> int:
    """A closed standard output ends the command quietly with exit 2 (spec/README.md 7.2): no line, no details file.

    What is left to print goes to the null device, so Python's own flush at exit does not complain either.
    """
    silence_standard_streams()
    return EXIT_BAD_INPUT
