"""Answers case sys.argv[1] with the wrong seq."""

import json
import sys
from typing import IO, Any

from _common import case_id, serve


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        reply = {
            "seq": request["seq"] + 7,
            "ok": True,
            "result": {"id": sys.argv[1], "status": "passed", "reason": None, "steps": []},
        }
        out.write(json.dumps(reply).encode() + b"\n")
        out.flush()
        return True
    return False


serve(hook)
