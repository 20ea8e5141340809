"""User savers for the plug-in path's tests, given as `tests.plugin_savers:NAME`."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
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


class LoopBound(InMemorySaver):
    """Captures the running event loop when made, as a saver holding an async connection does.

    Its async methods refuse any other loop; its sync get_tuple hands the work
    to that loop from the calling thread, as LangGraph's async savers' sync methods do.
    """

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.get_running_loop()  # RuntimeError when made outside a running loop

    def _in_own_loop(self) -> None:
        if asyncio.get_running_loop() is not self.loop:
            raise RuntimeError("called in another event loop than the one the saver was made in")

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        self._in_own_loop()
        return super().put(config, checkpoint, metadata, new_versions)

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        self._in_own_loop()
        return super().get_tuple(config)

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return asyncio.run_coroutine_threadsafe(self.aget_tuple(config), self.loop).result(timeout=5)


def loop_bound() -> LoopBound:
    """A plain factory of a loop-bound saver: it works where the factory is called inside a running loop."""
    return LoopBound()


async def async_loop_bound() -> LoopBound:
    """An `async def` factory: its coroutine is awaited in the session's event loop."""
    await asyncio.sleep(0)
    return LoopBound()


# What async_context did, call by call: "enter" or "exit".
CONTEXT_EVENTS: list[str] = []


@contextlib.asynccontextmanager
async def async_context() -> AsyncIterator[Any]:
    """An async context manager factory that records entering and leaving, around a loop-bound saver."""
    CONTEXT_EVENTS.append("enter")
    try:
        yield LoopBound()
    finally:
        await asyncio.sleep(0)
        CONTEXT_EVENTS.append("exit")
