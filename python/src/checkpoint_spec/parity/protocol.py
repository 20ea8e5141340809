"""Driver messages checked against spec/schema/driver-message.schema.json, compiled once per process."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

# Which definitions of the schema a message of each kind may match.
KINDS = {
    "start": ("start",),
    "run": ("run",),
    "stop": ("stop",),
    "start-reply": ("startReply", "errorReply"),
    "run-reply": ("runReply", "errorReply"),
    "stop-reply": ("okReply", "errorReply"),
}


@cache
def _validator(schema_path: Path, kind: str) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    narrowed = {key: value for key, value in schema.items() if key != "oneOf"}
    narrowed["oneOf"] = [{"$ref": f"#/$defs/{name}"} for name in KINDS[kind]]
    return Draft202012Validator(narrowed)


def problem(message: Any, kind: str, schema_path: Path) -> str | None:
    """None when message is a valid message of this kind, else what is wrong with it."""
    validator = _validator(schema_path, kind)
    if validator.is_valid(message):
        return None
    error = best_match(validator.iter_errors(message))
    where = "/" + "/".join(str(part) for part in error.absolute_path) if error is not None else "/"
    return f"not a valid {kind} message at {where}: {error.message if error is not None else 'invalid'}"
