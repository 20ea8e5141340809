"""A protocol-correct driver (the real Python driver on py-memory) with a hook to misbehave."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import IO, Any

from checkpoint_spec.driver import Driver, encode_line

# Returns True when it has dealt with the request itself.
Hook = Callable[[dict[str, Any], IO[bytes]], bool]


def serve(hook: Hook) -> None:
    out = sys.stdout.buffer
    driver = Driver()
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if hook(request, out):
            continue
        if request.get("cmd") == "start":
            # Run py-memory under whatever name the orchestrator gave this target.
            reply = driver.handle({**request, "target": "py-memory"})
            assert reply is not None
            if reply["ok"]:
                reply["implementation"]["target"] = request["target"]
                reply["implementation"]["libraries"]["fake-driver"] = "1.0"
        else:
            reply = driver.handle(request)
        if reply is not None:
            out.write(encode_line(reply))
            out.flush()
        if driver.done:
            return


def case_id(request: dict[str, Any]) -> str | None:
    return request["case"]["id"] if request.get("cmd") == "run" else None


def record_pid(pid: int | None = None) -> None:
    """Append a pid (this process's by default) to the file $FAKE_DRIVER_PIDS, for a test to check and clean up."""
    path = os.environ.get("FAKE_DRIVER_PIDS")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid() if pid is None else pid}\n")
