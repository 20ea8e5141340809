"""Which targets a parity run knows, their families, and how each is run: in this process or through a driver.

A target's *family* is the kind of storage behind it (memory, sqlite,
postgres). A parity run compares targets of the same family only: the Python
and TypeScript savers of one kind should behave alike, while a SQLite saver
and an in-memory one are each judged against the spec, not against each other.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import TargetError, quoted

PYTHON_TARGETS = ("py-memory", "py-memory-async", "py-sqlite", "py-sqlite-async", "py-postgres", "py-postgres-async")
JS_TARGETS = ("js-memory", "js-sqlite", "js-postgres")
FAMILIES = {
    "py-memory": "memory",
    "py-memory-async": "memory",
    "js-memory": "memory",
    "py-sqlite": "sqlite",
    "py-sqlite-async": "sqlite",
    "js-sqlite": "sqlite",
    "py-postgres": "postgres",
    "py-postgres-async": "postgres",
    "js-postgres": "postgres",
}
MEMORY_TARGETS = ("py-memory", "py-memory-async", "js-memory")
# Every family: the in-memory savers, then the production savers (the postgres ones need a server).
DEFAULT_TARGETS = tuple(FAMILIES)
POSTGRES_TARGETS = tuple(name for name, family in FAMILIES.items() if family == "postgres")
JS_CLI = Path("js") / "dist" / "cli.js"
FAMILY_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class TargetDefinition:
    name: str
    command: tuple[str, ...] | None  # None: a Python target run in this process
    family: str = ""  # "" only in hand-made definitions: the target's own name is its family

    @property
    def family_name(self) -> str:
        return self.family or self.name

    @property
    def in_process(self) -> bool:
        return self.command is None


@dataclass(frozen=True)
class Driver:
    """A `--driver NAME[@FAMILY]=COMMAND` target: FAMILY, when given, puts it beside that family's targets."""

    command: tuple[str, ...]
    family: str | None = None


def parse_driver(value: str) -> tuple[str, Driver]:
    """NAME[@FAMILY]=COMMAND as (NAME, Driver); TargetError (one line) when it is malformed."""
    head, equals, command = value.partition("=")
    name, at, family = head.partition("@")
    name = name.strip()
    try:
        words = tuple(shlex.split(command))
    except ValueError as exc:
        raise TargetError(f"--driver: {quoted(value)}: {exc}") from None
    if not equals or not name or not words:
        raise TargetError(f"--driver: {quoted(value)}: expected NAME=COMMAND or NAME@FAMILY=COMMAND")
    if at and FAMILY_PATTERN.fullmatch(family.strip()) is None:
        raise TargetError(
            f"--driver: {quoted(value)}: the family after @ must be lowercase letters and digits in words joined by "
            f"'-' (for example memory, sqlite, postgres); got {family!r}"
        )
    return name, Driver(words, family.strip() if at else None)


def driver_target(name: str, command: Sequence[str]) -> str:
    """The target a driver's `start` names: its command's `--target` (the last one), else the run's NAME for it.

    A driver serves only the target it was started for, so `mine=checkpoint-spec
    driver --target my_savers:fresh_saver` is started as my_savers:fresh_saver
    and reported as mine.
    """
    found = name
    for index, word in enumerate(command):
        if word == "--target" and index + 1 < len(command):
            found = command[index + 1]
        elif word.startswith("--target="):
            found = word.removeprefix("--target=")
    return found


def family_of(name: str) -> str | None:
    """The family of a built-in target, None for any other name."""
    return FAMILIES.get(name)


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
    drivers: dict[str, Driver],
    python_via_driver: bool = False,
) -> list[TargetDefinition]:
    """The definitions of the named targets, in order; TargetError names the first bad one.

    A driver's family is the one it names after @, else its own name (a family
    of its own); a built-in target's is in FAMILIES.
    """
    known = [*dict.fromkeys([*DEFAULT_TARGETS, *PYTHON_TARGETS, *JS_TARGETS]), *drivers]
    if not names:
        raise TargetError("--targets: name at least one target")
    seen: set[str] = set()
    definitions: list[TargetDefinition] = []
    for name in names:
        if name in seen:
            raise TargetError(f"--targets: {quoted(name)} is named twice")
        seen.add(name)
        if name in drivers:
            driver = drivers[name]
            definitions.append(TargetDefinition(name, driver.command, driver.family or name))
        elif name in PYTHON_TARGETS:
            command = python_driver_command(name) if python_via_driver else None
            definitions.append(TargetDefinition(name, command, FAMILIES[name]))
        elif name in JS_TARGETS:
            definitions.append(TargetDefinition(name, js_driver_command(repo, name), FAMILIES[name]))
        else:
            raise TargetError(f"--targets: unknown target {quoted(name)}; known: {', '.join(known)}")
    for definition in definitions:
        own = drivers.get(definition.name)
        others = [d.name for d in definitions if d.name != definition.name and d.family == definition.name]
        if own is not None and own.family is None and others:
            raise TargetError(
                f"--driver: {definition.name}: without @FAMILY a driver is a family of its own, named after it, "
                f"but {definition.name!r} is the family of {', '.join(others)}; "
                f"write {definition.name}@FAMILY=COMMAND"
            )
    return definitions


def families(definitions: list[TargetDefinition]) -> dict[str, str]:
    """Target name -> family, in target order."""
    return {definition.name: definition.family_name for definition in definitions}
