"""The Jinja2 environment every HTML page is rendered with: autoescaped, strict about undefined names."""

from __future__ import annotations

import jinja2


def page_environment(package: str) -> jinja2.Environment:
    """An environment loading templates from `package`'s page/ folder."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "page"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
