"""Progress on standard error: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io

import pytest

from checkpoint_spec import progress
from checkpoint_spec.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_off_a_terminal_every_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    with Progress(3, stream=stream) as bar:
        for failed in (False, True, False):
            bar.advance(failed)
    assert stream.getvalue().splitlines() == [
        "progress: 1/3 cases, 0 failed",
        "progress: 2/3 cases, 1 failed",
        "progress: 3/3 cases, 1 failed",
    ]


def test_a_short_run_off_a_terminal_prints_nothing() -> None:
    stream = io.StringIO()
    with Progress(3, stream=stream) as bar:
        bar.advance(False)
    assert stream.getvalue() == ""


def test_a_bar_on_a_terminal_that_is_cleared_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "REFRESH", 0.0)
    stream = Terminal()
    with Progress(2, stream=stream) as bar:
        bar.advance(True)
        assert "1/2" in stream.getvalue() and "1 failed" in stream.getvalue()
        bar.advance(False)
    # leave=False: the bar's line is blanked and the cursor back at its start.
    value = stream.getvalue()
    assert value.endswith("\r") and value.rsplit("\r", 2)[-2].strip() == ""
