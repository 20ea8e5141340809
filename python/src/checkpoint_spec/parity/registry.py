"""The parity registry (spec/parity/registry.json): every known divergence between two targets.

The registry explains each behavioural difference once, as a *cause* with an
id, an explanation and optionally the upstream issue; each divergence names a
case, a pair of targets that behave differently on it, and the causes that
explain it. The registry is strict like the known-divergence lists: a
divergence no entry covers fails the run, and so does an entry whose two
targets ran and behaved the same, an entry naming no defined cause, and a
cause that explains no entry.

An entry covers a divergence between two groups of targets (targets that
behaved identically on the case form a group) when one of its targets is in
each group, so a difference between Python and TypeScript is recorded once
even though two Python targets observe it. Targets are compared within their
family only (parity/targets.py), so an entry naming two built-in targets of
different families is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpecError
from ..files import write_json_atomically
from ..loading import InvalidSpec, Spec, read_valid
from .targets import family_of

SCHEMA_REF = "../schema/parity-registry.schema.json"
TODO = "TODO"
PLACEHOLDER = "TODO: name the causes (under /causes) that explain how the two implementations differ on this case."
DESCRIPTION = (
    "Cases on which two targets behave differently, each recorded once with the causes that explain it; each cause "
    "is explained once under causes. Rewritten by `checkpoint-spec parity --update-registry`; a new entry's TODO "
    "must be replaced by hand with the ids of its causes."
)


@dataclass(frozen=True)
class Cause:
    id: str
    explanation: str
    issue: str | None = None


TODO_CAUSE = Cause(TODO, PLACEHOLDER)


@dataclass(frozen=True)
class Entry:
    case: str
    targets: tuple[str, str]
    causes: tuple[Cause, ...] = (TODO_CAUSE,)

    @property
    def reason(self) -> str:
        return " ".join(cause.explanation for cause in self.causes)

    @property
    def issue(self) -> str | None:
        return next((cause.issue for cause in self.causes if cause.issue), None)

    @property
    def needs_causes(self) -> bool:
        return TODO_CAUSE in self.causes

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
    """Load and check the registry; with need_reasons=False (rewriting) unknown causes become TODO."""
    if not path.exists():
        return Registry(path)
    document = read_valid(path, spec.root / "schema" / "parity-registry.schema.json")
    problems: list[SpecError] = []
    causes = {
        cause_id: Cause(cause_id, raw["explanation"], raw.get("issue")) for cause_id, raw in document["causes"].items()
    }
    for cause in causes.values():
        if need_reasons and cause.explanation.strip().upper().startswith(TODO):
            problems.append(SpecError(str(path), "needs a one-sentence explanation", f"/causes/{cause.id}"))
    ids = spec.case_ids()
    seen: set[tuple[str, frozenset[str]]] = set()
    used: set[str] = set()
    entries: list[Entry] = []
    for index, raw in enumerate(document["divergences"]):
        pointer = f"/divergences/{index}"
        if raw["case"] not in ids:
            # When rewriting the registry, an entry whose case is gone is simply dropped.
            if need_reasons:
                problems.append(SpecError(str(path), f"names no case in the spec ({raw['case']!r})", f"{pointer}/case"))
            continue
        resolved: list[Cause] = []
        for position, cause_id in enumerate(raw["causes"]):
            found = causes.get(cause_id)
            if found is None and need_reasons:
                message = (
                    "name the causes that explain this divergence"
                    if cause_id == TODO
                    else f"names no cause defined under /causes ({cause_id!r})"
                )
                problems.append(SpecError(str(path), message, f"{pointer}/causes/{position}"))
            resolved.append(found or TODO_CAUSE)
            used.add(cause_id)
        entry = Entry(raw["case"], (raw["targets"][0], raw["targets"][1]), tuple(dict.fromkeys(resolved)))
        families = [family_of(name) for name in entry.targets]
        if None not in families and families[0] != families[1]:
            problems.append(
                SpecError(
                    str(path),
                    f"names targets of different families ({entry.targets[0]} is {families[0]}, "
                    f"{entry.targets[1]} is {families[1]}); a parity run compares targets of one family only",
                    f"{pointer}/targets",
                )
            )
        key = (entry.case, frozenset(entry.targets))
        if key in seen:
            problems.append(SpecError(str(path), "records this case and pair of targets twice", pointer))
        seen.add(key)
        entries.append(entry)
    if need_reasons:
        for cause_id in sorted(set(causes) - used):
            problems.append(SpecError(str(path), "explains no divergence; remove it", f"/causes/{cause_id}"))
    if problems:
        raise InvalidSpec(problems)
    return Registry(path, entries, exists=True)


def lint_registry(spec: Spec) -> int:
    """Validate the registry (if any); the number of entries."""
    return len(load_registry(registry_path(spec), spec).entries)


def write_registry(registry: Registry, entries: list[Entry]) -> int:
    """Write entries (sorted) and the causes they use; the number of entries that still need causes."""
    ordered = sorted(entries, key=lambda entry: (entry.case, entry.targets))
    causes: dict[str, Cause] = {}
    items: list[dict[str, object]] = []
    for entry in ordered:
        items.append({"case": entry.case, "targets": list(entry.targets), "causes": [c.id for c in entry.causes]})
        causes.update((cause.id, cause) for cause in entry.causes if cause is not TODO_CAUSE)
    document = {
        "$schema": SCHEMA_REF,
        "description": DESCRIPTION,
        "causes": {
            cause.id: {"explanation": cause.explanation, **({"issue": cause.issue} if cause.issue else {})}
            for cause in sorted(causes.values(), key=lambda cause: cause.id)
        },
        "divergences": items,
    }
    write_json_atomically(registry.path, document)
    registry.entries = ordered
    return sum(1 for entry in ordered if entry.needs_causes)
