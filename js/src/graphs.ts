/** Building a scenario's graph (spec/README.md 8.1) with the real `@langchain/langgraph` StateGraph. */

import { Annotation, Command, END, START, Send, StateGraph, interrupt } from "@langchain/langgraph";

import { decode, isPlainObject } from "./codec.js";
import type { Action, Branch, Graph } from "./scenario-lint.js";

/** What a `raise` action throws: a plain Error subclass, which the default retryOn of LangGraph JS retries. */
export class NodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NodeError";
  }
}

type State = Record<string, unknown>;

/** The part of the compiled graph's API a scenario uses. */
export interface CompiledScenarioGraph {
  invoke(input: unknown, config: Record<string, unknown>): Promise<unknown>;
  getState(config: Record<string, unknown>, options?: { subgraphs?: boolean }): Promise<unknown>;
  getStateHistory(config: Record<string, unknown>, options?: Record<string, unknown>): AsyncIterable<unknown>;
  updateState(config: Record<string, unknown>, values: unknown, asNode?: string): Promise<unknown>;
}

interface RetryOptions {
  maxAttempts: number;
  initialInterval: number;
  jitter: boolean;
  logWarning: boolean;
}

/** The part of the StateGraph builder the runner uses (its generic types say nothing useful about a graph built from data). */
interface Builder {
  addNode(name: string, action: unknown, options?: { retryPolicy?: RetryOptions; ends?: string[] }): Builder;
  addEdge(from: string | string[], to: string): Builder;
  addConditionalEdges(from: string, path: (state: State) => string, pathMap: string[]): Builder;
  compile(options: { checkpointer?: unknown; interruptBefore?: string[]; interruptAfter?: string[] }): CompiledScenarioGraph;
}

const StateGraphClass = StateGraph as unknown as new (init: Record<string, unknown>) => Builder;

/** An append channel's reducer: list + list, refusing anything else as Python's operator.add does. */
function concatenate(left: unknown, right: unknown): unknown[] {
  if (!Array.isArray(left) || !Array.isArray(right)) throw new TypeError("an append channel takes a list and concatenates it");
  return [...(left as unknown[]), ...(right as unknown[])];
}

function schema(graph: Graph, channels: readonly string[]): unknown {
  const fields: Record<string, unknown> = {};
  for (const channel of channels) {
    fields[channel] =
      graph.channels[channel] === "append" ? Annotation<unknown[]>({ reducer: concatenate, default: () => [] }) : Annotation<unknown>();
  }
  return Annotation.Root(fields as Parameters<typeof Annotation.Root>[0]);
}

const sleep = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));

function node(graph: Graph, actions: readonly Action[]): (state: State) => Promise<unknown> {
  const reducers = graph.channels;
  let calls = 0;
  const asWritten = (channel: string, value: unknown): unknown => (reducers[channel] === "append" ? [value] : value);
  return async (state: State): Promise<unknown> => {
    calls += 1;
    const update: State = {};
    for (const action of actions) {
      if ("send" in action || "goto" in action) return endingCommand(action, update);
      await applyAction(action, state, update, asWritten, calls);
    }
    return update;
  };
}

type EndingAction = Extract<Action, { send: unknown } | { goto: unknown }>;

/** An action that does not end its node (write, copy, interrupt, wait, raise), on the node's update. */
async function applyAction(
  action: Exclude<Action, EndingAction>,
  state: State,
  update: State,
  asWritten: (channel: string, value: unknown) => unknown,
  calls: number,
): Promise<void> {
  if ("write" in action) {
    Object.assign(update, decode(action.write));
  } else if ("copy" in action) {
    update[action.to] = asWritten(action.to, Object.hasOwn(state, action.copy) ? (state[action.copy] ?? null) : null);
  } else if ("interrupt" in action) {
    const answer: unknown = interrupt(decode(action.interrupt));
    if (action.into !== undefined) update[action.into] = asWritten(action.into, answer);
  } else if ("wait" in action) {
    await sleep(action.wait);
  } else if (action.attempts === undefined || calls <= action.attempts) {
    throw new NodeError(action.raise);
  }
}

/** The Command of a send or goto action, which ends its node. */
function endingCommand(action: EndingAction, update: State): Command {
  if ("send" in action) {
    const sends = action.send.map((item) => new Send(item.node, decode(item.arg)));
    return new Command({ goto: sends, update });
  }
  const extra = action.update === undefined ? {} : (decode(action.update) as State);
  const goto = typeof action.goto === "string" ? action.goto : [...action.goto];
  return new Command({ goto, update: { ...update, ...extra } });
}

function branchPath(branch: Branch): (state: State) => string {
  return (state: State): string => {
    const value = isPlainObject(state) ? state[branch.on] : undefined;
    if (typeof value === "string" && Object.hasOwn(branch.to, value)) return branch.to[value]!;
    if (branch.default !== undefined) return branch.default;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify(undefined) is undefined, which its type omits
    throw new NodeError(`no branch from ${branch.from} for ${branch.on} = ${JSON.stringify(value) ?? "undefined"}`);
  };
}

function endpoint(name: string): string {
  return name === "__start__" ? START : name === "__end__" ? END : name;
}

/** The nodes a node's Command may go to: LangGraph JS needs them as `ends`, or it finds them unreachable. */
function commandTargets(actions: readonly Action[]): string[] {
  const targets: string[] = [];
  for (const action of actions) {
    if ("send" in action) targets.push(...action.send.map((item) => item.node));
    if ("goto" in action) targets.push(...(typeof action.goto === "string" ? [action.goto] : action.goto));
  }
  return [...new Set(targets)];
}

/** The uncompiled StateGraph of an expanded graph object; subgraph nodes are compiled without a checkpointer. */
export function buildGraph(graph: Graph): Builder {
  const channels = Object.keys(graph.channels);
  const builder = new StateGraphClass({
    stateSchema: schema(graph, channels),
    input: schema(graph, graph.input ?? channels),
    output: schema(graph, graph.output ?? channels),
  });
  for (const [name, spec] of Object.entries(graph.nodes)) {
    if ("subgraph" in spec) {
      if (spec.subgraph === null || typeof spec.subgraph === "string") throw new TypeError(`node ${name}: the subgraph is not expanded`);
      builder.addNode(name, compileGraph(spec.subgraph, undefined));
      continue;
    }
    const options: { retryPolicy?: RetryOptions; ends?: string[] } = {};
    if (spec.retry !== undefined) {
      options.retryPolicy = { maxAttempts: spec.retry.max_attempts, initialInterval: 0, jitter: false, logWarning: false };
    }
    const ends = commandTargets(spec.actions);
    if (ends.length > 0) options.ends = ends;
    builder.addNode(name, node(graph, spec.actions), options);
  }
  for (const [source, target] of graph.edges ?? []) {
    builder.addEdge(typeof source === "string" ? endpoint(source) : source.map(endpoint), endpoint(target));
  }
  for (const branch of graph.branches ?? []) {
    const destinations = [...new Set([...Object.values(branch.to), ...(branch.default === undefined ? [] : [branch.default])])].sort();
    builder.addConditionalEdges(endpoint(branch.from), branchPath(branch), destinations.map(endpoint));
  }
  return builder;
}

/** Compiled with the saver (undefined for a subgraph, which then uses its parent's) and the interrupt options. */
export function compileGraph(graph: Graph, checkpointer: unknown): CompiledScenarioGraph {
  const options: { checkpointer?: unknown; interruptBefore?: string[]; interruptAfter?: string[] } = {};
  if (checkpointer !== undefined) options.checkpointer = checkpointer;
  if ((graph.interrupt_before ?? []).length > 0) options.interruptBefore = [...graph.interrupt_before!];
  if ((graph.interrupt_after ?? []).length > 0) options.interruptAfter = [...graph.interrupt_after!];
  return buildGraph(graph).compile(options);
}
