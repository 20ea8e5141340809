"""The exact LangGraph library versions, printed in every report header, and the runner's and spec's own."""

from __future__ import annotations

import inspect
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions, requires, version
from pathlib import Path

from packaging.requirements import Requirement

from . import __version__
from .roots import default_spec_root

LIBRARIES = ("langgraph", "langgraph-checkpoint", "langchain-core")


def package_versions(names: tuple[str, ...]) -> dict[str, str]:
    """The installed version of each of these distributions that is installed."""
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def library_versions() -> dict[str, str]:
    return package_versions(LIBRARIES)


def unsupported_libraries() -> list[str]:
    """Each LangGraph library installed outside the range this package was tested with, as one phrase.

    Checked before a saver is made, so that an older library's missing method
    (`copy_thread`, say) is not reported as the user's factory failing.
    """
    try:
        declared = requires("checkpoint-spec") or []
    except PackageNotFoundError:
        return []
    problems: list[str] = []
    for text in declared:
        requirement = Requirement(text)
        if requirement.marker is not None or requirement.name not in LIBRARIES:
            continue  # an extra's, or not a LangGraph library
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            problems.append(f"{requirement.name} is not installed (supported: {requirement.specifier})")
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            problems.append(f"{requirement.name} {installed} is installed (supported: {requirement.specifier})")
    return problems


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
