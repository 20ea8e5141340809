"""The reference targets: LangGraph's InMemorySaver through its sync and async APIs."""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver

from ..versions import library_versions
from .saver import SaverTarget


def py_memory() -> SaverTarget:
    return SaverTarget("py-memory", InMemorySaver, "sync", library_versions())


def py_memory_async() -> SaverTarget:
    return SaverTarget("py-memory-async", InMemorySaver, "async", library_versions())
