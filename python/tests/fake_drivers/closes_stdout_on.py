"""Closes its standard output instead of answering case sys.argv[1], and keeps running."""

import os
import sys
import time
from typing import IO, Any

from _common import case_id, record_pid, serve


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        record_pid()
        out.close()
        os.close(1)
        sys.stderr.write("fake driver: stdout closed\n")
        sys.stderr.flush()
        time.sleep(3600)
    return False


serve(hook)
