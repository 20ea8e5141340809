"""Prints a line that is not a protocol message instead of answering case sys.argv[1]."""

import sys
from typing import IO, Any

from _common import case_id, serve


def hook(request: dict[str, Any], out: IO[bytes]) -> bool:
    if case_id(request) == sys.argv[1]:
        out.write(b"Loading checkpointer... done\n")
        out.flush()
        return True
    return False


serve(hook)
