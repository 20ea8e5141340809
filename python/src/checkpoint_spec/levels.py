"""Which level a run judges (spec/README.md 6.4); each case's own level is in its file (1.2)."""

from __future__ import annotations

from typing import Literal

from .errors import SpecError, quoted

Level = Literal["contract", "reference"]
Judging = Literal["contract", "reference", "all"]
LEVELS: tuple[Level, ...] = ("contract", "reference")
JUDGINGS: tuple[Judging, ...] = ("contract", "reference", "all")


def parse_level(text: str | None, *, builtin: bool, option: str = "--level") -> Judging:
    """The level a run judges: the option's, else all for a built-in target and the contract for a user's."""
    if text is None:
        return "all" if builtin else "contract"
    for judging in JUDGINGS:
        if text == judging:
            return judging
    raise SpecError(option, f"must be contract, reference or all, not {quoted(text)}")


def is_judged(level: str, judging: Judging) -> bool:
    return judging == "all" or level == judging
