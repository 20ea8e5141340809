"""Dies (exit status 3) with a message on standard error when asked to run case sys.argv[1]."""

import os
import sys
from typing import IO, Any

from _common import case_id, serve


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        sys.stderr.write("fake driver: boom on " + sys.argv[1] + "\n")
        sys.stderr.flush()
        os._exit(3)
    return False


serve(hook)
