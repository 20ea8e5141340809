"""Never answers case sys.argv[1]."""

import sys
import time
from typing import IO, Any

from _common import case_id, record_pid, serve


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        sys.stderr.write("fake driver: stuck\n")
        sys.stderr.flush()
        record_pid()
        time.sleep(3600)
    return False


serve(hook)
