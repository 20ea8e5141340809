"""Progress of a long run on standard error: cases done and failures so far.

On a terminal, a bar (tqdm) that is cleared when the run ends; elsewhere (CI,
a pipe), a plain line every INTERVAL seconds, so a short run prints nothing
and a long one shows it is alive.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

INTERVAL = 10.0
# The bar's own refresh limit, in seconds.
REFRESH = 0.1


class Progress:
    def __init__(self, total: int, what: str = "cases", stream: TextIO | None = None) -> None:
        self.total, self.what = total, what
        self.stream = sys.stderr if stream is None else stream
        self.done = self.failed = 0
        self._next = time.monotonic() + INTERVAL
        isatty = getattr(self.stream, "isatty", None)
        terminal = bool(isatty and isatty())
        self._bar = (
            tqdm(total=total, unit=" " + what, file=self.stream, leave=False, mininterval=REFRESH) if terminal else None
        )

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.failed} failed", refresh=False)
            self._bar.update()
        elif time.monotonic() >= self._next:
            self._next = time.monotonic() + INTERVAL
            print(f"progress: {self.done}/{self.total} {self.what}, {self.failed} failed", file=self.stream, flush=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.close()
