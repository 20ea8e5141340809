"""User savers for the plug-in path's tests, given as `tests.plugin_savers:NAME`."""

from __future__ import annotations

import sqlite3

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

# How often each factory here was called, by name.
CALLS: dict[str, int] = {}


def failing() -> InMemorySaver:
    CALLS["failing"] = CALLS.get("failing", 0) + 1
    raise RuntimeError("boom")


class LacksDeleteThreadAndCopyThread(InMemorySaver):
    """Inherits the base class's placeholders for one core and one extended operation."""

    delete_thread = BaseCheckpointSaver.delete_thread
    adelete_thread = BaseCheckpointSaver.adelete_thread
    copy_thread = BaseCheckpointSaver.copy_thread
    acopy_thread = BaseCheckpointSaver.acopy_thread


def with_argument(*given: str) -> InMemorySaver:
    """A saver factory that takes its connection string as its one argument (`--target-arg`)."""
    ARGUMENTS.append(given)
    return InMemorySaver()


# What with_argument was called with, call by call.
ARGUMENTS: list[tuple[str, ...]] = []


class NoCallableDeleteThread(InMemorySaver):
    """Has attributes of the names that cannot be called: as lacking as not having them."""

    delete_thread = None  # type: ignore[assignment]
    adelete_thread = None  # type: ignore[assignment]
    copy_thread = None  # type: ignore[assignment]
    acopy_thread = None  # type: ignore[assignment]


def sqlite_saver() -> SqliteSaver:
    """A saver from an installed distribution other than the LangGraph libraries the header always names."""
    return SqliteSaver(sqlite3.connect(":memory:", check_same_thread=False))


class OwnSaver(InMemorySaver):
    """A saver class of this test folder, which no installed distribution ships."""


def own_saver() -> OwnSaver:
    CALLS["own_saver"] = CALLS.get("own_saver", 0) + 1
    return OwnSaver()
