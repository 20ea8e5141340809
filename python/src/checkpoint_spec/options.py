"""The command line's commands and options, and the usage errors of spec/README.md 7.2.

argparse holds the table (each command's options, their help) and builds the
namespace; the words are first checked here against that table, so that every
usage error is the one line 7.2 gives, the same as the TypeScript runner's.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .deadlines import DEFAULT_TIMEOUT
from .errors import SpecError
from .roots import SPEC_HELP
from .targets import BUILTIN
from .versions import version_line

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

TOOL = "checkpoint-spec"
# A word that cannot be an option's value (7.2 rule 7): it looks like an option itself.
_OPTION_LIKE = re.compile(r"--?[A-Za-z]")
# The metavar of an option whose value names a file or a folder, which cannot be empty (7.2 rule 8).
_NAMES = {"FILE": "file", "DIR": "folder"}


class UsageError(SpecError):
    """A bad command line: `where` is the option or word to blame; `command` picks the usage to show."""

    def __init__(self, where: str, message: str, command: str | None) -> None:
        super().__init__(where, message)
        self.command = command


class _Parser(argparse.ArgumentParser):
    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse ignores a write that fails; a closed standard output ends the command (cli.output_closed).
        if message:
            (file or sys.stderr).write(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=TOOL, description="Run the LangGraph checkpoint spec.", allow_abbrev=False)
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, allow_abbrev=False)

    def spec_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--spec", type=Path, default=None, metavar="DIR", help=SPEC_HELP)

    def target_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--target", required=True, help=f"built-in target ({', '.join(BUILTIN)}) or module.path:factory"
        )
        sub.add_argument(
            "--target-arg",
            metavar="VALUE",
            help="with module.path:factory, call the factory with VALUE as its one argument (a connection string)",
        )

    def timeout_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--timeout",
            default=str(DEFAULT_TIMEOUT),
            metavar="SECONDS",
            help="the longest one step of a case may take, making and closing its saver included; "
            f"a step that takes longer makes its case errored (default: {DEFAULT_TIMEOUT:g})",
        )

    def targeted(sub: argparse.ArgumentParser) -> None:
        spec_option(sub)
        target_option(sub)
        sub.add_argument(
            "--async",
            dest="use_async",
            action="store_true",
            help="with module.path:factory, drive the saver's async API",
        )
        sub.add_argument("--case", action="append", metavar="GLOB", help="run only cases whose id matches")
        timeout_option(sub)

    run = command("run", "run the spec on a target")
    targeted(run)
    run.add_argument(
        "--level",
        metavar="LEVEL",
        help="judge the contract, reference or all cases; the others run and are shown beside "
        "(default: all for a built-in target, contract for module.path:factory)",
    )
    run.add_argument("--json", type=Path, metavar="FILE", help="also write a JSON report")
    run.add_argument(
        "--known", type=Path, metavar="FILE", help="known-divergence file (default: spec/known-divergences/TARGET.json)"
    )
    run.add_argument(
        "--update-known", action="store_true", help="rewrite the known-divergence file from what this run observed"
    )
    run.add_argument("-v", "--verbose", action="store_true", help="also list skipped cases")

    rec = command("record", "write expectations of a new case from what a target observes")
    targeted(rec)
    rec.add_argument("--overwrite", action="store_true", help="replace expectations that are already there")

    spec_option(command("lint", "validate every spec file (schema and semantic lint)"))

    driver = command("driver", "serve spec/protocol.md on stdin/stdout for one target")
    target_option(driver)
    timeout_option(driver)

    from .parity.command import add_parity_arguments

    add_parity_arguments(command("parity", "run every case on several targets and compare them"))
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the parser has no commands")


def _options(sub: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {name: action for action in sub._actions for name in action.option_strings}


def check_words(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """The first usage error of 7.2 in argv, raised as UsageError; nothing when argparse may take the words."""
    commands = _subcommands(parser)
    names = ", ".join(commands)
    if not argv:
        raise UsageError("COMMAND", f"missing: give one of {names}", None)
    first = argv[0]
    if first in ("-h", "--help", "--version"):
        return
    if first.startswith("-"):
        raise UsageError(first.split("=")[0], f"comes before the command: options follow one of {names}", None)
    if first not in commands:
        raise UsageError(first, f"unknown command (the commands are {names})", None)
    if _check_options(commands, first, iter(argv[1:])):
        return
    for action in commands[first]._actions:
        given = set(action.option_strings)
        if action.required and not any(word.split("=")[0] in given for word in argv[1:]):
            raise UsageError(action.option_strings[-1], f"required by {first}", first)


def _check_options(commands: dict[str, argparse.ArgumentParser], command: str, words: Iterator[str]) -> bool:
    """Rules 4 to 8 of 7.2 on the words after the command; True when --help comes first."""
    options = _options(commands[command])
    for word in words:
        if word == "--":
            for rest in words:
                raise UsageError(rest, f"unexpected argument to {command}", command)
            return False
        if not word.startswith("-") or word == "-":
            raise UsageError(word, f"unexpected argument to {command}", command)
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        action = options.get(name)
        if action is None:
            raise UsageError(name, _not_an_option(commands, name, command), command)
        if isinstance(action, argparse._HelpAction):
            return True
        if action.nargs == 0:
            if equals:
                raise UsageError(name, "takes no value", command)
            continue
        if not equals:
            following = next(words, None)
            if following is None or _OPTION_LIKE.match(following):
                raise UsageError(name, "needs a value", command)
            value = following
        kind = _NAMES.get(str(action.metavar))
        if kind is not None and value == "":
            raise UsageError(name, f"needs a {kind} name", command)
    return False


def _not_an_option(commands: dict[str, argparse.ArgumentParser], name: str, command: str) -> str:
    owners = [other for other, sub in commands.items() if name in _options(sub)]
    return f"an option of {' and '.join(owners)}, not of {command}" if owners else f"not an option of {command}"


def usage(parser: argparse.ArgumentParser, command: str | None) -> str:
    """The usage shown after a usage error: the command's, or the tool's."""
    sub = parser if command is None else _subcommands(parser)[command]
    return sub.format_usage().rstrip() + f"\n({TOOL} --help describes every command)"
