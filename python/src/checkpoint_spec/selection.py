"""Choosing which cases of a spec to run."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase

from .errors import SpecError, quoted
from .loading import Case, Spec


def select_cases(spec: Spec, patterns: Sequence[str] | None) -> list[Case]:
    """Cases whose id matches any glob; every glob must match something."""
    if not patterns:
        return list(spec.cases)
    for pattern in patterns:
        if not any(fnmatchcase(case.id, pattern) for case in spec.cases):
            raise SpecError("--case", f"{quoted(pattern)} matches no case id in {spec.root}")
    return [case for case in spec.cases if any(fnmatchcase(case.id, p) for p in patterns)]
