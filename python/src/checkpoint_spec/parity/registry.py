"""The parity registry (spec/parity/registry.json): every known divergence between two targets.

An entry names a case and a pair of targets that behave differently on it,
says how, and may link the upstream issue. The registry is strict like the
known-divergence lists: a divergence no entry covers fails the run, and so
does an entry whose two targets ran and behaved the same.

An entry covers a divergence between two groups of targets (targets that
behaved identically on the case form a group) when one of its targets is in
each group, so a difference between Python and TypeScript is recorded once
even though two Python targets observe it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpecError
from ..loading import InvalidSpec, Spec, read_json, validate

SCHEMA_REF = "../schema/parity-registry.schema.json"
PLACEHOLDER = "TODO: say in one sentence how the two implementations behave differently on this case."
DESCRIPTION = (
    "Cases on which two targets behave differently, each recorded once with how the implementations differ. "
    "Rewritten by `checkpoint-spec parity --update-registry`; every TODO reason must be written by hand."
)


@dataclass(frozen=True)
class Entry:
    case: str
    targets: tuple[str, str]
    reason: str
    issue: str | None = None

    def names(self, first: str, second: str) -> bool:
        return {first, second} == set(self.targets)


@dataclass
class Registry:
    path: Path
    entries: list[Entry] = field(default_factory=list)
    exists: bool = False

    def for_case(self, case_id: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.case == case_id]


def registry_path(spec: Spec) -> Path:
    return spec.root / "parity" / "registry.json"


def load_registry(path: Path, spec: Spec, *, need_reasons: bool = True) -> Registry:
    if not path.exists():
        return Registry(path)
    document = read_json(path)
    try:
        validate(document, spec.root / "schema" / "parity-registry.schema.json", str(path))
    except SpecError as exc:
        raise InvalidSpec([exc]) from None
    problems: list[SpecError] = []
    ids = spec.case_ids()
    seen: set[tuple[str, frozenset[str]]] = set()
    entries: list[Entry] = []
    for index, raw in enumerate(document["divergences"]):
        pointer = f"/divergences/{index}"
        entry = Entry(raw["case"], (raw["targets"][0], raw["targets"][1]), raw["reason"], raw.get("issue"))
        if entry.case not in ids:
            problems.append(SpecError(str(path), f"names no case in the spec ({entry.case!r})", f"{pointer}/case"))
        key = (entry.case, frozenset(entry.targets))
        if key in seen:
            problems.append(SpecError(str(path), "records this case and pair of targets twice", pointer))
        seen.add(key)
        reason = entry.reason.strip()
        if need_reasons and (not reason or reason.upper().startswith("TODO")):
            problems.append(SpecError(str(path), "needs a one-sentence reason", f"{pointer}/reason"))
        entries.append(entry)
    if problems:
        raise InvalidSpec(problems)
    return Registry(path, entries, exists=True)


def lint_registry(spec: Spec) -> int:
    """Validate the registry (if any); the number of entries."""
    return len(load_registry(registry_path(spec), spec).entries)


def write_registry(registry: Registry, entries: list[Entry]) -> int:
    """Write entries (sorted); the number that still need a reason."""
    ordered = sorted(entries, key=lambda entry: (entry.case, entry.targets))
    items: list[dict[str, object]] = []
    for entry in ordered:
        item: dict[str, object] = {"case": entry.case, "targets": list(entry.targets), "reason": entry.reason}
        if entry.issue:
            item["issue"] = entry.issue
        items.append(item)
    document = {"$schema": SCHEMA_REF, "description": DESCRIPTION, "divergences": items}
    registry.path.parent.mkdir(parents=True, exist_ok=True)
    temporary = registry.path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(registry.path)
    registry.entries = ordered
    return sum(1 for entry in ordered if entry.reason == PLACEHOLDER)
