"""Answers start with a reply that is not a valid start reply (no implementation)."""

import json
from typing import IO, Any

from _common import serve


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if request.get("cmd") == "start":
        out.write(json.dumps({"seq": request["seq"], "ok": True, "version": 1}).encode() + b"\n")
        out.flush()
        return True
    return False


serve(hook)
