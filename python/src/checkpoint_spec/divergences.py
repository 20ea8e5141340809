"""Known-divergence lists: strict per-target registers of how each listed case fails (spec/README.md 6.2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import SpecError
from .execution import CaseResult
from .files import write_json_atomically
from .fingerprints import Fingerprint, Mark, describe, fingerprint, mark_from_json, written
from .loading import InvalidSpec, Spec, read_valid
from .strict_lists import count_needing_reasons, missing_reasons, needs_reason, updated_entries

Verdict = Literal["passed", "known", "failed", "skipped", "stale", "errored"]
SCHEMA_REF = "../schema/known-divergences.schema.json"
PLACEHOLDER = "TODO: say in one sentence why this target does not satisfy the case."
RECHECK = "TODO: check this reason against the places the case now fails: "


@dataclass(frozen=True)
class KnownEntry:
    reason: str
    fails: Fingerprint


@dataclass
class KnownDivergences:
    path: Path
    target: str
    entries: dict[str, KnownEntry] = field(default_factory=dict)
    exists: bool = False

    def reason(self, case_id: str) -> str | None:
        entry = self.entries.get(case_id)
        return None if entry is None else entry.reason


def known_path(spec: Spec, target: str) -> Path:
    return spec.root / "known-divergences" / f"{target}.json"


def load_known(path: Path, target: str, spec: Spec, *, need_reasons: bool = True) -> KnownDivergences:
    if not path.exists():
        return KnownDivergences(path, target)
    document = read_valid(path, spec.root / "schema" / "known-divergences.schema.json")
    problems: list[SpecError] = []
    if document["target"] != target:
        problems.append(
            SpecError(str(path), f"lists target {document['target']!r}, not {target!r}", "/target", "known-target")
        )
    ids = spec.case_ids()
    entries: dict[str, KnownEntry] = {}
    for case_id, raw in document["divergences"].items():
        pointer = f"/divergences/{case_id}"
        if case_id not in ids:
            # When rewriting the list, an entry whose case is gone is simply dropped.
            if need_reasons:
                problems.append(SpecError(str(path), "names no case in the spec", pointer, "unknown-case"))
            continue
        if need_reasons:
            problems += missing_reasons(str(path), [(f"{pointer}/reason", raw["reason"])])
        marks = [mark_from_json(item) for item in raw["fails"]]
        if len(set(marks)) != len(marks):
            problems.append(SpecError(str(path), "lists a mark twice", f"{pointer}/fails", "duplicate-mark"))
        entries[case_id] = KnownEntry(raw["reason"], fingerprint(marks))
    if problems:
        raise InvalidSpec(problems)
    return KnownDivergences(path, target, entries, exists=True)


@dataclass(frozen=True)
class Judged:
    result: CaseResult
    verdict: Verdict
    known_reason: str | None = None
    new_marks: tuple[Mark, ...] = ()  # failing where the entry does not say
    gone_marks: tuple[Mark, ...] = ()  # listed, no longer failing there

    @property
    def ok(self) -> bool:
        return self.verdict in ("passed", "known", "skipped")

    @property
    def changes(self) -> str | None:
        """What changed against the list, for people; None when nothing did."""
        return changes(self.new_marks, self.gone_marks)


def changes(new: Iterable[Mark], gone: Iterable[Mark]) -> str | None:
    parts = []
    if new := tuple(new):
        parts.append(f"fails where the list does not say: {describe(new)}")
    if gone := tuple(gone):
        parts.append(f"no longer fails where the list says: {describe(gone)}")
    return "; ".join(parts) or None


def verdict_for(
    status: str, observed: Fingerprint, entry: KnownEntry | None
) -> tuple[Verdict, tuple[Mark, ...], tuple[Mark, ...]]:
    """A case's verdict from its status, its fingerprint and its entry, with the new and the gone marks."""
    if status == "errored":
        # It did not run to its end: neither a failure nor a listed one's change.
        return "errored", (), ()
    if entry is None:
        unlisted: Verdict = "failed" if status == "failed" else "skipped" if status == "skipped" else "passed"
        return unlisted, (), ()
    if status != "failed":
        return "stale", (), tuple(sorted(entry.fails))
    new, gone = tuple(sorted(observed - entry.fails)), tuple(sorted(entry.fails - observed))
    if new:
        return "failed", new, gone
    return ("stale" if gone else "known"), (), gone


def judge(results: Iterable[CaseResult], known: KnownDivergences) -> list[Judged]:
    judged: list[Judged] = []
    for result in results:
        entry = known.entries.get(result.case.id)
        verdict, new, gone = verdict_for(result.status, result.fingerprint, entry)
        judged.append(Judged(result, verdict, None if entry is None else entry.reason, new, gone))
    return judged


def updated_entry(old: KnownEntry | None, observed: Fingerprint) -> KnownEntry:
    """The entry --update-known writes for a failed case: the old reason while it still applies."""
    if old is None:
        return KnownEntry(PLACEHOLDER, observed)
    if observed <= old.fails or needs_reason(old.reason):
        return KnownEntry(old.reason, observed)
    return KnownEntry(RECHECK + old.reason, observed)


def rewrite_known(known: KnownDivergences, judged: Iterable[Judged], ran: set[str]) -> int:
    """Rewrite the list from what was observed; returns how many entries need a reason."""
    judged = list(judged)
    # An entry is kept for a case that did not run to its end: this run says nothing about it.
    unfinished = {item.result.case.id for item in judged if item.result.status == "errored"}
    failed = {item.result.case.id: item.result.fingerprint for item in judged if item.result.status == "failed"}
    entries = updated_entries(
        known.entries,
        failed,
        lambda case_id: case_id in ran and case_id not in unfinished,
        lambda case_id, old: updated_entry(old, failed[case_id]),
    )
    document = {
        "$schema": SCHEMA_REF,
        "target": known.target,
        "divergences": {
            case_id: {"reason": entry.reason, "fails": written(entry.fails)} for case_id, entry in entries.items()
        },
    }
    write_json_atomically(known.path, document)
    known.entries = entries
    return count_needing_reasons(entry.reason for entry in entries.values())
