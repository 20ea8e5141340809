"""How fixtures use each other (spec/README.md 2.2): cycles, and each fixture's expanded depth and size.

Each fixture is measured once, without expanding anything and without
recursion, so that a chain of any length, or fixtures that each use the next
twice, cost no more than their text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .codec import tag_of
from .lint_rules import LintRule
from .spec_json import MAX_DEPTH

# An expanded fixture's bound on its JSON values (its bound on nesting is MAX_DEPTH).
MAX_FIXTURE_VALUES = 100_000


@dataclass(frozen=True)
class _Shape:
    depth: int  # the value's own nesting of arrays and objects, the outermost at 1 (0 for a scalar)
    count: int  # the value's own JSON values, each $fixture tag left out
    uses: tuple[tuple[str, int], ...]  # each fixture it uses, in document order, with the depth its tag sits at


def _shape_of(value: Any) -> _Shape:
    depth, count, uses = 0, 0, []
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        tag = tag_of(item)
        if tag == "$fixture" and isinstance(item[tag], str):
            uses.append((item[tag], level))
            continue
        count += 1
        children = item if isinstance(item, list) else list(item.values()) if isinstance(item, dict) else None
        if children is None:
            continue
        depth = max(depth, level)
        # Reversed onto the stack, so they come off in document order.
        pending.extend((child, level + 1) for child in reversed(children))
    return _Shape(depth, count, tuple(uses))


@dataclass(frozen=True)
class FixtureMeasures:
    measured: dict[str, tuple[int, int]]  # expanded depth and size (capped just past the bound) of every fixture
    problems: list[tuple[str, LintRule, str]]  # each rejected fixture, the rule and why, in the walk's order


def measure_fixtures(fixtures: Mapping[str, Any]) -> FixtureMeasures:
    """The walk of section 2.2.

    Depth first from each fixture in code point order of their names, following
    the fixtures a value uses in document order; a cycle is reported at the
    fixture the walk reaches a second time.
    """
    names = sorted(fixtures)
    shapes = {name: _shape_of(fixtures[name]) for name in names}
    measured: dict[str, tuple[int, int]] = {}
    problems: list[tuple[str, LintRule, str]] = []
    for first in names:
        trail: list[str] = []
        on_trail: set[str] = set()
        pending: list[tuple[str, bool]] = [(first, False)]
        while pending:
            name, finished = pending.pop()
            if finished:
                on_trail.discard(trail.pop())
                shape = shapes[name]
                depth, count = shape.depth, shape.count
                for used, level in shape.uses:
                    used_depth, used_count = measured.get(used, (0, 1))
                    depth = max(depth, level - 1 + used_depth)
                    count = min(count + used_count, MAX_FIXTURE_VALUES + 1)
                measured[name] = (depth, count)
                continue
            if name in measured or name not in shapes:
                continue
            if name in on_trail:
                cycle = [*trail[trail.index(name) :], name]
                problems.append((name, "fixture-cycle", "fixture refers to itself: " + " -> ".join(cycle)))
                measured[name] = (0, 1)
                continue
            trail.append(name)
            on_trail.add(name)
            pending.append((name, True))
            pending.extend((used, False) for used, _ in reversed(shapes[name].uses))
    for name in names:
        depth, count = measured[name]
        if depth > MAX_DEPTH:
            problems.append((name, "fixture-bounds", f"expanded, the fixture nests more than {MAX_DEPTH} deep"))
        elif count > MAX_FIXTURE_VALUES:
            problems.append(
                (name, "fixture-bounds", f"expanded, the fixture holds more than {MAX_FIXTURE_VALUES} values")
            )
    return FixtureMeasures(measured, problems)


def uses_first(fixtures: Mapping[str, Any], name: str, cycle: Callable[[list[str]], Exception]) -> list[str]:
    """The fixtures name uses, directly or not, each after every fixture it uses (name last); raises on a cycle."""
    order: list[str] = []
    done: set[str] = set()
    trail: list[str] = []
    on_trail: set[str] = set()
    pending: list[tuple[str, bool]] = [(name, False)]
    while pending:
        current, finished = pending.pop()
        if finished:
            on_trail.discard(trail.pop())
            done.add(current)
            order.append(current)
            continue
        if current in done or current not in fixtures:
            continue
        if current in on_trail:
            raise cycle([*trail[trail.index(current) :], current])
        trail.append(current)
        on_trail.add(current)
        pending.append((current, True))
        pending.extend((used, False) for used, _ in reversed(_shape_of(fixtures[current]).uses))
    return order
