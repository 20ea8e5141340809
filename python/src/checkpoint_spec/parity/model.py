"""What a parity run produces: per target and case, what happened; per case, how the targets compare."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..levels import LEVELS
from ..loading import Case

RunStatus = Literal["passed", "failed", "skipped", "errored"]
# A target's verdict against the spec and its known-divergence list.
SpecVerdict = Literal["passed", "known", "failed", "stale", "skipped", "errored"]
# How the targets of a family compare on one case; not_compared when fewer than two of them ran it.
ParityStatus = Literal["agree", "recorded", "unrecorded", "incomplete", "not_compared"]


@dataclass(frozen=True)
class Implementation:
    """What a target said about itself in the handshake (or in-process, the same facts)."""

    language: str
    target: str
    libraries: dict[str, str]
    capabilities: tuple[str, ...]
    via: str  # "in-process" or the driver's command line

    def as_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "target": self.target,
            "libraries": self.libraries,
            "capabilities": list(self.capabilities),
            "via": self.via,
        }


@dataclass(frozen=True)
class Fault:
    """Why a driver gave no usable answer for a case, with what it printed."""

    kind: str  # exited, timeout, garbage, wrong-seq, invalid-message, handshake, start-refused, refused, not-started
    message: str
    stdout: str = ""
    stderr: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "stdout": self.stdout, "stderr": self.stderr}


@dataclass
class TargetRun:
    """One case on one target: the driver's reply (or the in-process equivalent), or a fault."""

    target: str
    status: RunStatus
    reason: str | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    fault: Fault | None = None
    seconds: float = 0.0


@dataclass
class TargetJudgement:
    """A target's result on a case, judged against the spec and its known-divergence list."""

    run: TargetRun
    verdict: SpecVerdict
    problem: str | None = None  # why it is not passed (first failing step), or the fault
    failing_step: int | None = None
    known_reason: str | None = None
    fingerprint: list[dict[str, Any]] = field(default_factory=list)  # as written in known lists (spec 6.1)


@dataclass(frozen=True)
class Difference:
    """Two targets of one family: their observations part at this step and pointer, explained by causes or not."""

    targets: tuple[str, str]
    step: int | None
    pointer: str
    why: str
    recorded: bool = False
    causes: tuple[str, ...] = ()
    family: str = ""
    op: str = ""
    looks: tuple[str, str] = ("", "")


@dataclass
class CaseParity:
    """How the targets compare on a case: within each family, never across families.

    `classes` holds the groups of identical behaviour, family by family (a group
    never mixes families); `families` the status of each family with two or
    more targets; `status` aggregates them (agree only when every family does).
    """

    case: Case
    judgements: dict[str, TargetJudgement]
    classes: list[list[str]]
    status: ParityStatus
    differences: list[Difference] = field(default_factory=list)
    differing_steps: list[int] = field(default_factory=list)
    families: dict[str, ParityStatus] = field(default_factory=dict)

    @property
    def spec_failures(self) -> list[str]:
        return [name for name, judged in self.judgements.items() if judged.verdict in ("failed", "stale", "errored")]

    @property
    def ok(self) -> bool:
        return not self.spec_failures and self.status in ("agree", "recorded", "not_compared")

    @property
    def residual(self) -> list[Difference]:
        return [difference for difference in self.differences if not difference.recorded]


@dataclass
class ParityRun:
    spec_root: str
    targets: list[str]
    implementations: dict[str, Implementation]
    cases: list[CaseParity]
    registry_path: str
    registry_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # cause id -> (explanation, upstream issue), for the causes of recorded divergences
    causes: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # target -> family, in target order; targets are compared within their family only
    families: dict[str, str] = field(default_factory=dict)
    # (cause, rule index) of the rules that explained nothing in a run that could have used them
    stale_rules: list[tuple[str, int]] = field(default_factory=list)
    # "cause/rule index" -> the cases on which that rule explained a difference
    rule_cases: dict[str, list[str]] = field(default_factory=dict)

    def cause_counts(self) -> dict[str, int]:
        """How many cases each cause explains differences on, most first."""
        counts: dict[str, int] = {}
        for item in self.cases:
            for cause in dict.fromkeys(c for difference in item.differences for c in difference.causes):
                counts[cause] = counts.get(cause, 0) + 1
        return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))

    @property
    def ok(self) -> bool:
        return not self.registry_problems and all(item.ok for item in self.cases)

    def level_counts(self) -> dict[str, dict[str, int]]:
        """Per level (spec/README.md 1.2), its cases and scenarios, those that diverge and those that fail.

        A built-in target is judged on all levels (6.4), so the level changes no verdict: it says which
        differences are from the contract and which from the reference savers' behaviour.
        """
        counts: dict[str, dict[str, int]] = {}
        for level in LEVELS:
            statuses = [item.status for item in self.cases if item.case.level == level]
            counts[level] = {
                "cases": len(statuses),
                "divergences": statuses.count("recorded") + statuses.count("unrecorded"),
                "unrecorded": statuses.count("unrecorded"),
                "failures": sum(1 for item in self.cases if item.case.level == level and not item.ok),
            }
        return counts

    def counts(self) -> dict[str, int]:
        statuses = [item.status for item in self.cases]
        scenarios = sum(1 for item in self.cases if item.case.graph is not None)
        return {
            "cases": len(self.cases) - scenarios,
            "scenarios": scenarios,
            "targets": len(self.targets),
            "agreements": statuses.count("agree"),
            "divergences": statuses.count("recorded") + statuses.count("unrecorded"),
            "recorded": statuses.count("recorded"),
            "unrecorded": statuses.count("unrecorded"),
            "incomplete": statuses.count("incomplete"),
            "not_compared": statuses.count("not_compared"),
            "causes": len(self.cause_counts()),
            "differences": sum(len(item.differences) for item in self.cases),
            "residual": sum(len(item.residual) for item in self.cases),
            "failures": sum(1 for item in self.cases if not item.ok) + len(self.registry_problems),
        }
