"""The parity registry (spec/parity/registry.json): causes, each a checkable rule for the differences it explains.

A cause explains a behavioural difference between two sides (a language, or a
list of targets) within some families, once: its explanation, optionally the
upstream issue, and rules saying which differences it accounts for (the
operations, the JSON pointer patterns inside the step's result, and what each
side shows there). The comparison subtracts every difference some rule
explains; whatever is left is an unrecorded divergence. Which cases a cause
touched is derived from the run, never kept by hand. The registry is strict:
a rule that explains nothing in a run that could have used it is stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..files import write_json_atomically
from ..globs import compile_glob
from ..loading import InvalidSpec, Spec, read_valid
from ..strict_lists import count_needing_reasons, missing_reasons
from .differences import ABSENT, Difference

SCHEMA_REF = "../schema/parity-registry.schema.json"
PLACEHOLDER = "TODO: say in one sentence how the two implementations differ here, and rename this cause."
DESCRIPTION = (
    "Why targets of one family behave differently: each cause is explained once and says, as rules, which "
    "differences it accounts for (operations, JSON pointers inside the step's result, what each side shows). "
    "`checkpoint-spec parity --update-registry` drops stale rules and proposes a TODO cause for each group of "
    "unexplained differences."
)
VALUE_LOOKS = frozenset(
    {"null", "boolean", "number", "string", "array", "object"}
    | {"$bytes", "$int", "$float", "$datetime", "$tuple", "$object", "$opaque"}
)


def look_matches(wanted: str, look: str) -> bool:
    """Whether one side's look (differences.py) is what a rule's side says."""
    if wanted == look:
        return True
    if wanted == "present":
        return look in VALUE_LOOKS
    return wanted == "error" and look.startswith("error:")


def pointer_matches(pattern: str, pointer: str) -> bool:
    """A pointer pattern: `*` is any one segment (an index or a member name), `**` any number of segments."""
    want = pattern.split("/")[1:] if pattern else []
    have = pointer.split("/")[1:] if pointer else []

    def walk(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(have)
        if want[i] == "**":
            return any(walk(i + 1, k) for k in range(j, len(have) + 1))
        return j < len(have) and want[i] in ("*", have[j]) and walk(i + 1, j + 1)

    return walk(0, 0)


@dataclass(frozen=True)
class Side:
    language: str | None = None
    targets: tuple[str, ...] = ()

    def holds(self, target: str, language: str) -> bool:
        return target in self.targets if self.language is None else language == self.language

    def as_json(self) -> dict[str, Any]:
        return {"language": self.language} if self.language is not None else {"targets": list(self.targets)}

    def __str__(self) -> str:
        return self.language or ",".join(self.targets)


@dataclass(frozen=True)
class Rule:
    at: tuple[str, ...]
    first: tuple[str, ...]
    second: tuple[str, ...]
    ops: tuple[str, ...] = ()  # () for any operation
    families: tuple[str, ...] = ()  # () for all of the cause's families
    cases: tuple[str, ...] = ()  # case id globs, for a difference too common in shape to pin by place alone

    def explains(self, case_id: str, difference: Difference, looks: tuple[str, str]) -> bool:
        return (
            (not self.ops or difference.op in self.ops)
            and (not self.cases or any(compile_glob(glob).matches(case_id) for glob in self.cases))
            and any(pointer_matches(pattern, difference.at) for pattern in self.at)
            and any(look_matches(want, looks[0]) for want in self.first)
            and any(look_matches(want, looks[1]) for want in self.second)
        )

    def as_json(self) -> dict[str, Any]:
        def one(values: tuple[str, ...]) -> str | list[str]:
            return values[0] if len(values) == 1 else list(values)

        document: dict[str, Any] = {}
        if self.ops:
            document["ops"] = list(self.ops)
        document["at"] = one(self.at)
        document["first"] = one(self.first)
        document["second"] = one(self.second)
        if self.families:
            document["families"] = list(self.families)
        if self.cases:
            document["cases"] = list(self.cases)
        return document


@dataclass(frozen=True)
class Cause:
    id: str
    explanation: str
    between: tuple[Side, Side]
    families: tuple[str, ...]
    rules: tuple[Rule, ...]
    issue: str | None = None

    def orientation(self, first: tuple[str, str], second: tuple[str, str]) -> bool | None:
        """True when (first, second) are (between[0], between[1]), False when swapped, None when neither."""
        if self.between[0].holds(*first) and self.between[1].holds(*second):
            return True
        if self.between[0].holds(*second) and self.between[1].holds(*first):
            return False
        return None

    def rule_families(self, rule: Rule) -> tuple[str, ...]:
        return rule.families or self.families

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"explanation": self.explanation}
        if self.issue:
            document["issue"] = self.issue
        document["between"] = [side.as_json() for side in self.between]
        document["families"] = list(self.families)
        document["differences"] = [rule.as_json() for rule in self.rules]
        return document


@dataclass
class Registry:
    path: Path
    causes: dict[str, Cause] = field(default_factory=dict)
    exists: bool = False

    def explaining(
        self, case_id: str, family: str, first: tuple[str, str], second: tuple[str, str], difference: Difference
    ) -> list[tuple[str, int]]:
        """(cause id, rule index) of every rule that explains this difference between two targets (name, language)."""
        found: list[tuple[str, int]] = []
        for cause in self.causes.values():
            oriented = cause.orientation(first, second)
            if oriented is None:
                continue
            looks = difference.looks if oriented else (difference.looks[1], difference.looks[0])
            for index, rule in enumerate(cause.rules):
                if family in cause.rule_families(rule) and rule.explains(case_id, difference, looks):
                    found.append((cause.id, index))
        return found


def registry_path(spec: Spec) -> Path:
    return spec.root / "parity" / "registry.json"


def _tuple(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _side(raw: Mapping[str, Any]) -> Side:
    return Side(raw["language"]) if "language" in raw else Side(targets=tuple(raw["targets"]))


def load_parity_registry(path: Path, spec: Spec, *, need_reasons: bool = True) -> Registry:
    """Load and check the registry; with need_reasons=False (rewriting) TODO explanations are let through."""
    if not path.exists():
        return Registry(path)
    document = read_valid(path, spec.root / "schema" / "parity-registry.schema.json")
    problems: list[SpecError] = []
    causes: dict[str, Cause] = {}
    for cause_id, raw in document["causes"].items():
        pointer = f"/causes/{cause_id}"
        if need_reasons:
            problems += missing_reasons(str(path), [(f"{pointer}/explanation", raw["explanation"])], "explanation")
        families = tuple(raw["families"])
        rules = []
        for index, item in enumerate(raw["differences"]):
            rule = Rule(
                _tuple(item["at"]),
                _tuple(item["first"]),
                _tuple(item["second"]),
                tuple(item.get("ops", ())),
                tuple(item.get("families", ())),
                tuple(item.get("cases", ())),
            )
            outside = sorted(set(rule.families) - set(families))
            if outside:
                problems.append(
                    SpecError(
                        str(path),
                        f"names families the cause does not ({', '.join(outside)})",
                        f"{pointer}/differences/{index}/families",
                        "family-outside",
                    )
                )
            if all(look == ABSENT for look in rule.first + rule.second):
                problems.append(
                    SpecError(
                        str(path),
                        "says both sides are absent, which is no difference",
                        f"{pointer}/differences/{index}",
                        "no-difference",
                    )
                )
            rules.append(rule)
        between = (_side(raw["between"][0]), _side(raw["between"][1]))
        causes[cause_id] = Cause(cause_id, raw["explanation"], between, families, tuple(rules), raw.get("issue"))
    if problems:
        raise InvalidSpec(problems)
    return Registry(path, causes, exists=True)


def lint_registry(spec: Spec) -> int:
    """Validate the registry (if any); the number of causes."""
    return len(load_parity_registry(registry_path(spec), spec).causes)


def write_registry(registry: Registry, causes: Iterable[Cause]) -> int:
    """Write these causes (sorted by id); the number that still need an explanation."""
    ordered = {cause.id: cause for cause in sorted(causes, key=lambda cause: cause.id)}
    document = {
        "$schema": SCHEMA_REF,
        "description": DESCRIPTION,
        "causes": {cause_id: cause.as_json() for cause_id, cause in ordered.items()},
    }
    write_json_atomically(registry.path, document)
    registry.causes = ordered
    return count_needing_reasons(cause.explanation for cause in ordered.values())
