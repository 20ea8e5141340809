"""Errors that the command line reports as one clear line, never a traceback."""

from __future__ import annotations

import json
import re
import sys

from .lint_rules import LintRule

# What would break an error line: control characters, line and paragraph separators, lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """text with every character that could break or garble its line written as \\uXXXX."""
    return _UNPRINTABLE.sub(lambda found: f"\\u{ord(found.group()):04X}", text)


def quoted(text: str) -> str:
    """A value inside an error message, as a JSON string (spec/README.md 7.2)."""
    return json.dumps(text, ensure_ascii=False)


class SpecError(Exception):
    """Bad input: names the file (or option) and the JSON pointer of the problem, and the lint rule it breaks."""

    def __init__(self, where: str, message: str, pointer: str | None = None, rule: LintRule | None = None) -> None:
        self.where = where
        self.pointer = pointer
        self.message = message
        # A spec file's problem names its lint rule (spec/README.md 7.3); an option's problem has none.
        self.rule = rule
        super().__init__(str(self))

    def __str__(self) -> str:
        location = self.where if self.pointer is None else f"{self.where}#{self.pointer}"
        suffix = "" if self.rule is None else f" [{self.rule}]"
        return one_line(f"{location}: {self.message}{suffix}")


class TargetError(Exception):
    """A target that cannot be named, imported or built."""


def exception_text(exc: BaseException) -> str:
    """`Type: message`, never with an empty message (an OSError() or a bare exception has none)."""
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message or '(no message)'}"


def print_bad_input(exc: Exception) -> int:
    """One `error:` line per problem on standard error; the exit status for bad input (2)."""
    for problem in getattr(exc, "problems", None) or [exc]:
        print(f"error: {one_line(str(problem))}", file=sys.stderr)
    return 2
