"""The exact LangGraph library versions, printed in every report header, and the runner's and spec's own."""

from __future__ import annotations

import inspect
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions, version
from pathlib import Path

from . import __version__
from .roots import default_spec_root

LIBRARIES = ("langgraph", "langgraph-checkpoint", "langchain-core")


def library_versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def saver_package(saver: object) -> dict[str, str]:
    """The installed distribution whose files hold the saver's class, with its version; {} when none does.

    A top-level module name can belong to several distributions (`langgraph` to
    langgraph, langgraph-checkpoint, langgraph-checkpoint-sqlite, ...), so the
    one that ships the class's own file is the saver's.
    """
    cls = type(saver)
    try:
        source = Path(inspect.getfile(cls)).resolve()
    except (TypeError, OSError):
        return {}
    for name in packages_distributions().get(cls.__module__.partition(".")[0], []):
        try:
            found = distribution(name)
        except PackageNotFoundError:
            continue
        if any(Path(str(found.locate_file(file))).resolve() == source for file in found.files or []):
            return {found.metadata["Name"]: found.version}
    return {}


def spec_version(root: Path | None = None) -> str:
    """The spec folder's version (its VERSION file), "unknown" when it has none."""
    folder = default_spec_root() if root is None else root
    try:
        return (folder / "VERSION").read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


def version_line() -> str:
    """`checkpoint-spec VERSION, spec SPEC_VERSION` (spec/README.md 7.2), of the default spec folder."""
    return f"checkpoint-spec {__version__}, spec {spec_version()}"
