"""The real TypeScript driver: a kill mid-run errors one case, the driver is restarted and the run goes on."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from checkpoint_spec.divergences import known_path, load_known
from checkpoint_spec.loading import load_spec
from checkpoint_spec.parity.orchestration import judge_run
from checkpoint_spec.parity.runners import DriverRunner
from checkpoint_spec.parity.targets import js_driver_command

from .conftest import REPO, SPEC

BUILT = (REPO / "js" / "dist" / "cli.js").is_file()


@pytest.mark.skipif(
    not BUILT, reason="js/dist is not built; `python3 noxw -s parity` builds it (npm ci, npm run build)"
)
def test_killing_the_js_driver_mid_run_errors_one_case_and_the_run_goes_on() -> None:
    spec = load_spec(SPEC)
    cases = [case for case in spec.cases if not case.requires][:6]
    runner = DriverRunner("js-memory", js_driver_command(REPO, "js-memory"), spec, cwd=REPO, timeout=30)
    known = load_known(known_path(spec, "js-memory"), "js-memory", spec)
    runs = []
    try:
        runner.start()
        assert runner.implementation is not None
        assert runner.implementation.language == "typescript"
        assert runner.implementation.libraries["@langchain/langgraph-checkpoint"]
        for index, case in enumerate(cases):
            if index == 2:
                # Killed between two cases, and reaped, so the kill cannot lose a race
                # with a reply already on its way: the next case meets a dead driver.
                assert runner.process is not None
                os.killpg(runner.process.process.pid, signal.SIGKILL)
                runner.process.process.wait()
            runner.submit(case)
            runs.append(runner.collect(case))
    finally:
        runner.close()
    statuses = [run.status for run in runs]
    assert statuses[2] == "errored"
    assert runs[2].fault is not None and runs[2].fault.kind == "exited"
    assert "exited with status -9" in runs[2].fault.message
    assert "errored" not in statuses[:2] + statuses[3:]
    assert runner.restarts == 1
    for case, run in zip(cases, runs, strict=True):
        if run.status != "errored":
            assert judge_run(case, run, known, spec).verdict in ("passed", "known"), case.id
    assert Path(REPO / "js" / "dist" / "cli.js").is_file()
