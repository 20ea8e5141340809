"""Refuses start, as a driver whose target cannot be made does, and exits 2; records its pid."""

import json
import sys
from typing import IO, Any

from _common import record_pid, serve

record_pid()


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if request.get("cmd") == "start":
        error = f"cannot make target {request['target']}: ModuleNotFoundError: No module named 'my_savers'"
        out.write(json.dumps({"seq": request["seq"], "ok": False, "error": error}).encode() + b"\n")
        out.flush()
        sys.exit(2)
    return False


serve(hook)
