"""Building a scenario's graph (spec/README.md 8.1) with the real `langgraph` StateGraph."""

from __future__ import annotations

import operator
import time
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, RetryPolicy, Send, interrupt

from .codec import decode


class NodeError(Exception):
    """What a `raise` action raises: a plain Exception subclass, which the default retry policy retries."""


def _schema(name: str, graph: dict[str, Any], channels: list[str]) -> Any:
    fields: dict[str, Any] = {}
    for channel in channels:
        fields[channel] = Annotated[list[Any], operator.add] if graph["channels"][channel] == "append" else Any
    return TypedDict(name, fields, total=False)  # type: ignore[operator]  # fields known only at run time


def _node(graph: dict[str, Any], actions: list[dict[str, Any]]) -> Callable[[dict[str, Any]], Any]:
    reducers: dict[str, str] = graph["channels"]
    calls = 0

    def as_written(channel: str, value: Any) -> Any:
        return [value] if reducers.get(channel) == "append" else value

    def run(state: dict[str, Any]) -> Any:
        nonlocal calls
        calls += 1
        update: dict[str, Any] = {}
        for action in actions:
            if "send" in action or "goto" in action:
                return _ending_command(action, update)
            _apply_action(action, state, update, as_written, calls)
        return update

    return run


def _apply_action(
    action: dict[str, Any],
    state: dict[str, Any],
    update: dict[str, Any],
    as_written: Callable[[str, Any], Any],
    calls: int,
) -> None:
    """An action that does not end its node (write, copy, interrupt, wait, raise), on the node's update."""
    if "write" in action:
        update.update(decode(action["write"]))
    elif "copy" in action:
        update[action["to"]] = as_written(action["to"], state.get(action["copy"]))
    elif "interrupt" in action:
        answer = interrupt(decode(action["interrupt"]))
        if "into" in action:
            update[action["into"]] = as_written(action["into"], answer)
    elif "wait" in action:
        time.sleep(action["wait"] / 1000)
    elif "raise" in action and ("attempts" not in action or calls <= action["attempts"]):
        raise NodeError(action["raise"])


def _ending_command(action: dict[str, Any], update: dict[str, Any]) -> Command[Any]:
    """The Command of a send or goto action, which ends its node."""
    if "send" in action:
        sends = [Send(item["node"], decode(item["arg"])) for item in action["send"]]
        return Command(goto=sends, update=update)
    return Command(goto=action["goto"], update={**update, **decode(action.get("update", {}))})


def _branch(branch: dict[str, Any]) -> Callable[[dict[str, Any]], str]:
    def choose(state: dict[str, Any]) -> str:
        value = state.get(branch["on"])
        if isinstance(value, str) and value in branch["to"]:
            return str(branch["to"][value])
        if "default" in branch:
            return str(branch["default"])
        raise NodeError(f"no branch from {branch['from']} for {branch['on']} = {value!r}")

    return choose


def _endpoint(name: str) -> str:
    return {"__start__": START, "__end__": END}.get(name, name)


def build_graph(graph: dict[str, Any], name: str = "State") -> StateGraph[Any, Any, Any, Any]:
    """The uncompiled StateGraph of an expanded graph object; subgraph nodes are compiled without a checkpointer."""
    channels = list(graph["channels"])
    builder: StateGraph[Any, Any, Any, Any] = StateGraph(
        _schema(name, graph, channels),
        input_schema=_schema(f"{name}Input", graph, graph.get("input", channels)),
        output_schema=_schema(f"{name}Output", graph, graph.get("output", channels)),
    )
    for node_name, node in graph["nodes"].items():
        if "subgraph" in node:
            builder.add_node(node_name, compile_graph(node["subgraph"], None, f"{name}_{node_name}"))
            continue
        retry = node.get("retry")
        policy = (
            None
            if retry is None
            else RetryPolicy(max_attempts=retry["max_attempts"], initial_interval=0.0, jitter=False)
        )
        action: Any = _node(graph, node["actions"])  # its state is the dynamic TypedDict, unknown to mypy
        builder.add_node(node_name, action, retry_policy=policy)
    for source, target in graph.get("edges", []):
        start = [_endpoint(item) for item in source] if isinstance(source, list) else _endpoint(source)
        builder.add_edge(start, _endpoint(target))
    for branch in graph.get("branches", []):
        destinations = sorted({*branch["to"].values(), *([branch["default"]] if "default" in branch else [])})
        builder.add_conditional_edges(
            _endpoint(branch["from"]), _branch(branch), [_endpoint(item) for item in destinations]
        )
    return builder


def compile_graph(graph: dict[str, Any], checkpointer: Any, name: str = "State") -> Any:
    """Compiled with the saver (None for a subgraph, which then uses its parent's) and the interrupt options."""
    return build_graph(graph, name).compile(
        checkpointer=checkpointer,
        interrupt_before=graph.get("interrupt_before") or None,
        interrupt_after=graph.get("interrupt_after") or None,
    )
