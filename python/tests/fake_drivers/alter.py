"""Behaves like py-memory, except that on case sys.argv[1] step 0 returns something else.

Step 0 of that case must have no expectation, so only the parity comparison notices.
"""

import sys
from typing import IO, Any

from _common import case_id, serve

from checkpoint_spec.driver import encode_line


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        from checkpoint_spec.driver import Driver

        driver = Driver()
        driver.handle({"seq": 0, "cmd": "start", "version": 1, "target": "py-memory", "fixtures": FIXTURES[0]})
        reply = driver.handle(request)
        assert reply is not None  # a run request always has a reply
        reply["result"]["steps"][0]["observation"] = {"result": {"altered": True}}
        out.write(encode_line(reply))
        out.flush()
        return True
    if request.get("cmd") == "start":
        FIXTURES[0] = request["fixtures"]
    return False


FIXTURES: list[dict[str, Any]] = [{}]
serve(hook)
