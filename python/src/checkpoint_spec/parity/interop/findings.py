"""spec/parity/interop.json: every group of reads that does not read back equal, with its reason. Strict."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import SpecError, needs_reason
from ...loading import InvalidSpec, Spec, read_json
from .model import FINDING_VERDICTS, KINDS, InteropRun

REGISTRY = Path("parity") / "interop.json"
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
    document = read_json(path)
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, dict) or not all(isinstance(v, str) for v in findings.values()):
        raise InvalidSpec([SpecError(str(path), "must hold an object `findings` of strings", "/findings")])
    problems = []
    for key, reason in findings.items():
        parts = key.split(" ")
        if len(parts) != 4 or parts[0] not in KINDS or parts[3] not in FINDING_VERDICTS:
            problems.append(SpecError(str(path), "names no KIND DIRECTION OP VERDICT group", f"/findings/{key}"))
        elif need_reasons and needs_reason(reason):
            problems.append(SpecError(str(path), "needs a one-sentence reason", f"/findings/{key}"))
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
    document = {"description": DESCRIPTION, "findings": ordered}
    registry.path.parent.mkdir(parents=True, exist_ok=True)
    registry.path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    registry.reasons = ordered
    return sum(1 for reason in findings.values() if reason.startswith("TODO"))
