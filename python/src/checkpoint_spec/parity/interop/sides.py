"""The two sides of storage interop: the savers that write and read, in Python and in TypeScript."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Protocol

from ...codec import decode
from ...errors import SpecError, TargetError
from ...observation import observe_error
from ...references import UnresolvedReference, resolve
from ...spec_json import parse_json
from ...targets.postgres import postgres_factory
from ...targets.saver import SaverSession
from ...targets.sqlite import sqlite_factory

JS_INTEROP = Path("js") / "dist" / "interop.js"
TYPESCRIPT_TIMEOUT_SECONDS = 600
Job = dict[str, Any]


class Side(Protocol):
    def run(self, kind: str, jobs: list[Job], dsn: str | None) -> list[list[dict[str, Any]]]:
        """Each job's steps on its storage, in order: one list of observations per job."""


class PythonSide:
    """Python's SqliteSaver / PostgresSaver (sync API) in this process."""

    def __init__(self, fixtures: dict[str, Any]) -> None:
        self.fixtures = fixtures

    def run(self, kind: str, jobs: list[Job], dsn: str | None) -> list[list[dict[str, Any]]]:
        return [self._job(kind, job, dsn) for job in jobs]

    def _job(self, kind: str, job: Job, dsn: str | None) -> list[dict[str, Any]]:
        if kind == "sqlite":
            factory = sqlite_factory("py-sqlite", "sync", Path(job["storage"]))
        else:
            assert dsn is not None
            factory = postgres_factory("py-postgres", "sync", dsn, job["storage"])
        session = SaverSession(factory, "sync")
        results: dict[str, dict[str, Any]] = {}
        observed: list[dict[str, Any]] = []
        try:
            for step in job["steps"]:
                observation: dict[str, Any]
                try:
                    args = decode(resolve(step["args"], self.fixtures, results))
                    observation = {"result": session.call(step["op"], args)}
                except UnresolvedReference as exc:
                    observation = {"not_run": str(exc)}
                except Exception as exc:  # noqa: BLE001 - whatever the saver raised is the observation
                    observation = observe_error(exc)
                if "as" in step:
                    results[step["as"]] = observation
                observed.append(observation)
        finally:
            session.close()
        return observed


class TypeScriptSide:
    """LangGraph JS's SqliteSaver / PostgresSaver, through js/dist/interop.js (one process per batch)."""

    def __init__(self, repo: Path, fixtures: dict[str, Any], command: list[str] | None = None) -> None:
        if command is None:
            script = repo / JS_INTEROP
            if not script.is_file():
                raise TargetError(
                    f"interop: {script} is not built: run `npm ci && npm run build` in {repo / 'js'} first"
                )
            node = shutil.which("node")
            if node is None:
                raise TargetError("interop: node is not on PATH; the TypeScript savers need Node.js 20+")
            command = [node, str(script)]
        self.command = command
        self.fixtures = fixtures

    def run(self, kind: str, jobs: list[Job], dsn: str | None) -> list[list[dict[str, Any]]]:
        """Raises TargetError when the process fails or answers with something other than one list per job."""
        request = {"kind": kind, "dsn": dsn, "fixtures": self.fixtures, "jobs": jobs}
        try:
            done = subprocess.run(
                self.command,
                input=json.dumps(request),
                capture_output=True,
                text=True,
                check=False,
                timeout=TYPESCRIPT_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            raise TargetError(
                f"the TypeScript interop run did not finish within {TYPESCRIPT_TIMEOUT_SECONDS} s"
            ) from None
        if done.returncode != 0:
            raise TargetError(f"the TypeScript interop run failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
        try:
            observations = parse_json(done.stdout, "the TypeScript interop run", message=True)["observations"]
        except (SpecError, TypeError, KeyError):
            raise TargetError(
                f"the TypeScript interop run printed no observations: {done.stdout.strip()[-500:]!r}"
            ) from None
        if not isinstance(observations, list) or len(observations) != len(jobs):
            raise TargetError(
                f"the TypeScript interop run did not answer one list of observations for each of {len(jobs)} jobs"
            )
        return observations
