"""spec/parity/interop.json: every group of reads that does not read back equal, with its reason. Strict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...files import write_json_atomically
from ...loading import InvalidSpec, Spec, read_valid
from ...spec_json import escape_token
from ...strict_lists import count_needing_reasons, missing_reasons, stale_keys, updated_entries
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


def load_interop_findings(spec: Spec, *, need_reasons: bool = True) -> InteropRegistry:
    """The findings file (empty when there is none); InvalidSpec names each bad entry."""
    path = spec.root / REGISTRY
    if not path.exists():
        return InteropRegistry(path, {})
    findings = read_valid(path, spec.root / "schema" / "interop.schema.json")["findings"]
    if need_reasons:
        problems = missing_reasons(
            str(path), [(f"/findings/{escape_token(key)}", reason) for key, reason in findings.items()]
        )
        if problems:
            raise InvalidSpec(problems)
    return InteropRegistry(path, dict(findings))


def _could_see(run: InteropRun, full: bool) -> Callable[[str], bool]:
    """Whether this run could have shown a finding: a full run of its kind (KIND is the key's first word)."""
    ran = {kind for kind in run.kinds if kind not in run.errors}
    return lambda key: full and key.split(" ")[0] in ran


def check_registry(run: InteropRun, registry: InteropRegistry, full: bool) -> list[str]:
    """Problems: groups the registry does not record, and (on a full run) entries no read showed."""
    groups = run.groups()
    problems = [
        f"UNRECORDED {key}: {len(items)} reads, e.g. {items[0].case} step {items[0].step}: {items[0].detail}"
        for key, items in sorted(groups.items())
        if key not in registry.reasons
    ]
    problems += [
        f"STALE {key}: recorded in {registry.path} but no read showed it"
        for key in stale_keys(registry.reasons, groups, _could_see(run, full))
    ]
    return problems


def rewrite_registry(run: InteropRun, registry: InteropRegistry, full: bool) -> int:
    """Rewrite the file from this run; entries this run could not see (other kinds, other cases) are kept.

    Returns how many entries still need a reason.
    """
    ordered = updated_entries(
        registry.reasons, run.groups(), _could_see(run, full), lambda _key, old: TODO if old is None else old
    )
    write_json_atomically(registry.path, {"$schema": SCHEMA_REF, "description": DESCRIPTION, "findings": ordered})
    registry.reasons = ordered
    return count_needing_reasons(ordered.values())
