"""Where the spec and the checkout are when nothing says otherwise; a leaf every command may import."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# A checkout holds this package as python/src/checkpoint_spec, its spec as spec/.
CHECKOUT = PACKAGE.parents[2] if len(PACKAGE.parents) > 2 else PACKAGE
# An installed package holds the spec as package data (python/hatch_build.py puts it there).
BUNDLED_SPEC = PACKAGE / "spec"
# What every --spec option says about its default.
SPEC_HELP = "spec folder (default: the checkout's spec/, else the spec installed with the package)"


def _is_spec(folder: Path) -> bool:
    return (folder / "cases").is_dir()


def in_checkout() -> bool:
    return _is_spec(CHECKOUT / "spec") and (CHECKOUT / "python" / "src" / "checkpoint_spec").resolve() == PACKAGE


def default_spec_root() -> Path:
    """The checkout's spec/ when run from a checkout, else the spec bundled in the package, else ./spec."""
    if in_checkout():
        return CHECKOUT / "spec"
    if _is_spec(BUNDLED_SPEC):
        return BUNDLED_SPEC
    return Path("spec")


def checkout_root() -> Path:
    """The checkout this package runs from: where js/ (the TypeScript drivers) is built, whatever --spec says."""
    return CHECKOUT if in_checkout() else default_spec_root().resolve().parent
