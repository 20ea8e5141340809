"""Known-divergence lists: strict per-target registers of cases a target does not satisfy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import SpecError
from .execution import CaseResult
from .files import write_json_atomically
from .loading import InvalidSpec, Spec, read_valid

Verdict = Literal["passed", "known", "failed", "skipped", "stale"]
SCHEMA_REF = "../schema/known-divergences.schema.json"
PLACEHOLDER = "TODO: say in one sentence why this target does not satisfy the case."


@dataclass
class KnownDivergences:
    path: Path
    target: str
    reasons: dict[str, str] = field(default_factory=dict)
    exists: bool = False


def known_path(spec: Spec, target: str) -> Path:
    return spec.root / "known-divergences" / f"{target}.json"


def load_known(path: Path, target: str, spec: Spec, *, need_reasons: bool = True) -> KnownDivergences:
    if not path.exists():
        return KnownDivergences(path, target)
    document = read_valid(path, spec.root / "schema" / "known-divergences.schema.json")
    problems: list[SpecError] = []
    if document["target"] != target:
        problems.append(SpecError(str(path), f"lists target {document['target']!r}, not {target!r}", "/target"))
    ids = spec.case_ids()
    reasons: dict[str, str] = {}
    for case_id, reason in document["divergences"].items():
        pointer = f"/divergences/{case_id}"
        if case_id not in ids:
            # When rewriting the list, an entry whose case is gone is simply dropped.
            if need_reasons:
                problems.append(SpecError(str(path), "names no case in the spec", pointer))
            continue
        if need_reasons and (reason.strip().upper().startswith("TODO") or not reason.strip()):
            problems.append(SpecError(str(path), "needs a one-sentence reason", pointer))
        reasons[case_id] = reason
    if problems:
        raise InvalidSpec(problems)
    return KnownDivergences(path, target, reasons, exists=True)


@dataclass(frozen=True)
class Judged:
    result: CaseResult
    verdict: Verdict
    known_reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict in ("passed", "known", "skipped")


def judge(results: Iterable[CaseResult], known: KnownDivergences) -> list[Judged]:
    judged: list[Judged] = []
    for result in results:
        reason = known.reasons.get(result.case.id)
        if result.status == "failed":
            judged.append(Judged(result, "known" if reason else "failed", reason))
        elif reason is not None:
            judged.append(Judged(result, "stale", reason))
        else:
            judged.append(Judged(result, result.status))
    return judged


def rewrite_known(known: KnownDivergences, judged: Iterable[Judged], ran: set[str]) -> int:
    """Rewrite the list from what was observed; returns how many entries need a reason."""
    reasons = {case_id: why for case_id, why in known.reasons.items() if case_id not in ran}
    for item in judged:
        if item.result.status == "failed":
            reasons[item.result.case.id] = item.known_reason or PLACEHOLDER
    document = {"$schema": SCHEMA_REF, "target": known.target, "divergences": dict(sorted(reasons.items()))}
    write_json_atomically(known.path, document)
    return sum(1 for why in reasons.values() if why == PLACEHOLDER)
