"""Storage interop as a part of a run: checked up front (bad input), then run, checked against its findings file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ... import roots
from ...errors import TargetError, quoted
from ...loading import Case, Spec
from ...strict_lists import needs_reason
from .findings import InteropRegistry, check_registry, load_interop_findings, rewrite_registry
from .model import KINDS
from .running import run_interop
from .section import interop_section
from .sides import Side, TypeScriptSide

NO_KINDS = "none"


def parse_kinds(value: str) -> list[str]:
    """`sqlite,postgres`, one of them, or `none`; TargetError names what is wrong."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    if names == [NO_KINDS]:
        return []
    if not names:
        raise TargetError(f"--interop: {quoted(value)}: name sqlite, postgres (comma-separated) or {NO_KINDS}")
    for name in names:
        if name not in KINDS:
            raise TargetError(f"--interop: unknown kind {quoted(name)}; known: {', '.join(KINDS)}, or {NO_KINDS}")
    if len(set(names)) != len(names):
        raise TargetError(f"--interop: {quoted(value)}: a kind is named twice")
    return names


@dataclass
class InteropPart:
    spec: Spec
    kinds: list[str]
    registry: InteropRegistry
    typescript: Side


def prepare_interop(spec: Spec, kinds: Sequence[str], *, update: bool, typescript: Side | None = None) -> InteropPart:
    """Everything that can be checked before anything runs: the findings file and the built TypeScript half.

    Raises InvalidSpec or TargetError (bad input).
    """
    registry = load_interop_findings(spec, need_reasons=not update)
    side = typescript or TypeScriptSide(roots.checkout_root(), spec.fixtures)
    return InteropPart(spec, list(kinds), registry, side)


def run_interop_part(
    part: InteropPart, cases: Sequence[Case], *, full: bool, update: bool
) -> tuple[dict[str, Any], list[str]]:
    """The section for the reports, and lines to print about the findings file when it was rewritten."""
    run = run_interop(part.spec, cases, roots.checkout_root(), part.kinds, typescript=part.typescript)
    notes: list[str] = []
    if update:
        todo = rewrite_registry(run, part.registry, full)
        notes.append(f"rewrote {part.registry.path}" + (f"; {todo} entries need a reason" if todo else ""))
        if todo:
            problems = [
                f"TODO {key}: write its reason in {part.registry.path}"
                for key, reason in part.registry.reasons.items()
                if needs_reason(reason)
            ]
        else:
            problems = check_registry(run, part.registry, full)
    else:
        problems = check_registry(run, part.registry, full)
    return interop_section(run, part.registry, problems), notes


def interop_part(spec: Spec, value: str, *, update: bool) -> InteropPart | None:
    """The part `--interop VALUE` asks for (None for `none`); raises InvalidSpec or TargetError (bad input)."""
    kinds = parse_kinds(value)
    return prepare_interop(spec, kinds, update=update) if kinds else None
