"""A table of distinct JSON values: a value seen on many targets or steps is stored once, referred to by index."""

from __future__ import annotations

import json
from typing import Any


class ValueTable:
    def __init__(self) -> None:
        self.values: list[Any] = []
        self._indexes: dict[str, int] = {}

    def index(self, value: Any) -> int:
        """The index of value, added when new. Equal means the same JSON text: member order and 1 vs 1.0 count."""
        key = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        found = self._indexes.get(key)
        if found is None:
            found = self._indexes[key] = len(self.values)
            self.values.append(value)
        return found
