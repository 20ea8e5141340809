"""Storage interop: what one language's saver writes, read back by the other language's saver of the same kind.

For each kind (SQLite, PostgreSQL) and direction (python->typescript,
typescript->python), every spec case that writes and reads runs on storage of
its own: the writer's saver runs the case, then the case's reads run on the
final state with the writer's saver and with the reader's. Each read is equal,
changed (the first pointer and a diff) or unreadable (the error); see
running.py. spec/parity/interop.json records, strictly, every KIND DIRECTION
OP VERDICT group that is not equal, with its reason (findings.py).

`checkpoint-spec parity` runs it as a section of the parity reports
(`--interop sqlite,postgres`, the default, or `none`); on its own:

    python -m checkpoint_spec.parity.interop [--kind sqlite|postgres]... [--case GLOB]... [--json FILE]

Modules: model (reads, verdicts, counts), sides (the Python and TypeScript
savers), storage (fresh files and schemas), running (the run and the verdicts),
findings (the findings file), section (the report section), part (the part of a
parity run: checked up front, then run), command (the command above).
"""

from __future__ import annotations

from .findings import REGISTRY, InteropRegistry, check_registry, load_interop_findings, rewrite_registry
from .model import KINDS, InteropRun, Read
from .part import InteropPart, parse_kinds, prepare_interop, run_interop_part
from .running import run_interop
from .section import interop_section
from .sides import JS_INTEROP, PythonSide, TypeScriptSide

__all__ = [
    "JS_INTEROP",
    "KINDS",
    "REGISTRY",
    "InteropPart",
    "InteropRegistry",
    "InteropRun",
    "PythonSide",
    "Read",
    "TypeScriptSide",
    "check_registry",
    "interop_section",
    "load_interop_findings",
    "parse_kinds",
    "prepare_interop",
    "rewrite_registry",
    "run_interop",
    "run_interop_part",
]
