"""Answers case sys.argv[2] with a reply that is JSON but breaks a rule of spec files: sys.argv[1] says which."""

import json
import sys
from typing import IO, Any

from _common import case_id, serve

BAD = {
    "huge-number": "1" + "0" * 5000,
    "deep-nesting": "[" * 100_000 + "]" * 100_000,
    "lone-surrogate": json.dumps("\ud800"),
    "nan": "NaN",
}


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[2]:
        result: dict[str, Any] = {"id": sys.argv[2], "status": "passed", "reason": None, "steps": []}
        text = json.dumps({"seq": request["seq"], "ok": True, "result": result})
        out.write(text.replace('"steps": []', f'"steps": [{BAD[sys.argv[1]]}]').encode() + b"\n")
        out.flush()
        return True
    return False


serve(hook)
