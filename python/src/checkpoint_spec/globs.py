"""Case id globs (spec/README.md 7.1): a glob compiled once into a matcher of whole ids.

No regular expression: a class is a set of characters and ranges, and the
matcher retries only from the last `*`, so matching costs at most the product
of the two lengths whatever the glob.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import quoted

MAX_GLOB_LENGTH = 1000  # characters (code points); case ids are at most 100


class GlobError(Exception):
    """A glob outside the grammar of 7.1; the message quotes the glob."""


@dataclass(frozen=True)
class _Class:
    negated: bool
    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]

    def accepts(self, char: str) -> bool:
        inside = char in self.chars or any(low <= char <= high for low, high in self.ranges)
        return inside != self.negated


class _Any:
    """`?`: any one character."""


class _Star:
    """`*`: any run of characters, none included."""


_ANY = _Any()
_STAR = _Star()
_Token = str | _Class | _Any | _Star


def _class(glob: str, negated: bool, body: list[str]) -> _Class:
    """The class of a bracket's body (what lies between `[` or `[!` and the closing `]`), read left to right."""
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    k = 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            low, high = body[k], body[k + 2]
            if high < low:
                raise GlobError(f"{quoted(glob)}: the range {low}-{high} ends before it starts")
            ranges.append((low, high))
            k += 3
        else:
            chars.add(body[k])
            k += 1
    return _Class(negated, frozenset(chars), tuple(ranges))


def _one(token: _Token, char: str) -> bool:
    if isinstance(token, str):
        return token == char
    if isinstance(token, _Class):
        return token.accepts(char)
    return True


class Glob:
    """A compiled glob; `matches` says whether a whole id matches it."""

    def __init__(self, text: str, tokens: tuple[_Token, ...]) -> None:
        self.text = text
        self._tokens = tokens

    def matches(self, text: str) -> bool:
        tokens = self._tokens
        t = c = 0
        star = -1
        resume = 0
        while c < len(text):
            token = tokens[t] if t < len(tokens) else None
            if token is _STAR:
                star, resume = t, c
                t += 1
            elif token is not None and _one(token, text[c]):
                t += 1
                c += 1
            elif star >= 0:
                # Let the last star take one more character and go on from there.
                resume += 1
                c = resume
                t = star + 1
            else:
                return False
        while t < len(tokens) and tokens[t] is _STAR:
            t += 1
        return t == len(tokens)


def _bracket_end(chars: list[str], start: int) -> int:
    """Where the class whose body starts at `start` closes; len(chars) when it does not."""
    # A `]` first in the class is one of its characters, not its end.
    close = start + 1 if start < len(chars) and chars[start] == "]" else start
    while close < len(chars) and chars[close] != "]":
        close += 1
    return close


def compile_glob(glob: str) -> Glob:
    """The matcher of a glob; GlobError when it is longer than MAX_GLOB_LENGTH or outside the grammar."""
    if len(glob) > MAX_GLOB_LENGTH:
        raise GlobError(f"a glob of {len(glob)} characters; at most {MAX_GLOB_LENGTH} are accepted")
    chars = list(glob)
    tokens: list[_Token] = []
    i = 0
    while i < len(chars):
        char = chars[i]
        if char == "*":
            if not tokens or tokens[-1] is not _STAR:
                tokens.append(_STAR)
        elif char == "?":
            tokens.append(_ANY)
        elif char == "[":
            negated = chars[i + 1 : i + 2] == ["!"]
            start = i + 2 if negated else i + 1
            close = _bracket_end(chars, start)
            if close == len(chars):
                raise GlobError(f"{quoted(glob)}: the [ at character {i + 1} is not closed")
            tokens.append(_class(glob, negated, chars[start:close]))
            i = close
        else:
            tokens.append(char)
        i += 1
    return Glob(glob, tuple(tokens))
