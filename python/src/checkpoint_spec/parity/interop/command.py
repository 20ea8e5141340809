"""`python -m checkpoint_spec.parity.interop`: storage interop on its own (`checkpoint-spec parity` runs it too)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ...errors import SpecError, TargetError
from ...loading import InvalidSpec, load_spec
from ...roots import SPEC_HELP
from ...selection import select_cases
from .findings import REGISTRY
from .model import KINDS
from .part import prepare_interop, run_interop_part


def main(argv: Sequence[str] | None = None) -> int:
    from . import __doc__ as description

    parser = argparse.ArgumentParser(prog="python -m checkpoint_spec.parity.interop", description=description)
    parser.add_argument("--spec", type=Path, default=None, help=SPEC_HELP)
    parser.add_argument("--kind", action="append", choices=KINDS, help="sqlite, postgres (default: both)")
    parser.add_argument("--case", action="append", metavar="GLOB", help="only cases whose id matches")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the section as JSON")
    parser.add_argument("--update-registry", action="store_true", help=f"rewrite spec/{REGISTRY} from this run")
    args = parser.parse_args(argv)
    from ...roots import default_spec_root
    from ..reports.interop_terminal import interop_lines

    root: Path = args.spec or default_spec_root()
    kinds = list(dict.fromkeys(args.kind or KINDS))
    try:
        spec = load_spec(root)
        cases = select_cases(spec, args.case)
        part = prepare_interop(spec, kinds, update=args.update_registry)
    except InvalidSpec as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except (SpecError, TargetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    section, notes = run_interop_part(part, cases, full=not args.case, update=args.update_registry)
    for line in [*notes, *interop_lines(section)]:
        print(line)
    if args.json:
        from ...files import write_json_atomically

        write_json_atomically(args.json, section)
    return 0 if section["ok"] else 1
