"""The `$regex` subset of spec/README.md section 2.3: its grammar and bounds, and matching with RE2."""

from __future__ import annotations

from typing import Any

import re2

MAX_LENGTH = 1000
MAX_GROUP_DEPTH = 32
MAX_COUNT = 1000
_SYNTAX = frozenset("\\.[](){}*+?|^$/")
_NOT_LITERAL = frozenset("\\.[](){}*+?|^$")
_CLASS_ESCAPES = frozenset("dDwW")
_ESCAPES = _CLASS_ESCAPES | frozenset("nrt") | _SYNTAX
_SINGLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "-": "-"} | {char: char for char in _SYNTAX}


class _Outside(Exception):
    """The pattern leaves the subset; the message says where and how."""


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def peek(self, ahead: int = 0) -> str:
        index = self.at + ahead
        return self.text[index] if index < len(self.text) else ""

    def fail(self, message: str) -> _Outside:
        return _Outside(f"{message} at position {self.at + 1}")

    def pattern(self, depth: int) -> int:
        """pattern = branch *("|" branch); returns the largest count product inside it."""
        product = self.branch(depth)
        while self.peek() == "|":
            self.at += 1
            product = max(product, self.branch(depth))
        return product

    def branch(self, depth: int) -> int:
        product = 1
        while self.peek() not in ("", "|", ")"):
            product = max(product, self.piece(depth))
        return product

    def piece(self, depth: int) -> int:
        inner = self.atom(depth)
        count = self.quantifier()
        product = inner * count
        if product > MAX_COUNT:
            raise self.fail(f"nested counted repetitions multiply to more than {MAX_COUNT}")
        return product

    def quantifier(self) -> int:
        """The count this quantifier multiplies by (1 for * + ?, none for no quantifier)."""
        char = self.peek()
        if char in ("*", "+", "?"):
            self.at += 1
            count = 1
        elif char == "{":
            self.at += 1
            low = self.count()
            high = low
            if self.peek() == ",":
                self.at += 1
                high = self.count() if self.peek() != "}" else low
                if high < low:
                    raise self.fail("a {n,m} quantifier needs n <= m")
            if self.peek() != "}":
                raise self.fail("a { that does not make a {n}, {n,} or {n,m} quantifier must be escaped")
            self.at += 1
            count = max(low, high, 1)  # {0} does not shorten a chain (spec/README.md 2.3)
        else:
            return 1
        if self.peek() == "?":
            self.at += 1
        if self.peek() in ("*", "+", "?", "{"):
            raise self.fail("a quantifier may not follow a quantifier (possessive and repeated ones are outside)")
        return count

    def count(self) -> int:
        start = self.at
        while self.peek().isascii() and self.peek().isdigit():
            self.at += 1
        digits = self.text[start : self.at]
        if not digits or (len(digits) > 1 and digits[0] == "0"):
            raise self.fail("a repetition count is a decimal number without leading zeros")
        if len(digits) > 4 or int(digits) > MAX_COUNT:
            raise self.fail(f"a repetition count is at most {MAX_COUNT}")
        return int(digits)

    def atom(self, depth: int) -> int:
        char = self.peek()
        if char == "(":
            if depth >= MAX_GROUP_DEPTH:
                raise self.fail(f"groups nest at most {MAX_GROUP_DEPTH} deep")
            self.at += 1
            if self.peek() == "?":
                if self.peek(1) != ":":
                    raise self.fail("only ( ) and (?: ) groups are in the subset")
                self.at += 2
            product = self.pattern(depth + 1)
            if self.peek() != ")":
                raise self.fail("a group is not closed")
            self.at += 1
            return product
        if char == "[":
            self.character_class()
            return 1
        if char == "\\":
            escaped = self.peek(1)
            if escaped not in _ESCAPES or not escaped:
                raise self.fail(f"the escape \\{escaped} is outside the subset")
            self.at += 2
            return 1
        if char == ".":
            self.at += 1
            return 1
        if char in _NOT_LITERAL:
            raise self.fail(f"{char} must be escaped to be literal here")
        self.at += 1
        return 1

    def character_class(self) -> None:
        self.at += 1
        if self.peek() == "^":
            self.at += 1
        items = 0
        while self.peek() != "]":
            if self.peek() == "":
                raise self.fail("a character class is not closed")
            if self.peek() == "\\" and self.peek(1) in _CLASS_ESCAPES and self.peek(1):
                self.at += 2
            else:
                low = self.single()
                if self.peek() == "-":
                    self.at += 1
                    high = self.single()
                    if ord(high) < ord(low):
                        raise self.fail("a range's ends must be in code point order")
            items += 1
        if items == 0:
            raise self.fail("a character class may not be empty")
        self.at += 1

    def single(self) -> str:
        char = self.peek()
        if char == "\\":
            escaped = self.peek(1)
            if escaped not in _SINGLE_ESCAPES or not escaped:
                raise self.fail(f"the escape \\{escaped} is outside the subset inside a class")
            self.at += 2
            return _SINGLE_ESCAPES[escaped]
        if char in ("", "[", "]", "-"):
            raise self.fail(f"{char or 'the end'} is not a class member here ([ ] and - are escaped)")
        self.at += 1
        return char


def regex_problem(pattern: str) -> str | None:
    """Why pattern is outside the subset of spec/README.md section 2.3, or None."""
    if len(pattern) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    parser = _Parser(pattern)
    try:
        parser.pattern(0)
        if parser.at != len(pattern):
            raise parser.fail("a lone ) must be escaped")
    except _Outside as exc:
        return str(exc)
    return None


_OPTIONS = re2.Options()
_OPTIONS.dot_nl = True
_OPTIONS.log_errors = False
_compiled: dict[str, Any] = {}


def full_match(pattern: str, text: str) -> bool:
    """Whether pattern (inside the subset) matches all of text, in time linear in its length."""
    compiled = _compiled.get(pattern)
    if compiled is None:
        compiled = _compiled[pattern] = re2.compile(pattern, _OPTIONS)
    try:
        return compiled.fullmatch(text) is not None
    except UnicodeEncodeError:
        return False
