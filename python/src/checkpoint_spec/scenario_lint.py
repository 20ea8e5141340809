"""What the scenario schema cannot say (spec/README.md 8.4): names that must exist, and graphs expanded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .aliases import ALIAS_FORMS
from .lint_rules import LintRule
from .spec_json import escape_token

# (pointer, rule, message)
Problem = Callable[[str, LintRule, str], None]


# spec/README.md 8.1: bounds that keep an expanded graph small, however its named graphs refer to each other.
MAX_SUBGRAPH_LEVELS = 8
MAX_NODES = 200


class Expander:
    """Expands graphs of one file, each named graph once (its lint problems are reported once too)."""

    def __init__(self, graphs: dict[str, Any], problem: Problem) -> None:
        self.graphs = graphs
        self.problem = problem
        # name -> (expanded graph or None, nodes in all, subgraph levels below it)
        self.done: dict[str, tuple[Any, int, int]] = {}

    def expand(self, graph: Any, pointer: str) -> Any:
        """The graph with every named subgraph replaced by its definition, linted on the way; None when unusable."""
        expanded, nodes, levels = self._expand(graph, pointer, ())
        if levels > MAX_SUBGRAPH_LEVELS:
            self.problem(pointer, "graph-bounds", f"subgraphs nest more than {MAX_SUBGRAPH_LEVELS} levels deep")
            return None
        if nodes > MAX_NODES:
            self.problem(pointer, "graph-bounds", f"the graph, its subgraphs expanded, has more than {MAX_NODES} nodes")
            return None
        return expanded

    def _expand(self, graph: Any, pointer: str, trail: tuple[str, ...]) -> tuple[Any, int, int]:
        if isinstance(graph, str):
            if graph in trail:
                self.problem(pointer, "graph-cycle", "graph contains itself: " + " -> ".join((*trail, graph)))
                return None, 0, 0
            if graph not in self.graphs:
                self.problem(pointer, "unknown-graph", f"no graph named {graph!r} in this file's graphs")
                return None, 0, 0
            if graph not in self.done:
                self.done[graph] = self._expand(self.graphs[graph], f"/graphs/{escape_token(graph)}", (*trail, graph))
            return self.done[graph]
        nodes: dict[str, Any] = {}
        total, levels, usable = len(graph["nodes"]), 0, True
        for name, node in graph["nodes"].items():
            at = f"{pointer}/nodes/{escape_token(name)}"
            if "subgraph" in node:
                inner, count, depth = self._expand(node["subgraph"], f"{at}/subgraph", trail)
                nodes[name] = {"subgraph": inner}
                total, levels, usable = total + count, max(levels, depth + 1), usable and inner is not None
            else:
                nodes[name] = node
            if total > MAX_NODES or levels > MAX_SUBGRAPH_LEVELS:
                # Stop before a graph that refers to others many times over grows any further.
                return None, total, levels
        expanded = {**graph, "nodes": nodes}
        _lint_graph(expanded, pointer, self.problem)
        return (expanded if usable else None), total, levels


def _lint_graph(graph: dict[str, Any], pointer: str, problem: Problem) -> None:
    lint = _GraphLint(graph, pointer, problem)
    lint.member_names()
    edge_from_start = lint.edges()
    if not (lint.branches() or edge_from_start):
        problem(f"{pointer}/edges", "start-edge", "the graph has no edge or branch from __start__")
    for name, spec in graph["nodes"].items():
        lint.actions(name, spec)


class _GraphLint:
    """The node and channel names one graph's members use, each checked against the graph."""

    def __init__(self, graph: dict[str, Any], pointer: str, problem: Problem) -> None:
        self.graph = graph
        self.pointer = pointer
        self.problem = problem
        self.nodes = set(graph["nodes"])
        self.channels = set(graph["channels"])

    def node(self, name: Any, at: str, *, start: bool = False, end: bool = False) -> None:
        allowed = {"__start__"} if start else {"__end__"} if end else set()
        if name not in self.nodes and name not in allowed:
            self.problem(at, "unknown-node", f"names no node of this graph: {name!r}")

    def channel(self, name: Any, at: str) -> None:
        if name not in self.channels:
            self.problem(at, "unknown-channel", f"names no channel of this graph: {name!r}")

    def member_names(self) -> None:
        """input and output name channels; interrupt_before and interrupt_after name nodes."""
        for member in ("input", "output"):
            for index, name in enumerate(self.graph.get(member, [])):
                self.channel(name, f"{self.pointer}/{member}/{index}")
        for member in ("interrupt_before", "interrupt_after"):
            for index, name in enumerate(self.graph.get(member, [])):
                self.node(name, f"{self.pointer}/{member}/{index}")

    def edges(self) -> bool:
        """Whether an edge leaves __start__."""
        starts = False
        for index, (source, target) in enumerate(self.graph.get("edges", [])):
            at = f"{self.pointer}/edges/{index}"
            for position, name in enumerate(source if isinstance(source, list) else [source]):
                self.node(name, f"{at}/0" + (f"/{position}" if isinstance(source, list) else ""), start=True)
            starts = starts or source == "__start__"
            self.node(target, f"{at}/1", end=True)
        return starts

    def branches(self) -> bool:
        """Whether a branch leaves __start__."""
        starts = False
        for index, branch in enumerate(self.graph.get("branches", [])):
            at = f"{self.pointer}/branches/{index}"
            self.node(branch["from"], f"{at}/from", start=True)
            starts = starts or branch["from"] == "__start__"
            self.channel(branch["on"], f"{at}/on")
            for value, target in branch["to"].items():
                self.node(target, f"{at}/to/{escape_token(value)}", end=True)
            if "default" in branch:
                self.node(branch["default"], f"{at}/default", end=True)
        return starts

    def actions(self, name: str, spec: dict[str, Any]) -> None:
        actions = spec.get("actions", [])
        for index, action in enumerate(actions):
            self.action(
                action, f"{self.pointer}/nodes/{escape_token(name)}/actions/{index}", last=index == len(actions) - 1
            )

    def action(self, action: dict[str, Any], at: str, *, last: bool) -> None:
        if ("send" in action or "goto" in action) and not last:
            self.problem(at, "last-action", "send and goto end their node: they must be its last action")
        for key in ("write", "update"):
            for written in action.get(key, {}) if isinstance(action.get(key), dict) else {}:
                self.channel(written, f"{at}/{key}/{escape_token(written)}")
        if "copy" in action:
            self.channel(action["to"], f"{at}/to")
        if "into" in action:
            self.channel(action["into"], f"{at}/into")
        for position, item in enumerate(action.get("send", [])):
            self.node(item["node"], f"{at}/send/{position}/node")
        if "goto" in action:
            targets = action["goto"] if isinstance(action["goto"], list) else [action["goto"]]
            for position, target in enumerate(targets):
                self.node(target, f"{at}/goto" + (f"/{position}" if isinstance(action["goto"], list) else ""), end=True)


def can_interrupt(graph: Any) -> bool:
    if graph is None:
        return True  # already reported; do not pile a second problem on it
    if graph.get("interrupt_before") or graph.get("interrupt_after"):
        return True
    for node in graph["nodes"].values():
        if "subgraph" in node and can_interrupt(node["subgraph"]):
            return True
        if any("interrupt" in action for action in node.get("actions", [])):
            return True
    return False


def lint_script(graph: Any, steps: list[dict[str, Any]], pointer: str, problem: Problem) -> None:
    """The script's own rules: resumes need an interrupt, aliases their form, and the last step is `checkpoints`."""
    for index, step in enumerate(steps):
        _lint_step(graph, step["args"], f"{pointer}/steps/{index}/args", problem)
    if steps and steps[-1]["op"] != "checkpoints":
        problem(f"{pointer}/steps/{len(steps) - 1}/op", "last-step", "the last step of a scenario must be checkpoints")


def _lint_step(graph: Any, args: dict[str, Any], at: str, problem: Problem) -> None:
    """One step's args: a resume needs an interrupt, aliases have their form, as_node names a node."""
    command = args.get("command")
    if isinstance(command, dict) and ("resume" in command or "resume_by_id" in command) and not can_interrupt(graph):
        problem(
            f"{at}/command",
            "resume-needs-interrupt",
            "resumes a graph that has no interrupt, so nothing can be interrupted",
        )
    _lint_step_aliases(args, at, problem)
    if "as_node" in args and graph is not None and args["as_node"] not in graph["nodes"]:
        problem(f"{at}/as_node", "unknown-node", f"names no node of the scenario's graph: {args['as_node']!r}")


def _lint_step_aliases(args: dict[str, Any], at: str, problem: Problem) -> None:
    """The checkpoint aliases of checkpoint and before, and the interrupt aliases of resume_by_id."""
    for member in ("checkpoint", "before"):
        value = args.get(member)
        if isinstance(value, str) and not ALIAS_FORMS["checkpoint"].match(value):
            problem(f"{at}/{member}", "alias-form", f"{value!r} is not a checkpoint alias (checkpoint:N)")
    command = args.get("command")
    if isinstance(command, dict) and isinstance(command.get("resume_by_id"), dict):
        for alias in command["resume_by_id"]:
            if not ALIAS_FORMS["interrupt"].match(alias):
                at_alias = f"{at}/command/resume_by_id/{escape_token(alias)}"
                problem(at_alias, "alias-form", f"{alias!r} is not an interrupt alias (interrupt:N)")
