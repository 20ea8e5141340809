"""`record`: write a new case's (or scenario's) expectations from what a target observes, for review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .deadlines import DEFAULT_TIMEOUT
from .execution import CaseResult, run_case
from .files import write_json_atomically
from .loading import Case, Spec, read_json
from .targets import Target


def expectation_from(observation: dict[str, Any]) -> dict[str, Any] | None:
    if "result" in observation:
        return {"result": observation["result"]}
    if "error" in observation:
        return {"error": observation["error"]}
    return None


@dataclass
class Recorded:
    written: dict[Path, int] = field(default_factory=dict)  # steps written per file
    errored: list[CaseResult] = field(default_factory=list)  # cases that did not run to their end: nothing written


def record(
    spec: Spec, cases: list[Case], target: Target, *, overwrite: bool, timeout: float = DEFAULT_TIMEOUT
) -> Recorded:
    """Fill in `expect` for steps that lack one (or all, with overwrite)."""
    recorded = Recorded()
    written = recorded.written
    by_file: dict[Path, list[Case]] = {}
    for case in cases:
        by_file.setdefault(case.file, []).append(case)
    for path, file_cases in by_file.items():
        document = read_json(path)
        count = 0
        for case in file_cases:
            result = run_case(case, target, spec, timeout)
            if result.status == "errored":
                recorded.errored.append(result)
                continue
            # The case's own pointer (/cases/N or /scenarios/N) finds it in its file.
            _, member, position = case.pointer.split("/")
            raw = document[member][int(position)]
            for outcome in result.steps:
                step = raw["steps"][outcome.step.index]
                expectation = expectation_from(outcome.observation)
                if expectation is not None and (overwrite or "expect" not in step):
                    step["expect"] = expectation
                    count += 1
        if count:
            write_json_atomically(path, document)
        written[path] = count
    return recorded
