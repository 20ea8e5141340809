"""Build hook: the spec inside the packages, from the one source, the repository's `spec/`.

The wheel carries it as package data, `checkpoint_spec/spec/`: a wheel built from the checkout takes it from
`../spec`, one built from the sdist from the sdist's own `spec/` (pyproject.toml puts it there). The sdist
stores files, not symbolic links: python/LICENSE links to the repository's LICENSE, and a link in the archive
would point outside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundledSpecHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        included: dict[str, str] = build_data["force_include"]
        if self.target_name == "sdist":
            for source, destination in list(included.items()):
                if Path(source).is_symlink():
                    del included[source]
                    included[str(Path(source).resolve())] = destination
            return
        if version == "editable":
            # An editable install runs from the checkout and reads its spec/ in place (roots.py).
            return
        root = Path(self.root)
        for candidate in (root.parent / "spec", root / "spec"):
            if (candidate / "cases").is_dir():
                included[str(candidate)] = "checkpoint_spec/spec"
                return
        raise RuntimeError(f"no spec folder (with a cases/ folder) at {root.parent / 'spec'} or {root / 'spec'}")
