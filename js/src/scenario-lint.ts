/** What the scenario schema cannot say (spec/README.md 8.4): names that must exist, and graphs expanded. */

import { ALIAS_FORMS } from "./aliases.js";
import { isPlainObject } from "./codec.js";
import type { LintRule } from "./lint-rules.js";
import { escapeToken } from "./spec-json.js";

/** Reports one problem at a JSON pointer of the scenario file, with the lint rule it breaks. */
export type Problem = (pointer: string, rule: LintRule, message: string) => void;

/** A graph object (spec/README.md 8.1), as the schema allows it. */
export interface Graph {
  readonly channels: Readonly<Record<string, "last" | "append">>;
  readonly input?: readonly string[];
  readonly output?: readonly string[];
  readonly nodes: Readonly<Record<string, GraphNode>>;
  readonly edges?: readonly (readonly [string | readonly string[], string])[];
  readonly branches?: readonly Branch[];
  readonly interrupt_before?: readonly string[];
  readonly interrupt_after?: readonly string[];
}

export type GraphNode =
  | { readonly actions: readonly Action[]; readonly retry?: { readonly max_attempts: number } }
  | { readonly subgraph: Graph | string | null };

export interface Branch {
  readonly from: string;
  readonly on: string;
  readonly to: Readonly<Record<string, string>>;
  readonly default?: string;
}

export type Action =
  | { readonly write: Record<string, unknown> }
  | { readonly copy: string; readonly to: string }
  | { readonly interrupt: unknown; readonly into?: string }
  | { readonly wait: number }
  | { readonly raise: string; readonly attempts?: number }
  | { readonly send: readonly { readonly node: string; readonly arg: Record<string, unknown> }[] }
  | { readonly goto: string | readonly string[]; readonly update?: Record<string, unknown> };

const escape = escapeToken;

// spec/README.md 8.1: bounds that keep an expanded graph small, however its named graphs refer to each other.
export const MAX_SUBGRAPH_LEVELS = 8;
export const MAX_NODES = 200;

interface Expanded {
  /** The graph with its subgraphs expanded; null when unusable (already reported) or cut short. */
  readonly graph: Graph | null;
  /** Its nodes in all, its subgraphs' included (a graph used twice counts twice). */
  readonly nodes: number;
  /** The subgraph levels below it. */
  readonly levels: number;
  /** Cut short past MAX_SUBGRAPH_LEVELS below the graph being expanded: not a result to keep. */
  readonly cut: boolean;
}

/** Expands the graphs of one file, each named graph once, so that no file can make the lint expand more than its text. */
export class Expander {
  private readonly done = new Map<string, Expanded>();

  constructor(
    private readonly graphs: Readonly<Record<string, Graph>>,
    private readonly problem: Problem,
  ) {}

  /** The graph with every named subgraph replaced by its definition, linted on the way; null when unusable. */
  expand(graph: Graph | string, pointer: string): Graph | null {
    const found = this.inner(graph, pointer, [], 0);
    if (found.levels > MAX_SUBGRAPH_LEVELS) {
      this.problem(pointer, "graph-bounds", `subgraphs nest more than ${MAX_SUBGRAPH_LEVELS} levels deep`);
      return null;
    }
    if (found.nodes > MAX_NODES) {
      this.problem(pointer, "graph-bounds", `the graph, its subgraphs expanded, has more than ${MAX_NODES} nodes`);
      return null;
    }
    return found.graph;
  }

  /** level: the subgraph levels above this graph; the walk goes no deeper than the bound allows, so it never recurses far. */
  private inner(graph: Graph | string, pointer: string, trail: readonly string[], level: number): Expanded {
    if (typeof graph === "string") {
      if (trail.includes(graph)) {
        this.problem(pointer, "graph-cycle", `graph contains itself: ${[...trail, graph].join(" -> ")}`);
        return { graph: null, nodes: 0, levels: 0, cut: false };
      }
      if (!Object.hasOwn(this.graphs, graph)) {
        this.problem(pointer, "unknown-graph", `no graph named ${JSON.stringify(graph)} in this file's graphs`);
        return { graph: null, nodes: 0, levels: 0, cut: false };
      }
      const known = this.done.get(graph);
      if (known !== undefined) return known;
      const found = this.inner(this.graphs[graph]!, `/graphs/${escape(graph)}`, [...trail, graph], level);
      if (!found.cut) this.done.set(graph, found);
      return found;
    }
    const nodes: Record<string, GraphNode> = {};
    let total = Object.keys(graph.nodes).length;
    let levels = 0;
    let usable = true;
    let cut = false;
    for (const [name, node] of Object.entries(graph.nodes)) {
      const at = `${pointer}/nodes/${escape(name)}`;
      if ("subgraph" in node) {
        // One level more than the bound is enough to know that the bound is broken.
        const inner: Expanded =
          level >= MAX_SUBGRAPH_LEVELS
            ? { graph: null, nodes: 0, levels: MAX_SUBGRAPH_LEVELS, cut: true }
            : this.inner(node.subgraph ?? "", `${at}/subgraph`, trail, level + 1);
        // null: an unusable subgraph, already reported (the scenario is never run).
        nodes[name] = { subgraph: inner.graph };
        total += inner.nodes;
        levels = Math.max(levels, inner.levels + 1);
        usable &&= inner.graph !== null;
        cut ||= inner.cut;
      } else {
        nodes[name] = node;
      }
      // Stop before a graph that refers to others many times over grows any further.
      if (total > MAX_NODES || levels > MAX_SUBGRAPH_LEVELS) return { graph: null, nodes: total, levels, cut };
    }
    const expanded: Graph = { ...graph, nodes };
    lintGraph(expanded, pointer, this.problem);
    return { graph: usable ? expanded : null, nodes: total, levels, cut };
  }
}

function lintGraph(graph: Graph, pointer: string, problem: Problem): void {
  const lint = new GraphLint(graph, pointer, problem);
  lint.memberNames();
  const edgeFromStart = lint.edges();
  if (!(lint.branches() || edgeFromStart)) problem(`${pointer}/edges`, "start-edge", "the graph has no edge or branch from __start__");
  for (const [name, spec] of Object.entries(graph.nodes)) lint.actions(name, spec);
}

/** The node and channel names one graph's members use, each checked against the graph. */
class GraphLint {
  private readonly nodes: ReadonlySet<string>;
  private readonly channels: ReadonlySet<string>;

  constructor(
    private readonly graph: Graph,
    private readonly pointer: string,
    private readonly problem: Problem,
  ) {
    this.nodes = new Set(Object.keys(graph.nodes));
    this.channels = new Set(Object.keys(graph.channels));
  }

  node(name: unknown, at: string, allowed: "__start__" | "__end__" | null = null): void {
    if (typeof name === "string" && (this.nodes.has(name) || name === allowed)) return;
    this.problem(at, "unknown-node", `names no node of this graph: ${JSON.stringify(name)}`);
  }

  channel(name: unknown, at: string): void {
    if (typeof name === "string" && this.channels.has(name)) return;
    this.problem(at, "unknown-channel", `names no channel of this graph: ${JSON.stringify(name)}`);
  }

  /** input and output name channels; interrupt_before and interrupt_after name nodes. */
  memberNames(): void {
    for (const member of ["input", "output"] as const) {
      (this.graph[member] ?? []).forEach((name, index) => this.channel(name, `${this.pointer}/${member}/${index}`));
    }
    for (const member of ["interrupt_before", "interrupt_after"] as const) {
      (this.graph[member] ?? []).forEach((name, index) => this.node(name, `${this.pointer}/${member}/${index}`));
    }
  }

  /** Whether an edge leaves __start__. */
  edges(): boolean {
    let starts = false as boolean; // set in the callback below, which narrowing does not follow
    (this.graph.edges ?? []).forEach(([source, target], index) => {
      const at = `${this.pointer}/edges/${index}`;
      if (Array.isArray(source)) source.forEach((name: string, position: number) => this.node(name, `${at}/0/${position}`, "__start__"));
      else this.node(source, `${at}/0`, "__start__");
      starts ||= source === "__start__";
      this.node(target, `${at}/1`, "__end__");
    });
    return starts;
  }

  /** Whether a branch leaves __start__. */
  branches(): boolean {
    let starts = false as boolean; // set in the callback below, which narrowing does not follow
    (this.graph.branches ?? []).forEach((branch, index) => {
      const at = `${this.pointer}/branches/${index}`;
      this.node(branch.from, `${at}/from`, "__start__");
      starts ||= branch.from === "__start__";
      this.channel(branch.on, `${at}/on`);
      for (const [value, target] of Object.entries(branch.to)) this.node(target, `${at}/to/${escape(value)}`, "__end__");
      if (branch.default !== undefined) this.node(branch.default, `${at}/default`, "__end__");
    });
    return starts;
  }

  actions(name: string, spec: GraphNode): void {
    if (!("actions" in spec)) return;
    spec.actions.forEach((action, index) => {
      this.action(action, `${this.pointer}/nodes/${escape(name)}/actions/${index}`, index === spec.actions.length - 1);
    });
  }

  action(action: Action, at: string, last: boolean): void {
    if (("send" in action || "goto" in action) && !last) {
      this.problem(at, "last-action", "send and goto end their node: they must be its last action");
    }
    for (const key of ["write", "update"] as const) {
      const written = (action as Record<string, unknown>)[key];
      if (isPlainObject(written)) for (const channelName of Object.keys(written)) this.channel(channelName, `${at}/${key}/${escape(channelName)}`);
    }
    // Not the copied name itself: a node reached by Send reads it from the Send's arg, which need not be a channel.
    if ("copy" in action) this.channel(action.to, `${at}/to`);
    if ("into" in action) this.channel(action.into, `${at}/into`);
    if ("send" in action) action.send.forEach((item, position) => this.node(item.node, `${at}/send/${position}/node`));
    if ("goto" in action) {
      const goto = action.goto;
      if (typeof goto === "string") this.node(goto, `${at}/goto`, "__end__");
      else goto.forEach((target, position) => this.node(target, `${at}/goto/${position}`, "__end__"));
    }
  }
}

/** Whether the graph, or a subgraph of it, has an interrupt action or interrupt_before/interrupt_after. */
export function canInterrupt(graph: Graph | null): boolean {
  if (graph === null) return true; // already reported; do not pile a second problem on it
  if ((graph.interrupt_before ?? []).length > 0 || (graph.interrupt_after ?? []).length > 0) return true;
  for (const node of Object.values(graph.nodes)) {
    if ("subgraph" in node) {
      if (typeof node.subgraph !== "string" && canInterrupt(node.subgraph)) return true;
    } else if (node.actions.some((action) => "interrupt" in action)) {
      return true;
    }
  }
  return false;
}

export interface RawScenarioStep {
  op: string;
  args: Record<string, unknown>;
  as?: string;
  note?: string;
  expect?: { result: unknown } | { error: string };
}

/** The script's own rules: resumes need an interrupt, aliases their form, and the last step is `checkpoints`. */
export function lintScript(graph: Graph | null, steps: readonly RawScenarioStep[], pointer: string, problem: Problem): void {
  steps.forEach((step, index) => lintStep(graph, step.args, `${pointer}/steps/${index}/args`, problem));
  const last = steps[steps.length - 1];
  if (last !== undefined && last.op !== "checkpoints") {
    problem(`${pointer}/steps/${steps.length - 1}/op`, "last-step", "the last step of a scenario must be checkpoints");
  }
}

/** One step's args: a resume needs an interrupt, aliases have their form, as_node names a node. */
function lintStep(graph: Graph | null, args: Record<string, unknown>, at: string, problem: Problem): void {
  const command = args.command;
  if (isPlainObject(command) && ("resume" in command || "resume_by_id" in command) && !canInterrupt(graph)) {
    problem(`${at}/command`, "resume-needs-interrupt", "resumes a graph that has no interrupt, so nothing can be interrupted");
  }
  lintStepAliases(args, at, problem);
  if (Object.hasOwn(args, "as_node") && graph !== null && !(typeof args.as_node === "string" && Object.hasOwn(graph.nodes, args.as_node))) {
    problem(`${at}/as_node`, "unknown-node", `names no node of the scenario's graph: ${JSON.stringify(args.as_node)}`);
  }
}

/** The checkpoint aliases of checkpoint and before, and the interrupt aliases of resume_by_id. */
function lintStepAliases(args: Record<string, unknown>, at: string, problem: Problem): void {
  for (const member of ["checkpoint", "before"]) {
    const value = args[member];
    if (typeof value === "string" && !ALIAS_FORMS.checkpoint.test(value)) {
      problem(`${at}/${member}`, "alias-form", `${JSON.stringify(value)} is not a checkpoint alias (checkpoint:N)`);
    }
  }
  const command = args.command;
  if (isPlainObject(command) && isPlainObject(command.resume_by_id)) {
    for (const alias of Object.keys(command.resume_by_id)) {
      if (!ALIAS_FORMS.interrupt.test(alias)) {
        problem(`${at}/command/resume_by_id/${escape(alias)}`, "alias-form", `${JSON.stringify(alias)} is not an interrupt alias (interrupt:N)`);
      }
    }
  }
}
