"""The one protocol version constant is the version spec/protocol.md and the driver-message schema state."""

from __future__ import annotations

import json
import re

from checkpoint_spec.driver import PROTOCOL_VERSION
from checkpoint_spec.roots import default_spec_root

SPEC = default_spec_root()


def stated_versions() -> set[int]:
    """The version in protocol.md's heading, and the one the schema's start reply allows."""
    heading = (SPEC / "protocol.md").read_text(encoding="utf-8").splitlines()[0]
    found = re.fullmatch(r"# The driver protocol \(version (\d+)\)", heading)
    assert found is not None, heading
    schema = json.loads((SPEC / "schema" / "driver-message.schema.json").read_text(encoding="utf-8"))
    return {int(found.group(1)), schema["$defs"]["startReply"]["properties"]["version"]["const"]}


def test_the_python_constant_is_the_stated_version() -> None:
    assert stated_versions() == {PROTOCOL_VERSION}
