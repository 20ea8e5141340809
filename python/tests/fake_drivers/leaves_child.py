"""Starts a child process that outlives it, then serves; dies (exit status 3) on case sys.argv[1]."""

import os
import subprocess
import sys
from typing import IO, Any

from _common import case_id, record_pid, serve

child = subprocess.Popen(["sleep", "3600"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
record_pid(child.pid)


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        os._exit(3)
    return False


serve(hook)
