"""spec/parity/interop.json: every group of reads that does not read back equal, with its reason. Strict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import SpecError, needs_reason
from ...files import write_json_atomically
from ...loading import InvalidSpec, Spec, read_valid
from ...spec_json import escape_token
from .model import InteropRun

REGISTRY = Path("parity") / "interop.json"
SCHEMA_REF = "../schema/interop.schema.json"
TODO = "TODO: say in one sentence why these reads differ."
DESCRIPTION = (
    "Storage interop findings: reads of one language's saver that do not read back equal what the other "
    "language's saver of the same kind wrote, by KIND DIRECTION OP VERDICT, each with its reason."
)


@dataclass
class InteropRegistry:
    path: Path
    reasons: dict[str, str]


def load_registry(spec: Spec, *, need_reasons: bool = True) -> InteropRegistry:
    """The findings file (empty when there is none); InvalidSpec names each bad entry."""
    path = spec.root / REGISTRY
    if not path.exists():
        return InteropRegistry(path, {})
    findings = read_valid(path, spec.root / "schema" / "interop.schema.json")["findings"]
    problems = [
        SpecError(str(path), "needs a one-sentence reason", f"/findings/{escape_token(key)}")
        for key, reason in findings.items()
        if need_reasons and needs_reason(reason)
    ]
    if problems:
        raise InvalidSpec(problems)
    return InteropRegistry(path, dict(findings))


def check_registry(run: InteropRun, registry: InteropRegistry, kinds: Sequence[str], full: bool) -> list[str]:
    """Problems: groups the registry does not record, and (on a full run) entries no read showed."""
    groups = run.groups()
    problems = [
        f"UNRECORDED {key}: {len(items)} reads, e.g. {items[0].case} step {items[0].step}: {items[0].detail}"
        for key, items in sorted(groups.items())
        if key not in registry.reasons
    ]
    if full:
        problems += [
            f"STALE {key}: recorded in {registry.path} but no read showed it"
            for key in sorted(registry.reasons)
            if key not in groups and key.split(" ")[0] in kinds and key.split(" ")[0] not in run.errors
        ]
    return problems


def rewrite_registry(run: InteropRun, registry: InteropRegistry, full: bool) -> int:
    """Rewrite the file from this run; entries this run could not see (other kinds, other cases) are kept.

    Returns how many entries still need a reason.
    """
    groups = run.groups()
    ran = {kind for kind in run.kinds if kind not in run.errors}
    findings = {
        key: reason
        for key, reason in registry.reasons.items()
        if not full or key.split(" ")[0] not in ran or key in groups
    }
    for key in groups:
        findings.setdefault(key, TODO)
    ordered = dict(sorted(findings.items()))
    write_json_atomically(registry.path, {"$schema": SCHEMA_REF, "description": DESCRIPTION, "findings": ordered})
    registry.reasons = ordered
    return sum(1 for reason in findings.values() if needs_reason(reason))
