"""Canonical observations of what a saver returned or raised (spec/README.md section 4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .codec import encode

# By class only, never by message; in this order, so a class with several of
# these among its bases gets the first (spec/README.md section 4).
ERROR_CATEGORY_BY_EXCEPTION: tuple[tuple[type[BaseException], str], ...] = (
    (KeyError, "missing_key"),
    (NotImplementedError, "not_implemented"),
    (TypeError, "invalid_argument"),
    (ValueError, "invalid_argument"),
)


class RunnerFailure(Exception):
    """The runner's own failure around a saver's call (not the saver's error): the case is errored, not observed."""


def error_category(exc: BaseException) -> str:
    """The category (spec/README.md section 4) of an error the saver raised."""
    for kind, category in ERROR_CATEGORY_BY_EXCEPTION:
        if isinstance(exc, kind):
            return category
    return "other"


def observe_error(exc: BaseException) -> dict[str, Any]:
    return {"error": error_category(exc), "detail": f"{type(exc).__name__}: {exc}"}


def observe_tuple(found: Any) -> Any:
    """A CheckpointTuple (or None) as the spec's tuple object."""
    if found is None:
        return None
    writes = found.pending_writes
    return {
        "config": encode(found.config),
        "checkpoint": encode(found.checkpoint),
        "metadata": encode(found.metadata),
        "parent_config": None if found.parent_config is None else encode(found.parent_config),
        "pending_writes": None
        if writes is None
        else [[encode(task), encode(channel), encode(value)] for task, channel, value in writes],
    }


def observe_delta_history(history: Mapping[str, Any]) -> Any:
    observed: dict[str, Any] = {}
    for channel, entry in history.items():
        item: dict[str, Any] = {"writes": [[encode(t), encode(c), encode(v)] for t, c, v in entry["writes"]]}
        if "seed" in entry:
            item["seed"] = encode(entry["seed"])
        observed[channel] = item
    return observed
