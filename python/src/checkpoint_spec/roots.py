"""Where the spec and the checkout are when nothing says otherwise; a leaf every command may import."""

from __future__ import annotations

from pathlib import Path


def default_spec_root() -> Path:
    """The repository's spec/ when run from a checkout, else ./spec."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "spec" / "cases").is_dir():
            return parent / "spec"
    return Path("spec")


def checkout_root() -> Path:
    """The checkout this package runs from: where js/ (the TypeScript drivers) is built, whatever --spec says."""
    return default_spec_root().resolve().parent
