"""What the runner needs from a target: a fresh session per case, and its capabilities."""

from __future__ import annotations

from typing import Any, Protocol


class Session(Protocol):
    """One fresh saver. `call` returns the canonical result or raises what the saver raised."""

    def call(self, op: str, args: dict[str, Any]) -> Any: ...

    def close(self) -> None: ...


class Target(Protocol):
    name: str
    language: str
    capabilities: frozenset[str]
    libraries: dict[str, str]

    def open(self) -> Session: ...
