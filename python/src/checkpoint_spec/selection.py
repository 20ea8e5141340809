"""Choosing which cases of a spec to run."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import SpecError, quoted
from .globs import GlobError, compile_glob
from .loading import Case, Spec


def select_cases(spec: Spec, patterns: Sequence[str] | None) -> list[Case]:
    """Cases whose id matches any glob (spec/README.md 7.1), in spec order; every glob must match something."""
    if not patterns:
        return list(spec.cases)
    globs = []
    for pattern in patterns:
        try:
            globs.append(compile_glob(pattern))
        except GlobError as exc:
            raise SpecError("--case", str(exc)) from None
    for glob in globs:
        if not any(glob.matches(case.id) for case in spec.cases):
            raise SpecError("--case", f"{quoted(glob.text)} matches no case id in {spec.root}")
    return [case for case in spec.cases if any(glob.matches(case.id) for glob in globs)]
