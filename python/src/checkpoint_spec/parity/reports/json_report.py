"""parity.json: the whole run as data, every distinct observation stored once.

The report document (document.py) repeats each step's observation per target, and most targets observe the same;
parity.json keeps them in one table, `values`, and steps and interop reads refer to it by index (see DESCRIPTION).
`unpack` restores the document for readers; parity-report.schema.json, beside this module, describes the file.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .values import ValueTable

# The top level and the members of its lists and objects (each case, each value) a line, the interop findings too.
LAYOUT_DEPTH = 3
DESCRIPTION = (
    "The parity run of checkpoint-spec. Observations are stored once: `values` lists every distinct observation "
    "(equal JSON text), and each target's step has `observation_index`, an index into `values`, where the report "
    "of one target would have its `observation`; in the interop section each read has `written_index` and "
    "`read_index` for its `written` and `read` observations. Everything else is as the reports show it. Its JSON "
    "Schema is parity-report.schema.json in the package checkpoint_spec.parity.reports."
)


def report_schema() -> Any:
    """The JSON Schema of parity.json (parity-report.schema.json)."""
    return json.loads(resources.files(__package__).joinpath("parity-report.schema.json").read_text(encoding="utf-8"))


def pack(document: dict[str, Any]) -> dict[str, Any]:
    table = ValueTable()
    cases = [
        {
            **case,
            "targets": {
                name: {
                    **target,
                    "steps": [
                        {
                            "index": step["index"],
                            "op": step["op"],
                            "observation_index": table.index(step["observation"]),
                            "problem": step["problem"],
                        }
                        for step in target["steps"]
                    ],
                }
                for name, target in case["targets"].items()
            },
        }
        for case in document["cases"]
    ]
    packed: dict[str, Any] = {"description": DESCRIPTION, **document, "cases": cases}
    interop = document.get("interop")
    if interop is not None:
        packed["interop"] = {
            **interop,
            "findings": [
                {
                    **finding,
                    "reads": [
                        {
                            **{key: value for key, value in item.items() if key not in ("written", "read")},
                            "written_index": table.index(item["written"]),
                            "read_index": table.index(item["read"]),
                        }
                        for item in finding["reads"]
                    ],
                }
                for finding in interop["findings"]
            ],
        }
    packed["values"] = table.values
    return packed


def unpack(packed: dict[str, Any]) -> dict[str, Any]:
    """The report document a parity.json was written from."""
    values = packed["values"]
    document = {key: value for key, value in packed.items() if key not in ("description", "values")}
    document["cases"] = [
        {
            **case,
            "targets": {
                name: {
                    **target,
                    "steps": [
                        {
                            "index": step["index"],
                            "op": step["op"],
                            "observation": values[step["observation_index"]],
                            "problem": step["problem"],
                        }
                        for step in target["steps"]
                    ],
                }
                for name, target in case["targets"].items()
            },
        }
        for case in packed["cases"]
    ]
    interop = packed.get("interop")
    if interop is not None:
        document["interop"] = {
            **interop,
            "findings": [
                {
                    **finding,
                    "reads": [
                        {
                            **{k: v for k, v in item.items() if k not in ("written_index", "read_index")},
                            "written": values[item["written_index"]],
                            "read": values[item["read_index"]],
                        }
                        for item in finding["reads"]
                    ],
                }
                for finding in interop["findings"]
            ],
        }
    return document


def _lines(value: Any, depth: int, indent: str = "") -> str:
    """JSON with containers laid out a member a line down to depth, compact below: one case, one value a line."""
    if depth == 0 or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    inner = indent + " "
    if isinstance(value, dict):
        members = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {_lines(item, depth - 1, inner)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(members) + "\n" + indent + "}"
    return "[\n" + ",\n".join(inner + _lines(item, depth - 1, inner) for item in value) + "\n" + indent + "]"


def render_json(document: dict[str, Any]) -> str:
    return _lines(pack(document), LAYOUT_DEPTH) + "\n"
