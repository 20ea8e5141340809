"""Adapter from the spec's operations onto any Python BaseCheckpointSaver, sync or async API."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Literal, TypeVar, cast

from langgraph.checkpoint.base import BaseCheckpointSaver

from ..codec import encode
from ..deadlines import DEFAULT_TIMEOUT, StepThread, TimedOut, within_deadline
from ..errors import exception_text
from ..observation import RunnerFailure, observe_delta_history, observe_tuple
from ..operations import CORE_CAPABILITIES, EXTENDED_CAPABILITIES
from ..versions import saver_package

Api = Literal["sync", "async"]
SaverFactory = Callable[[], Any]
T = TypeVar("T")

# Base-class methods that only raise NotImplementedError; a saver supports the
# capability when its class replaces them. The base's get_delta_channel_history
# is a working default, so every saver has that capability.
_PLACEHOLDERS = {
    "delete_for_runs": ("delete_for_runs", "adelete_for_runs"),
    "copy_thread": ("copy_thread", "acopy_thread"),
    "prune": ("prune", "aprune"),
}


def saver_capabilities(saver: BaseCheckpointSaver[Any], api: Api) -> frozenset[str]:
    supported = set(CORE_CAPABILITIES)
    for capability in EXTENDED_CAPABILITIES:
        names = _PLACEHOLDERS.get(capability)
        if names is None:
            supported.add(capability)
            continue
        method = names[0] if api == "sync" else names[1]
        own = getattr(type(saver), method, None)
        # A method set to something that cannot be called is lacking too (section 3), as in TypeScript.
        if callable(own) and own is not getattr(BaseCheckpointSaver, method):
            supported.add(capability)
    return frozenset(supported)


def _observe_list(found: list[Any]) -> list[Any]:
    return [observe_tuple(item) for item in found]


Invocation = tuple[str, tuple[Any, ...], dict[str, Any], Callable[[Any], Any]]


def _invocation(op: str, a: dict[str, Any]) -> Invocation:
    """The sync method name, its arguments, and how to observe what it returns."""
    if op == "put":
        return "put", (a["config"], a["checkpoint"], a["metadata"], a["new_versions"]), {}, encode
    if op == "put_writes":
        writes = [(channel, value) for channel, value in a["writes"]]
        return "put_writes", (a["config"], writes, a["task_id"], a.get("task_path", "")), {}, encode
    if op == "get_tuple":
        return "get_tuple", (a["config"],), {}, observe_tuple
    if op == "get":
        return "get", (a["config"],), {}, encode
    if op == "list":
        options: dict[str, Any] = {key: a[key] for key in ("filter", "before", "limit") if key in a}
        return "list", (a["config"],), options, _observe_list
    if op == "delete_thread":
        return "delete_thread", (a["thread_id"],), {}, encode
    if op == "get_next_version":
        return "get_next_version", (a["current"], None), {}, encode
    if op == "delete_for_runs":
        return "delete_for_runs", (a["run_ids"],), {}, encode
    if op == "copy_thread":
        return "copy_thread", (a["source_thread_id"], a["target_thread_id"]), {}, encode
    if op == "prune":
        strategy: dict[str, Any] = {"strategy": a["strategy"]} if "strategy" in a else {}
        return "prune", (a["thread_ids"],), strategy, encode
    if op == "get_delta_channel_history":
        keywords = {"config": a["config"], "channels": a["channels"]}
        return "get_delta_channel_history", (), keywords, observe_delta_history
    raise NotImplementedError(f"unknown operation {op}")


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _made_in_loop(factory: SaverFactory) -> Any:
    """The factory called inside the running event loop (a saver may capture it), what it returns awaited."""
    made = factory()
    return await made if inspect.isawaitable(made) else made


class _LoopThread:
    """An event loop running on a thread of its own, for an async factory under the sync API.

    An async saver's sync methods hand their work to the loop it was made in
    from another thread (LangGraph's async savers do), so that loop keeps
    running while the case's steps call them.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="checkpoint-spec-loop", daemon=True)
        self._thread.start()

    def run(self, awaitable: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(_awaited(awaitable), self.loop).result()

    def close(self) -> None:
        # As asyncio.Runner closes its loop: what the saver left running is cancelled, generators and executor shut.
        with contextlib.suppress(Exception):
            self.run(_finish_loop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


async def _finish_loop() -> None:
    loop = asyncio.get_running_loop()
    left = [task for task in asyncio.all_tasks(loop) if task is not asyncio.current_task()]
    for task in left:
        task.cancel()
    await asyncio.gather(*left, return_exceptions=True)
    await loop.shutdown_asyncgens()
    await loop.shutdown_default_executor()


class SaverSession:
    def __init__(self, factory: SaverFactory, api: Api) -> None:
        self.api = api
        self._stack = contextlib.ExitStack()
        self._runner = asyncio.Runner() if api == "async" else None
        self._loop_thread: _LoopThread | None = None
        if self._runner is not None:
            self._stack.callback(self._runner.close)
        try:
            entered = self._enter(self._made(factory))
        except BaseException:
            # What was entered is left again (the event loop closed) before the failure is reported.
            with contextlib.suppress(Exception):
                self._stack.close()
            raise
        self.saver: BaseCheckpointSaver[Any] = entered

    def _made(self, factory: SaverFactory) -> Any:
        """What the factory gives (spec/README.md section 6): called inside the session's loop under the async API."""
        if self._runner is not None:
            return self.run_async(_made_in_loop(factory))
        made = factory()
        # An async factory under the sync API is awaited on a loop of the session's own.
        return self._await(made) if inspect.isawaitable(made) else made

    def _await(self, awaitable: Awaitable[T]) -> T:
        """Await in the session's event loop: the async API's, or else one started on a thread for the session."""
        if self._runner is not None:
            return self.run_async(_awaited(awaitable))
        if self._loop_thread is None:
            self._loop_thread = _LoopThread()
            self._stack.callback(self._loop_thread.close)
        return self._loop_thread.run(awaitable)

    def _enter(self, made: Any) -> BaseCheckpointSaver[Any]:
        # Savers are used as their documentation shows: entered as context
        # managers when they are one (InMemorySaver is), or a factory's
        # context manager yields the saver. The async API enters an async
        # context manager as one; the sync API only when it is not also a sync one.
        entered: Any
        if hasattr(made, "__aenter__") and (self.api == "async" or not hasattr(made, "__enter__")):
            entered = self._await(made.__aenter__())
            self._stack.callback(lambda: self._await(made.__aexit__(None, None, None)))
        elif hasattr(made, "__enter__"):
            entered = self._stack.enter_context(made)
        else:
            entered = made
        if not isinstance(entered, BaseCheckpointSaver):
            raise TypeError(f"the factory gave {type(entered).__name__}, not a BaseCheckpointSaver")
        return entered

    def run_async(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine in this session's event loop (its savers are bound to it), within the step's bound."""
        assert self._runner is not None
        return self._runner.run(within_deadline(coroutine))

    def call(self, op: str, args: dict[str, Any]) -> Any:
        """What the saver returned, observed; raises what the saver raised, or RunnerFailure for the runner's own."""
        try:
            method, positional, keywords, observe = _invocation(op, args)
        except Exception as exc:  # before the saver is called, any failure is the runner's
            raise RunnerFailure(f"the runner failed before calling the saver: {exception_text(exc)}") from exc
        returned = self._returned(op, method, positional, keywords)
        try:
            return observe(returned)
        except Exception as exc:  # the saver returned; failing to observe that is not its error
            raise RunnerFailure(f"the runner failed observing the result: {exception_text(exc)}") from exc

    def _returned(self, op: str, method: str, positional: tuple[Any, ...], keywords: dict[str, Any]) -> Any:
        """What the saver's method returned (a list's items collected); what it raises is the saver's error."""
        if self.api == "sync" or op == "get_next_version":
            # The saver API has no async form of get_next_version.
            returned = self._method(method)(*positional, **keywords)
            return list(returned) if op == "list" else returned
        async_method = self._method("a" + method)

        async def run() -> Any:
            if op == "list":
                return [item async for item in async_method(*positional, **keywords)]
            return await async_method(*positional, **keywords)

        return self.run_async(run())

    def _method(self, name: str) -> Callable[..., Any]:
        """The saver's method; one it lacks is its own NotImplementedError, as the base class's placeholders raise."""
        method: Any = getattr(self.saver, name, None)
        if not callable(method):
            raise NotImplementedError(f"the saver has no method {name}")
        return cast("Callable[..., Any]", method)

    def close(self) -> None:
        self._stack.close()


class SaverTarget:
    language = "python"

    def __init__(
        self, name: str, factory: SaverFactory, api: Api, libraries: dict[str, str], timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.name = name
        self.factory = factory
        self.api = api
        self.libraries = libraries
        # Why the first saver could not be made; every case is then errored with it (spec/README.md section 6).
        self.failure: BaseException | None = None
        # The probe is bounded like a case's steps (raises TimedOut), on a thread of its own.
        thread = StepThread(timeout)
        try:
            probe = thread.run(lambda: SaverSession(factory, api))
        except (Exception, TimedOut) as exc:  # noqa: BLE001 - whatever the factory raised is every case's reason
            # Its capabilities are unknown: none is missing, so no case is skipped and each is errored.
            self.failure = exc
            self.capabilities = CORE_CAPABILITIES | EXTENDED_CAPABILITIES
            thread.stop()
            return
        try:
            self.capabilities = saver_capabilities(probe.saver, api)
            # The header names the package the saver comes from, beside the LangGraph libraries.
            self.libraries = {**saver_package(probe.saver), **libraries}
            # A close that fails is no case's: each case closes its own saver and is errored if that fails.
            with contextlib.suppress(Exception, TimedOut):
                thread.run(probe.close)
        finally:
            thread.stop()

    def open(self) -> SaverSession:
        if self.failure is not None:
            # The factory is not called again: the reason is the first call's, raised afresh for each case.
            raise self.failure.with_traceback(None)
        return SaverSession(self.factory, self.api)
