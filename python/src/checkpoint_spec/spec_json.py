"""JSON text under the rules of spec/README.md section 1.1, for spec files and driver messages."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .codec import MAX_SAFE_INTEGER
from .errors import SpecError
from .lint_rules import LintRule

MAX_DEPTH = 100
_SURROGATE = re.compile("[\ud800-\udfff]")
# spec/protocol.md: a message's integer literals may be of any size up to this many digits.
MAX_MESSAGE_DIGITS = 1000
_TOO_MANY_DIGITS = 10**MAX_MESSAGE_DIGITS


class _LongLiteral(int):
    """Stands in for an integer literal too long for int() to read (Python's limit is 4300 digits)."""


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]', re.DOTALL)


def escape_token(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _integer(text: str) -> int:
    return int(text) if len(text.lstrip("-")) <= MAX_MESSAGE_DIGITS else _LongLiteral(0)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:
        # Python's limit on int() of long digit strings: read them again as out-of-range stand-ins.
        return json.loads(text, parse_int=_integer)


def parse_json(text: str, where: str, *, message: bool = False) -> Any:
    """The parsed document, or SpecError naming where and the pointer (or line and column) of the problem.

    A message (spec/protocol.md) may hold integer literals outside ±(2^53-1), up to 1000 digits: a
    TypeScript program writes a large double such as 2^64 as 18446744073709552000.
    """
    # A message is no spec file, so its problems break no lint rule.
    rule: LintRule | None = None if message else "json-reading"
    if text.startswith("\ufeff"):
        raise SpecError(where, "begins with a byte order mark (spec/README.md 1.1)", rule=rule)
    try:
        document = _loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(where, f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", rule=rule) from None
    except RecursionError:
        raise SpecError(where, _too_deep(), _deep_pointer(text), rule) from None
    problem = first_problem(document, message=message)
    if problem is not None:
        pointer, text_of_problem = problem
        raise SpecError(where, text_of_problem, pointer, rule)
    return document


def _too_deep() -> str:
    return f"arrays and objects nest more than {MAX_DEPTH} deep (spec/README.md 1.1)"


def first_problem(document: Any, *, message: bool = False) -> tuple[str, str] | None:
    """The first place, in document order, that breaks a rule of section 1.1 after parsing: (pointer, message)."""
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        value, pointer, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                return pointer, _too_deep()
            children = []
            for key, item in value.items():
                if not key.isascii() and _SURROGATE.search(key):
                    # The object's pointer: one naming the member would carry the surrogate into every message.
                    return pointer, "a member name holds a lone surrogate (spec/README.md 1.1)"
                children.append((item, f"{pointer}/{escape_token(key)}", depth + 1))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                return pointer, _too_deep()
            stack.extend((item, f"{pointer}/{index}", depth + 1) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                return pointer, "string holds a lone surrogate (spec/README.md 1.1)"
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if type(value) is _LongLiteral or (message and abs(value) >= _TOO_MANY_DIGITS):
                return pointer, f"integer literal of more than {MAX_MESSAGE_DIGITS} digits"
            if not message and abs(value) > MAX_SAFE_INTEGER:
                return pointer, 'integer literal outside ±(2^53-1); in a value write {"$int": "..."}'
        elif isinstance(value, float) and not math.isfinite(value):
            return pointer, 'number is not a finite double; in a value write {"$float": "..."}'
    return None


def _deep_pointer(text: str) -> str:
    """The pointer of the first array or object nested deeper than MAX_DEPTH, read from the text itself."""
    path: list[list[Any]] = []  # per open container: [is_object, key or index, expecting a key]
    for match in _TOKEN.finditer(text):
        token = match.group()
        top = path[-1] if path else None
        if token in "[{":
            if len(path) >= MAX_DEPTH:
                break
            path.append([token == "{", "" if token == "{" else 0, True])
        elif token in "]}":
            if path:
                path.pop()
        elif token == ",":
            if top is not None:
                if top[0]:
                    top[2] = True
                else:
                    top[1] += 1
        elif top is not None and top[0] and top[2]:
            try:
                top[1] = json.loads(token)
            except ValueError:
                top[1] = token[1:-1]
            top[2] = False
    return "".join(f"/{escape_token(frame[1])}" for frame in path)
