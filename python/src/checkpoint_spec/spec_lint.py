"""`lint`: every JSON file of a spec folder read under section 1.1 and checked as the kind of file it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .divergences import load_known
from .loading import lint_schemas_and_strays, lint_selftest, load_spec


@dataclass(frozen=True)
class LintSummary:
    files: int
    cases: int
    scenarios: int
    fixtures: int
    known: int
    causes: int
    findings: int
    selftest: int

    def line(self) -> str:
        """The one line `lint` prints for a valid spec."""
        return (
            f"{self.files} files are valid: {self.cases} cases, {self.scenarios} scenarios, "
            f"{self.fixtures} fixtures, {self.known} known-divergence files, {self.causes} parity causes, "
            f"{self.findings} interop findings and {self.selftest} self-test files"
        )


def lint_spec(root: Path) -> LintSummary:
    """Lint everything under root, in the TypeScript lint's order; raises InvalidSpec listing the problems of the
    first part that has any (the reading rules and schemas of each file before the checks that need them)."""
    spec = load_spec(root)
    known = sorted((root / "known-divergences").glob("*.json"))
    for path in known:
        load_known(path, path.stem, spec)
    from .parity.interop.findings import load_interop_findings
    from .parity.registry import lint_registry

    causes = lint_registry(spec)
    findings = len(load_interop_findings(spec).reasons)
    selftest = lint_selftest(root)
    files = lint_schemas_and_strays(root)
    scenarios = sum(1 for case in spec.cases if case.graph is not None)
    return LintSummary(
        files=files,
        cases=len(spec.cases) - scenarios,
        scenarios=scenarios,
        fixtures=len(spec.fixtures),
        known=len(known),
        causes=causes,
        findings=findings,
        selftest=selftest,
    )
