"""Line and branch coverage of one class, from a coverage.py JSON report.

    python class_coverage.py REPORT.json MODULE_FILE CLASS_NAME [--min PERCENT]

coverage.py reports per file; the spec's goal is stated per class
(InMemorySaver, not the PersistentDict helper beside it), so this narrows the
report to the class's line range.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path


def class_lines(source: Path, name: str) -> range:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            assert node.end_lineno is not None
            return range(node.lineno, node.end_lineno + 1)
    raise SystemExit(f"error: {source}: no class {name}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("module", type=Path)
    parser.add_argument("cls")
    parser.add_argument("--min", type=float, default=0.0)
    args = parser.parse_args()
    data = json.loads(args.report.read_text())
    entry = next((v for k, v in data["files"].items() if Path(k).resolve() == args.module.resolve()), None)
    if entry is None:
        print(f"error: {args.report} has no data for {args.module}", file=sys.stderr)
        return 2
    span = class_lines(args.module, args.cls)
    executed = [n for n in entry["executed_lines"] if n in span]
    missing = [n for n in entry["missing_lines"] if n in span]
    taken = [b for b in entry["executed_branches"] if b[0] in span]
    untaken = [b for b in entry["missing_branches"] if b[0] in span]
    lines = len(executed) + len(missing)
    branches = len(taken) + len(untaken)
    line_pct = 100.0 * len(executed) / lines if lines else 100.0
    branch_pct = 100.0 * len(taken) / branches if branches else 100.0
    combined = 100.0 * (len(executed) + len(taken)) / (lines + branches) if lines + branches else 100.0
    print(
        f"{args.cls}: lines {len(executed)}/{lines} ({line_pct:.1f}%), branches {len(taken)}/{branches} "
        f"({branch_pct:.1f}%), combined {combined:.1f}%"
    )
    if missing:
        print(f"  lines not run: {', '.join(map(str, missing))}")
    if untaken:
        print(f"  branches not taken: {', '.join(f'{a}->{b}' for a, b in untaken)}")
    if combined < args.min:
        print(f"error: combined coverage {combined:.1f}% is below {args.min}%", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
