"""Answers case sys.argv[1] with a line of sys.argv[2] bytes; with sys.argv[3] "open", never ends it."""

import sys
import time
from typing import IO, Any

from _common import case_id, serve


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        out.write(b"x" * int(sys.argv[2]))
        out.flush()
        if sys.argv[3:] == ["open"]:
            time.sleep(3600)
        out.write(b"\n")
        out.flush()
        return True
    return False


serve(hook)
