"""Which targets a parity run knows, and how each is run: in this process or through a driver."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import TargetError

DEFAULT_TARGETS = ("py-memory", "py-memory-async", "js-memory")
PYTHON_TARGETS = ("py-memory", "py-memory-async", "py-sqlite", "py-sqlite-async", "py-postgres", "py-postgres-async")
JS_TARGETS = ("js-memory", "js-sqlite", "js-postgres")
JS_CLI = Path("js") / "dist" / "cli.js"


@dataclass(frozen=True)
class TargetDefinition:
    name: str
    command: tuple[str, ...] | None  # None: a Python target run in this process

    @property
    def in_process(self) -> bool:
        return self.command is None


def python_driver_command(target: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "checkpoint_spec", "driver", "--target", target)


def js_driver_command(repo: Path, target: str) -> tuple[str, ...]:
    cli = repo / JS_CLI
    if not cli.is_file():
        raise TargetError(
            f"--targets {target}: {cli} is not built; run `python3 noxw -s parity` "
            f"(or `npm ci && npm run build` in {repo / 'js'}) first"
        )
    node = shutil.which("node")
    if node is None:
        raise TargetError(f"--targets {target}: node is not on PATH; the TypeScript driver needs Node.js 20+")
    return (node, str(cli), "driver", "--target", target)


def resolve_targets(
    names: list[str],
    *,
    repo: Path,
    drivers: dict[str, tuple[str, ...]],
    python_via_driver: bool = False,
) -> list[TargetDefinition]:
    """The definitions of the named targets, in order; TargetError names the first bad one."""
    known = [*dict.fromkeys([*DEFAULT_TARGETS, *PYTHON_TARGETS, *JS_TARGETS]), *drivers]
    if not names:
        raise TargetError("--targets: name at least one target")
    seen: set[str] = set()
    definitions: list[TargetDefinition] = []
    for name in names:
        if name in seen:
            raise TargetError(f"--targets: {name!r} is named twice")
        seen.add(name)
        if name in drivers:
            definitions.append(TargetDefinition(name, drivers[name]))
        elif name in PYTHON_TARGETS:
            definitions.append(TargetDefinition(name, python_driver_command(name) if python_via_driver else None))
        elif name in JS_TARGETS:
            definitions.append(TargetDefinition(name, js_driver_command(repo, name)))
        else:
            raise TargetError(f"--targets: unknown target {name!r}; known: {', '.join(known)}")
    return definitions
