"""Running a graph scenario (spec/README.md section 8) on a target: its script, observations and verdict."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, TypeVar

from langgraph.errors import InvalidUpdateError
from langgraph.types import Command

from . import snapshots
from .aliases import Aliases
from .codec import CodecError
from .graphs import NodeError, compile_graph
from .loading import Case, Spec, Step
from .observation import observe_error
from .outcomes import StepOutcome, not_run, observed, prepare
from .references import UnresolvedReference

T = TypeVar("T")


class UnknownAlias(Exception):
    """An alias argument that names nothing this run has seen: the step is not run."""


def observe_graph_error(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, NodeError):
        return {"error": "node_error", "detail": str(exc)}
    if isinstance(exc, InvalidUpdateError):
        return {"error": "invalid_update", "detail": str(exc)}
    return observe_error(exc)


class ScenarioRun:
    """One scenario's graph compiled on one session's saver, and the aliases of what it generated."""

    def __init__(self, graph: dict[str, Any], session: Any) -> None:
        self.saver = session.saver
        self.is_async = session.api == "async"
        self.session = session
        self.app = compile_graph(graph, self.saver)
        self.aliases = Aliases()

    def _do(self, sync: Callable[[], T], asynchronous: Callable[[], Coroutine[Any, Any, T]]) -> T:
        return self.session.run_async(asynchronous()) if self.is_async else sync()

    def _raw(self, alias: Any, kind: str) -> str:
        raw = self.aliases.raw(alias) if isinstance(alias, str) else None
        if raw is None:
            raise UnknownAlias(f"no {kind} of this run has the alias {alias!r}")
        return raw

    def _config(self, args: dict[str, Any]) -> dict[str, Any]:
        configurable: dict[str, Any] = {"thread_id": args["thread"]}
        if "checkpoint" in args:
            # A named checkpoint is a root one; the runtime's update_state needs its namespace spelled out.
            configurable["checkpoint_ns"] = ""
            configurable["checkpoint_id"] = self._raw(args["checkpoint"], "checkpoint")
        return {"configurable": configurable}

    def _listed(self) -> list[Any]:
        async def listing() -> list[Any]:
            found: AsyncIterator[Any] = self.saver.alist(None)
            return [item async for item in found]

        return self._do(lambda: list(self.saver.list(None)), listing)

    def _invoke_input(self, args: dict[str, Any]) -> Any:
        """What an invoke step passes to invoke: its input, or the Command its command spells."""
        if "command" not in args:
            return args.get("input")
        command = args["command"]
        options: dict[str, Any] = {key: command[key] for key in ("resume", "goto", "update") if key in command}
        if "resume_by_id" in command:
            by_id = command["resume_by_id"]
            options["resume"] = {self._raw(alias, "interrupt"): value for alias, value in by_id.items()}
        return Command(**options)

    def _history_options(self, args: dict[str, Any]) -> dict[str, Any]:
        """The options of a get_state_history step: filter and limit (None when not given), and before when given."""
        options: dict[str, Any] = {"filter": args.get("filter"), "limit": args.get("limit")}
        if "before" in args:
            options["before"] = {"configurable": {"checkpoint_id": self._raw(args["before"], "checkpoint")}}
        return options

    def call(self, op: str, args: dict[str, Any]) -> Any:
        """The raw observation of one script step (8.2, 8.3); raises what the runtime raised."""
        app = self.app
        if op == "checkpoints":
            return snapshots.stored(self._listed(), self.aliases.rank)
        config = self._config(args)
        if op == "invoke":
            given = self._invoke_input(args)
            keywords = {"durability": args["durability"]} if "durability" in args else {}
            return snapshots.output(
                self._do(lambda: app.invoke(given, config, **keywords), lambda: app.ainvoke(given, config, **keywords))
            )
        if op == "update_state":
            as_node = args.get("as_node")
            values = args["values"]
            return snapshots.config(
                self._do(
                    lambda: app.update_state(config, values, as_node=as_node),
                    lambda: app.aupdate_state(config, values, as_node=as_node),
                )
            )
        if op == "get_state":
            subgraphs = bool(args.get("subgraphs", False))
            return snapshots.snapshot(
                self._do(
                    lambda: app.get_state(config, subgraphs=subgraphs),
                    lambda: app.aget_state(config, subgraphs=subgraphs),
                )
            )
        if op == "get_state_history":
            options = self._history_options(args)

            async def history() -> list[Any]:
                return [item async for item in app.aget_state_history(config, **options)]

            found = self._do(lambda: list(app.get_state_history(config, **options)), history)
            return [snapshots.snapshot(item) for item in found]
        raise NotImplementedError(f"unknown scenario operation {op}")

    def step(self, step: Step, spec: Spec, results: dict[str, dict[str, Any]]) -> StepOutcome:
        expected: Any = None
        try:
            args, expected = prepare(step, spec.fixtures, results)
            raw: dict[str, Any] = {"result": self.call(step.op, args)}
        except (UnresolvedReference, CodecError, UnknownAlias) as exc:
            return not_run(step, str(exc), results)
        except Exception as exc:  # noqa: BLE001 - whatever the runtime raised is the observation
            raw = observe_graph_error(exc)
        try:
            self.aliases.add_checkpoints(self._checkpoint_ids())
        except Exception as exc:  # noqa: BLE001 - a saver that cannot list after the step: that is the observation
            raw = observe_error(exc)
        observation = {"result": self.aliases.apply(raw["result"])} if "result" in raw else raw
        return observed(step, observation, expected, results)

    def _checkpoint_ids(self) -> list[str]:
        return [str(item.config["configurable"]["checkpoint_id"]) for item in self._listed()]


def scenario_steps(case: Case, session: Any, spec: Spec) -> list[Callable[[], StepOutcome]]:
    """The scenario's steps on a session, one piece of work each, for the caller to run in order under its bound."""
    assert case.graph is not None
    results: dict[str, dict[str, Any]] = {}
    if getattr(session, "saver", None) is None:
        # A session without a saver (its storage could not be opened) fails each step with its reason.
        def unavailable(step: Step) -> StepOutcome:
            try:
                session.call("checkpoints", {})
                problem = observe_error(RuntimeError("the target's session has no saver"))
            except Exception as exc:  # noqa: BLE001
                problem = observe_error(exc)
            return observed(step, problem, None, results)

        return [functools.partial(unavailable, step) for step in case.steps]
    try:
        run = ScenarioRun(case.graph, session)
    except Exception as exc:  # noqa: BLE001 - a graph the runtime refuses: every step observes why
        refused = observe_graph_error(exc)
        return [functools.partial(observed, step, refused, None, results) for step in case.steps]
    return [functools.partial(run.step, step, spec, results) for step in case.steps]
