"""catalogue/savers.json: the third-party savers of the catalogue, checked against catalogue/savers.schema.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jsonschema

SERVICES = ("mariadb", "redis", "dynalite")
Service = Literal["mariadb", "redis", "dynalite"]


class BadCatalogue(Exception):
    """savers.json does not match its schema; the message says where."""


@dataclass(frozen=True)
class Install:
    # "resolver": pip installs the saver beside the runner's pinned LangGraph; "no-deps": the saver alone
    # (its declared range excludes them) and `requirements` besides.
    mode: Literal["resolver", "no-deps", "npm"]
    requirements: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Saver:
    name: str
    language: Literal["python", "typescript"]
    package: str
    version: str
    target: str
    services: tuple[Service, ...]
    isolation: str
    description: str
    install: Install
    # The runner's saver API: "sync" or "async" (Python only).
    api: Literal["sync", "async"]
    # What the saver is expected to leave behind; a leftover not listed fails the session.
    expected_leftovers: tuple[str, ...]
    # Cases whose result varies from run to run, and why: their verdict does not fail the session.
    unstable_cases: tuple[str, ...] = ()
    unstable_reason: str = ""

    @property
    def known_file(self) -> str:
        return f"catalogue/known/{self.name}.json"


def _saver(entry: dict[str, Any]) -> Saver:
    install = entry["install"]
    return Saver(
        name=entry["name"],
        language=entry["language"],
        package=entry["package"],
        version=entry["version"],
        target=entry["target"],
        services=tuple(entry["services"]),
        isolation=entry["isolation"],
        description=entry["description"],
        install=Install(install["mode"], tuple(install.get("requirements", ())), install.get("note", "")),
        api=entry.get("api", "sync"),
        expected_leftovers=tuple(entry.get("expected_leftovers", ())),
        unstable_cases=tuple(entry.get("unstable", {}).get("cases", ())),
        unstable_reason=entry.get("unstable", {}).get("reason", ""),
    )


def check(document: Any, schema: dict[str, Any]) -> None:
    """Raises BadCatalogue naming the first place where `document` breaks the schema, or a repeated name."""
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/" + "/".join(str(part) for part in first.path)
        raise BadCatalogue(f"savers.json{where}: {first.message}")
    names = [entry["name"] for entry in document]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise BadCatalogue(f"savers.json: the name {repeated[0]!r} is used more than once")


def load(folder: Path) -> list[Saver]:
    """The savers of `folder`/savers.json, in their order; raises BadCatalogue for a file that breaks the schema."""
    try:
        document = json.loads((folder / "savers.json").read_text(encoding="utf-8"))
        schema = json.loads((folder / "savers.schema.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadCatalogue(f"{folder}: cannot read savers.json or its schema: {exc}") from None
    check(document, schema)
    return [_saver(entry) for entry in document]


def pip_commands(savers: list[Saver], constraints: list[str]) -> list[list[str]]:
    """pip install's arguments: the savers pip can resolve beside the runner in one call, then each no-deps one
    alone followed by its requirements. Every dependency is held to `constraints` (-c files)."""
    held = [argument for path in constraints for argument in ("-c", path)]
    python = [saver for saver in savers if saver.language == "python"]
    resolved = [f"{s.package}=={s.version}" for s in python if s.install.mode == "resolver"]
    resolved += [requirement for s in python if s.install.mode == "resolver" for requirement in s.install.requirements]
    commands = [[*held, *resolved]] if resolved else []
    for saver in python:
        if saver.install.mode == "no-deps":
            commands.append(["--no-deps", f"{saver.package}=={saver.version}"])
            if saver.install.requirements:
                commands.append([*held, *saver.install.requirements])
    return commands
