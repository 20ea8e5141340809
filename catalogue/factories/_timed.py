"""How long each case held its saver, for the catalogue page: from the factory's call to the end of its teardown.

The catalogue session names a file in CHECKPOINT_SPEC_CATALOGUE_TIMES; each case appends one line, its seconds.
Without the variable the factories run untimed.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

TIMES_ENV = "CHECKPOINT_SPEC_CATALOGUE_TIMES"
S = TypeVar("S")


def timed(factory: Callable[[str], AbstractContextManager[S]]) -> Callable[[str], AbstractContextManager[S]]:
    @functools.wraps(factory)
    @contextmanager
    def wrapper(argument: str) -> Iterator[S]:
        started = time.perf_counter()
        try:
            with factory(argument) as saver:
                yield saver
        finally:
            times = os.environ.get(TIMES_ENV)
            if times:
                with open(times, "a", encoding="utf-8") as out:
                    out.write(f"{time.perf_counter() - started:.6f}\n")

    return wrapper
