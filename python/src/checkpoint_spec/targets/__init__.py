"""Targets by name, and user checkpointers given as `module.path:factory`."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable

from .. import __version__
from ..deadlines import DEFAULT_TIMEOUT, TimedOut
from ..errors import TargetError, exception_text, quoted
from ..versions import library_versions, unsupported_libraries
from .base import Session, Target
from .memory import py_memory, py_memory_async
from .postgres import py_postgres, py_postgres_async
from .saver import Api, SaverTarget
from .sqlite import py_sqlite, py_sqlite_async

BUILTIN: dict[str, Callable[[float], Target]] = {
    "py-memory": py_memory,
    "py-memory-async": py_memory_async,
    "py-sqlite": py_sqlite,
    "py-sqlite-async": py_sqlite_async,
    "py-postgres": py_postgres,
    "py-postgres-async": py_postgres_async,
}

__all__ = ["BUILTIN", "Session", "Target", "check_target_arg", "make_target"]


def check_target_arg(spec: str, target_arg: str | None) -> None:
    """`--target-arg` is a factory's argument: a built-in target takes none (bad input, before anything runs)."""
    if target_arg is not None and spec in BUILTIN:
        raise TargetError(f"--target-arg: {quoted(spec)} is a built-in target, which takes no argument")


def make_target(
    spec: str, api: Api = "sync", timeout: float = DEFAULT_TIMEOUT, target_arg: str | None = None
) -> Target:
    """A built-in target by name, or `module.path:factory` for a user's own saver.

    Making it makes one saver, to learn its capabilities, within `timeout` seconds.
    With `target_arg` (`--target-arg`), the factory is called with it as its one argument.
    """
    check_target_arg(spec, target_arg)
    unsupported = unsupported_libraries()
    if unsupported:
        raise TargetError(
            f"--target: checkpoint-spec {__version__} does not support what is installed: {'; '.join(unsupported)}"
        )
    if spec in BUILTIN:
        if api == "async":
            raise TargetError(
                f"--async: applies to module.path:factory targets; {spec} has its API in its name "
                f"({', '.join(name for name in BUILTIN if name.endswith('-async'))})"
            )
        try:
            return BUILTIN[spec](timeout)
        except TimedOut as exc:
            raise TargetError(f"--target: {spec}: making the saver {exc}") from None
    if ":" not in spec:
        raise TargetError(
            f"--target: {quoted(spec)} is not a built-in target ({', '.join(BUILTIN)}) "
            "and not of the form module.path:factory"
        )
    module_name, _, attribute = spec.partition(":")
    # A console script does not search the working folder; the user's module is usually there.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is the user's to see
        raise TargetError(f"--target: cannot import {quoted(module_name)}: {exception_text(exc)}") from None
    factory = getattr(module, attribute, None)
    if not callable(factory):
        raise TargetError(f"--target: module {quoted(module_name)} has no callable {quoted(attribute)}")
    if target_arg is not None:
        factory = functools.partial(factory, target_arg)
    name = spec if api == "sync" else f"{spec}@async"
    # A factory that raises or overruns is no bad input: every case is errored with the reason (section 6).
    return SaverTarget(name, factory, api, library_versions(), timeout)
