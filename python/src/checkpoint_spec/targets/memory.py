"""The reference targets: LangGraph's InMemorySaver through its sync and async APIs."""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver

from ..deadlines import DEFAULT_TIMEOUT
from ..versions import library_versions
from .saver import SaverTarget


def py_memory(timeout: float = DEFAULT_TIMEOUT) -> SaverTarget:
    return SaverTarget("py-memory", InMemorySaver, "sync", library_versions(), timeout)


def py_memory_async(timeout: float = DEFAULT_TIMEOUT) -> SaverTarget:
    return SaverTarget("py-memory-async", InMemorySaver, "async", library_versions(), timeout)
