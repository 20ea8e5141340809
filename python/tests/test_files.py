"""Writing a folder of files whole: kill -9 at any moment leaves the old set or the new, never a mix or leftovers."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checkpoint_spec import files
from checkpoint_spec.files import TEMPORARY, remove_leftovers, write_folder_atomically

NAMES = ("parity.json", "parity.md", "parity.html", "summary.txt")
# Writes set after set, each file naming its set on its first line, until it is killed.
WRITER = """
import itertools, sys
from pathlib import Path
from checkpoint_spec.files import write_folder_atomically
out, first = Path(sys.argv[1]), int(sys.argv[2])
for generation in itertools.count(first):
    write_folder_atomically(out, {name: f"{generation}\\n" + "x" * 50_000 for name in sys.argv[3:]})
    if generation == first:
        print("ready", flush=True)
"""


def generations(folder: Path) -> set[str]:
    assert sorted(os.listdir(folder)) == sorted(NAMES), os.listdir(folder)
    return {(folder / name).read_text().split("\n", 1)[0] for name in NAMES}


def dead_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_writer_killed_at_any_moment_leaves_one_whole_set_and_the_next_cleans_up(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "parity"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    chance = random.Random(20240611)
    for attempt in range(30):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(out), str(attempt * 1_000_000), *NAMES],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert writer.stdout is not None
            if attempt % 3:  # else killed during its first set, with or without an old one in place
                assert writer.stdout.readline() == "ready\n"
            time.sleep(chance.uniform(0, 0.03))
            writer.send_signal(signal.SIGKILL)
            writer.wait(60)
        finally:
            writer.kill()
            if writer.stdout is not None:
                writer.stdout.close()
        if out.exists():
            assert len(generations(out)) == 1, f"a mixed set after attempt {attempt}"
        write_folder_atomically(out, {name: "next\n" for name in NAMES})
        assert generations(out) == {"next"}
        assert os.listdir(out.parent) == ["parity"], f"leftovers after attempt {attempt}"


def test_without_an_exchange_the_old_folder_is_moved_aside_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_exchange", lambda first, second: False)
    out = tmp_path / "out"
    write_folder_atomically(out, {name: "1\n" for name in NAMES})
    write_folder_atomically(out, {name: "2\n" for name in NAMES})
    assert generations(out) == {"2"}
    assert os.listdir(tmp_path) == ["out"]


def test_only_leftovers_of_writers_that_are_gone_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    gone = tmp_path / f"{TEMPORARY}out.{dead_pid()}.abc123"
    gone.mkdir()
    (gone / "parity.json").write_text("partial")
    gone_file = tmp_path / f"{TEMPORARY}out.{dead_pid()}.def456"
    gone_file.write_text("partial")
    running = tmp_path / f"{TEMPORARY}out.{os.getpid()}.ghi789"
    running.mkdir()
    other = tmp_path / f"{TEMPORARY}outer.{dead_pid()}.jkl012"
    other.mkdir()
    remove_leftovers(out)
    assert sorted(os.listdir(tmp_path)) == sorted(["out", running.name, other.name])
