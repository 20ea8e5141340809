"""The exact LangGraph library versions, printed in every report header."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

LIBRARIES = ("langgraph", "langgraph-checkpoint", "langchain-core")


def library_versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found
