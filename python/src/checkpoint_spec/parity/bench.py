"""Benchmark of the parity run: `python -m checkpoint_spec.parity.bench [--runs N] [--round-trips M]`.

Prints the wall time of the whole `checkpoint-spec parity` command (a fresh
process each time, after a warm-up run) and its median, first on the three
in-memory targets (the run that should stay under 3 seconds), then on all nine
targets (the default; the postgres ones need CHECKPOINT_SPEC_POSTGRES_DSN, or
the run starts a throwaway server each time), and for each driver target the
cost of one protocol round trip and of one step through it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..driver import case_object
from ..loading import Case, Step, load_spec
from ..roots import default_spec_root
from .drivers import DriverProcess
from .targets import DEFAULT_TARGETS, MEMORY_TARGETS, js_driver_command, python_driver_command

ONE_STEP = Case(
    id="bench-one-step",
    title="one get_next_version step",
    operation="get_next_version",
    requires=(),
    steps=(Step(0, "get_next_version", {"current": None}, None, None),),
    file=Path("<bench>"),
    pointer="",
)


def time_parity(runs: int, out: Path, targets: tuple[str, ...]) -> list[float]:
    # The targets' part only: storage interop (--interop) is a separate part of the run with its own cost.
    command = [sys.executable, "-m", "checkpoint_spec", "parity", "--out", str(out), "--targets", ",".join(targets)]
    command += ["--interop", "none"]
    subprocess.run(command, capture_output=True, check=False)  # warm-up: caches, .pyc files
    times: list[float] = []
    for index in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - began)
        print(f"  run {index + 1}: {times[-1]:.3f} s  ({done.stdout.strip().splitlines()[-1]})")
    return times


def round_trips(name: str, command: tuple[str, ...], count: int) -> tuple[float, float, int]:
    """Median seconds of one run round trip on a one-step case, and of a step over the whole spec."""
    spec = load_spec(default_spec_root())
    repo = spec.root.resolve().parent
    process = DriverProcess(name, command, cwd=repo, schema=spec.root / "schema" / "driver-message.schema.json")
    try:
        process.start(name, spec.fixtures, 60)
        one = case_object(ONE_STEP)
        samples: list[float] = []
        for _ in range(count):
            began = time.perf_counter()
            process.run(one, 10)
            samples.append(time.perf_counter() - began)
        objects = [case_object(case) for case in spec.cases]
        began = time.perf_counter()
        steps = 0
        for raw in objects:
            reply = process.run(raw, 10)
            steps += len(reply["result"]["steps"])
        whole = time.perf_counter() - began
    finally:
        process.stop()
    return statistics.median(samples), whole / max(steps, 1), steps


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m checkpoint_spec.parity.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed parity runs (default 5)")
    parser.add_argument("--round-trips", type=int, default=300, help="round trips per driver (default 300)")
    args = parser.parse_args()
    repo = default_spec_root().resolve().parent
    for label, targets in (("in-memory targets", MEMORY_TARGETS), ("all nine targets", DEFAULT_TARGETS)):
        with tempfile.TemporaryDirectory() as folder:
            print(f"parity run over every case on {', '.join(targets)}, {args.runs} runs after a warm-up:")
            times = time_parity(args.runs, Path(folder), targets)
        print(
            f"parity run wall time, {label}: median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f})"
        )
    drivers = {
        "js-memory": js_driver_command(repo, "js-memory"),
        "py-memory (driver)": python_driver_command("py-memory"),
    }
    for label, command in drivers.items():
        name = label.split(" ")[0]
        trip, per_step, steps = round_trips(name, command, args.round_trips)
        print(
            f"{label}: round trip of a one-step case {trip * 1e3:.3f} ms (median of {args.round_trips}); "
            f"whole spec through the driver {per_step * 1e3:.3f} ms per step over {steps} steps"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
