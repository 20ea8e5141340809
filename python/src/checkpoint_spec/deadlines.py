"""The time bound on each step of a case (`--timeout`): every step runs on the case's own daemon thread.

A sync saver call cannot be interrupted in Python, so a step that overruns is
abandoned: the caller goes on and the thread, a daemon, is left to finish or
not without holding up the process's exit. Making the saver, every step and
closing the saver run on the same thread, so a saver bound to the thread that
made it (a sqlite3 connection, say) works. An async step is cancelled by
asyncio's own timeout at the bound (`within_deadline`), which leaves the
thread free to close the saver; the thread is abandoned only when that does
not end the step soon after.
"""

from __future__ import annotations

import asyncio
import math
import queue
import re
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

from .errors import SpecError, quoted

DEFAULT_TIMEOUT = 5.0
# How long past the bound an async step has to end once asyncio cancelled it.
GRACE = 0.5
# A timeout as spec/README.md 7.2 writes it: no sign, no `_`, no `inf` (which float() would take).
_DECIMAL = re.compile(r"\s*(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
T = TypeVar("T")


class TimedOut(BaseException):
    """A step that overran its bound.

    A BaseException, like asyncio.CancelledError: the code that turns whatever a
    saver raised into an observation catches Exception, and a timeout is never
    an observation.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"timed out after {seconds_text(seconds)}")


def seconds_text(seconds: float) -> str:
    return f"{seconds:g} s"


def parse_timeout(text: str, option: str = "--timeout") -> float:
    """A positive, finite number of seconds; SpecError naming the option otherwise."""
    seconds = float(text) if _DECIMAL.fullmatch(text) else math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise SpecError(option, f"must be a positive number of seconds, not {quoted(text)}")
    return seconds


_local = threading.local()


def remaining() -> float | None:
    """Seconds left of the step running on this thread; None outside a bounded step."""
    deadline: float | None = getattr(_local, "deadline", None)
    return None if deadline is None else max(0.0, deadline - time.monotonic())


async def within_deadline(coroutine: Coroutine[Any, Any, T]) -> T:
    """Await coroutine, cancelled at the bound of the step running on this thread (raises TimedOut)."""
    left = remaining()
    if left is None:
        return await coroutine
    seconds: float = _local.seconds
    bound = asyncio.timeout(left)
    try:
        async with bound:
            return await coroutine
    except TimeoutError:
        if bound.expired():
            raise TimedOut(seconds) from None
        raise


class _Job(Generic[T]):
    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.done = threading.Event()
        self.value: T | None = None
        self.raised: BaseException | None = None

    def outcome(self) -> T:
        if self.raised is not None:
            raise self.raised
        return self.value  # type: ignore[return-value]  # T may itself allow None: no None check here


class StepThread:
    """One case's thread: runs one piece of work at a time, each within `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.abandoned = False
        self._jobs: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="checkpoint-spec-step", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            _local.deadline = time.monotonic() + self.seconds
            _local.seconds = self.seconds
            try:
                job.value = job.work()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, whatever it is
                job.raised = exc
            finally:
                _local.deadline = None
                job.done.set()

    def run(self, work: Callable[[], T]) -> T:
        """work() on this thread within the bound; raises TimedOut, and abandons the thread, when it overruns."""
        if self.abandoned:
            raise TimedOut(self.seconds)
        job = _Job(work)
        self._jobs.put(job)
        if not job.done.wait(self.seconds + GRACE):
            self.abandoned = True
            raise TimedOut(self.seconds)
        return job.outcome()

    def stop(self) -> None:
        """Let the thread end once it is idle; an abandoned one ends when its work does, if ever."""
        self._jobs.put(None)
