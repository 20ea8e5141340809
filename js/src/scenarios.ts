/** Running a graph scenario (spec/README.md section 8) on a target: its script, observations and verdict. */

import { Command, InvalidUpdateError } from "@langchain/langgraph";

import { Aliases } from "./aliases.js";
import { CodecError } from "./codec.js";
import { NodeError, compileGraph, type CompiledScenarioGraph } from "./graphs.js";
import type { Case, Spec, Step } from "./loading.js";
import { observeError } from "./observation.js";
import { notRun, observed, prepare, type StepOutcome, type StepRunner } from "./outcomes.js";
import { UnresolvedReference, type Observation } from "./references.js";
import type { Graph } from "./scenario-lint.js";
import * as snapshots from "./snapshots.js";
import type { Session } from "./targets/base.js";

/** An alias argument that names nothing this run has seen: the step is not run. */
export class UnknownAlias extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownAlias";
  }
}

/** Errors of a scenario step: section 4's categories, and `node_error` and `invalid_update` (8.3). */
export function observeGraphError(error: unknown): { error: string; detail: string } {
  if (error instanceof NodeError) return { error: "node_error", detail: `${error.name}: ${error.message}` };
  if (error instanceof InvalidUpdateError || (error instanceof Error && error.name === "InvalidUpdateError")) {
    return { error: "invalid_update", detail: `${error.name}: ${error.message}` };
  }
  return observeError(error);
}

interface ListingSaver {
  list(config: Record<string, unknown>, options?: Record<string, unknown>): AsyncIterable<unknown>;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** One scenario's graph compiled on one session's saver, and the aliases of what it generated. */
export class ScenarioRun {
  readonly app: CompiledScenarioGraph;
  readonly aliases = new Aliases();

  constructor(
    graph: Graph,
    private readonly saver: object,
  ) {
    this.app = compileGraph(graph, saver);
  }

  private raw(alias: unknown, kind: string): string {
    const raw = typeof alias === "string" ? this.aliases.raw(alias) : null;
    if (raw === null) throw new UnknownAlias(`no ${kind} of this run has the alias ${JSON.stringify(alias)}`);
    return raw;
  }

  private config(args: Record<string, unknown>): { configurable: Record<string, unknown> } {
    const configurable: Record<string, unknown> = { thread_id: args.thread };
    if (Object.hasOwn(args, "checkpoint")) {
      // A named checkpoint is a root one; spelled out as the Python runner does for update_state.
      configurable.checkpoint_ns = "";
      configurable.checkpoint_id = this.raw(args.checkpoint, "checkpoint");
    }
    return { configurable };
  }

  private listed(): Promise<unknown[]> {
    return collect((this.saver as ListingSaver).list({}));
  }

  /** What an invoke step passes to invoke: its input, or the Command its command spells. */
  private invokeInput(args: Record<string, unknown>): unknown {
    if (!Object.hasOwn(args, "command")) return Object.hasOwn(args, "input") ? args.input : null;
    const command = args.command as Record<string, unknown>;
    const options: Record<string, unknown> = {};
    for (const key of ["resume", "goto", "update"]) if (Object.hasOwn(command, key)) options[key] = command[key];
    if (Object.hasOwn(command, "resume_by_id")) {
      const byId = command.resume_by_id as Record<string, unknown>;
      options.resume = Object.fromEntries(Object.entries(byId).map(([alias, value]) => [this.raw(alias, "interrupt"), value]));
    }
    return new Command(options);
  }

  /** The options of a get_state_history step: filter, limit and before, each when given. */
  private historyOptions(args: Record<string, unknown>): Record<string, unknown> {
    const options: Record<string, unknown> = {};
    if (Object.hasOwn(args, "filter") && args.filter !== null) options.filter = args.filter;
    if (Object.hasOwn(args, "limit") && args.limit !== null) options.limit = args.limit;
    if (Object.hasOwn(args, "before")) options.before = { configurable: { checkpoint_id: this.raw(args.before, "checkpoint") } };
    return options;
  }

  /** The raw observation of one script step (8.2, 8.3); rejects with what the runtime threw. */
  async call(op: string, args: Record<string, unknown>): Promise<unknown> {
    const app = this.app;
    if (op === "checkpoints") return snapshots.stored(await this.listed(), (raw) => this.aliases.rank(raw));
    const config = this.config(args);
    switch (op) {
      case "invoke": {
        const given = this.invokeInput(args);
        const invokeConfig: Record<string, unknown> = { ...config };
        if (Object.hasOwn(args, "durability")) invokeConfig.durability = args.durability;
        return snapshots.output(await app.invoke(given, invokeConfig));
      }
      case "update_state": {
        const asNode = typeof args.as_node === "string" ? args.as_node : undefined;
        return snapshots.config(await app.updateState(config, args.values, asNode));
      }
      case "get_state":
        return snapshots.snapshot(await app.getState(config, { subgraphs: args.subgraphs === true }));
      case "get_state_history": {
        const found = await collect(app.getStateHistory(config, this.historyOptions(args)));
        return found.map((item) => snapshots.snapshot(item));
      }
      default:
        throw new Error(`unknown scenario operation ${op}`);
    }
  }

  private async checkpointIds(): Promise<string[]> {
    return (await this.listed()).map(snapshots.checkpointId);
  }

  /**
   * Rule 1 of the aliases after a step; null when done, else the error of the listing. A
   * listing that fails (the saver cannot read back what the run stored) leaves the step
   * unobservable, so that error becomes its observation.
   */
  private async aliasCheckpoints(): Promise<{ error: string; detail: string } | null> {
    try {
      this.aliases.addCheckpoints(await this.checkpointIds());
      return null;
    } catch (error) {
      const found = observeGraphError(error);
      return { error: found.error, detail: `listing the stored checkpoints after the step: ${found.detail}` };
    }
  }

  async step(step: Step, spec: Pick<Spec, "fixtures">, results: Map<string, Observation>): Promise<StepOutcome> {
    let expected: unknown = null;
    let raw: Observation;
    try {
      const prepared = prepare(step, spec.fixtures, results);
      expected = prepared.expected;
      raw = { result: await this.call(step.op, prepared.args) };
    } catch (error) {
      if (error instanceof UnresolvedReference || error instanceof CodecError || error instanceof UnknownAlias) {
        await this.aliasCheckpoints();
        return notRun(step, error.message, results);
      }
      // whatever the runtime threw is the observation
      raw = observeGraphError(error);
    }
    const listing = await this.aliasCheckpoints();
    if (listing !== null && "result" in raw) raw = listing;
    const observation: Observation = "result" in raw ? { result: this.aliases.apply(raw.result) } : raw;
    return observed(step, observation, expected, results);
  }
}

/** Run a scenario's steps on a session, each through `runner`, appending their outcomes to `steps`. */
export async function scenarioSteps(
  testCase: Case,
  session: Session,
  spec: Pick<Spec, "fixtures">,
  steps: StepOutcome[],
  runner: StepRunner,
): Promise<void> {
  if (testCase.graph === null) throw new TypeError(`${testCase.id} is a case, not a scenario`);
  const results = new Map<string, Observation>();
  const saver = session.saver;
  if (saver === undefined) {
    // A session without a saver (its storage could not be opened) fails each step with its reason.
    for (const step of testCase.steps) {
      steps.push(
        await runner(step, async () => {
          let problem: Observation;
          try {
            await session.call("checkpoints", {});
            problem = observeError(new Error("the target's session has no saver"));
          } catch (error) {
            problem = observeError(error);
          }
          return observed(step, problem, null, results);
        }),
      );
    }
    return;
  }
  let run: ScenarioRun | null = null;
  let refused: Observation | null = null;
  try {
    run = new ScenarioRun(testCase.graph, saver);
  } catch (error) {
    // The runtime refused to build or compile the graph (LangGraph JS validates more than Python's):
    // every step fails with that error, which is the runtime's behaviour, not the runner's.
    refused = observeGraphError(error);
  }
  for (const step of testCase.steps) {
    steps.push(run === null ? observed(step, refused!, null, results) : await runner(step, () => run.step(step, spec, results)));
  }
}
