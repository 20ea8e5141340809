"""The mechanics every strict list shares (spec/README.md 6.3): known divergences, parity causes, interop findings.

Each entry gives a one-sentence reason, and a placeholder is no reason; an
entry that a run could have observed but did not is stale; the update
rewrites a list from a run: it drops the stale entries, keeps those the run
could not see, and proposes an entry with a TODO reason for each new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping
from typing import TypeVar

from .errors import SpecError

Entry = TypeVar("Entry")

# Unicode's White_Space characters: the same set in every language (Python's strip and ECMAScript's trim differ).
_WHITE = "[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
_EMPTY = re.compile(_WHITE)
_PLACEHOLDER = re.compile(f"{_WHITE}(?:[Tt][Oo][Dd][Oo].*)?", re.DOTALL)


def needs_reason(reason: str) -> bool:
    """Whether a reason is a placeholder: only white space, or TODO (in any case) after any white space."""
    return _PLACEHOLDER.fullmatch(reason) is not None


def missing_reasons(where: str, reasons: Iterable[tuple[str, str]], what: str = "reason") -> list[SpecError]:
    """One problem for each (pointer, reason) whose reason is a placeholder."""
    return [
        SpecError(where, f"needs a one-sentence {what}, not {_placeholder(reason)}", pointer, "reason-placeholder")
        for pointer, reason in reasons
        if needs_reason(reason)
    ]


def _placeholder(reason: str) -> str:
    return "an empty one" if _EMPTY.fullmatch(reason) else "a TODO placeholder"


def count_needing_reasons(reasons: Iterable[str]) -> int:
    return sum(1 for reason in reasons if needs_reason(reason))


def stale_keys(listed: Iterable[str], observed: Container[str], could_see: Callable[[str], bool]) -> list[str]:
    """The entries (in code point order) a run could have observed but did not."""
    return sorted(key for key in listed if could_see(key) and key not in observed)


def updated_entries(
    listed: Mapping[str, Entry],
    observed: Iterable[str],
    could_see: Callable[[str], bool],
    propose: Callable[[str, Entry | None], Entry],
) -> dict[str, Entry]:
    """The list the update writes, in code point order of its keys.

    Entries the run could not see are kept as they are; of the others, only the
    observed ones remain, each as propose(key, its old entry or None) makes it.
    """
    updated = {key: entry for key, entry in listed.items() if not could_see(key)}
    for key in observed:
        updated[key] = propose(key, listed.get(key))
    return dict(sorted(updated.items()))
