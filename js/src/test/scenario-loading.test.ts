/** Loading scenario files (spec/README.md section 8): schema errors and the 8.4 lint, each one line with file and pointer. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { loadSpec } from "../loading.js";
import { CLI, SPEC_ROOT, caseFile, problems, scratchSpec, withLevel } from "./helpers.js";

const GRAPH = {
  channels: { log: "append" },
  nodes: { a: { actions: [{ write: { log: ["a"] } }] } },
  edges: [["__start__", "a"], ["a", "__end__"]],
};

const RUN = { op: "invoke", args: { thread: "t1", input: {} } };
const CHECKPOINTS = { op: "checkpoints", args: {} };

function scenarioFile(graph: unknown, steps: unknown[] = [RUN, CHECKPOINTS]): unknown {
  return {
    $schema: "../schema/scenario-file.schema.json",
    topic: "test",
    description: "test scenarios",
    scenarios: [withLevel({ id: "a-scenario", title: "a scenario", graph, steps })],
  };
}

/** A scratch spec with no case files but this scenario file; the path of the scenario file. */
function scratchScenario(document: unknown): { root: string; file: string } {
  const root = scratchSpec({});
  mkdirSync(join(root, "scenarios"));
  const file = join(root, "scenarios", "a.json");
  writeFileSync(file, JSON.stringify(document, null, 2));
  return { root, file };
}

/** One problem at file#pointer, from the loader and as the one error line of `lint`, which exits 2. */
function assertOneProblem(document: unknown, pointer: string, message: RegExp): void {
  const { root, file } = scratchScenario(document);
  const found = problems(root);
  assert.equal(found.length, 1, found.join("\n"));
  assert.ok(found[0]!.startsWith(`${file}#${pointer}: `), found[0]);
  assert.match(found[0]!, message);
  const lint = spawnSync(process.execPath, [CLI, "lint", "--spec", root], { encoding: "utf-8" });
  assert.equal(lint.status, 2, lint.stdout + lint.stderr);
  assert.deepStrictEqual(lint.stderr.trimEnd().split("\n"), [`error: ${found[0]}`]);
}

describe("scenario files", () => {
  test("the repository's scenarios load as cases with their graphs expanded", () => {
    const spec = loadSpec(SPEC_ROOT);
    const scenarios = spec.cases.filter((c) => c.graph !== null);
    assert.ok(scenarios.length > 0);
    for (const scenario of scenarios) {
      assert.ok(scenario.file.includes(join("spec", "scenarios")), scenario.file);
      assert.ok(scenario.operation.length > 0);
      assert.equal(scenario.steps.at(-1)!.op, "checkpoints");
      const names = (graph: NonNullable<typeof scenario.graph>): void => {
        for (const node of Object.values(graph.nodes)) {
          if ("subgraph" in node) {
            assert.ok(node.subgraph !== null && typeof node.subgraph === "object", `${scenario.id}: subgraph not expanded`);
            names(node.subgraph);
          }
        }
      };
      assert.ok(typeof scenario.graph === "object");
      names(scenario.graph!);
    }
    const ids = spec.cases.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  test("a valid scenario file loads", () => {
    const { root } = scratchScenario(scenarioFile(GRAPH));
    assert.deepStrictEqual(problems(root), []);
    const [scenario] = loadSpec(root).cases;
    assert.equal(scenario?.operation, "test");
    assert.deepStrictEqual(scenario.graph, GRAPH);
  });

  test("named graphs are expanded, also inside subgraph nodes", () => {
    const document = {
      ...(scenarioFile("outer") as object),
      graphs: {
        inner: GRAPH,
        outer: { channels: { log: "append" }, nodes: { sub: { subgraph: "inner" } }, edges: [["__start__", "sub"]] },
      },
    };
    const { root } = scratchScenario(document);
    const [scenario] = loadSpec(root).cases;
    assert.deepStrictEqual(scenario?.graph, { channels: { log: "append" }, nodes: { sub: { subgraph: GRAPH } }, edges: [["__start__", "sub"]] });
  });

  test("an unknown action is a schema error at the action", () => {
    const graph = { ...GRAPH, nodes: { a: { actions: [{ explode: true }] } } };
    assertOneProblem(scenarioFile(graph), "/scenarios/0/graph/nodes/a/actions/0", /./);
  });

  test("an edge to a missing node", () => {
    const graph = { ...GRAPH, edges: [["__start__", "a"], ["a", "b"]] };
    assertOneProblem(scenarioFile(graph), "/scenarios/0/graph/edges/1/1", /names no node of this graph: "b"/);
  });

  test("a resume in a scenario whose graph cannot interrupt", () => {
    const steps = [RUN, { op: "invoke", args: { thread: "t1", command: { resume: "yes" } } }, CHECKPOINTS];
    assertOneProblem(scenarioFile(GRAPH, steps), "/scenarios/0/steps/1/args/command", /nothing can be interrupted/);
  });

  test("a last step that is not checkpoints", () => {
    assertOneProblem(scenarioFile(GRAPH, [RUN]), "/scenarios/0/steps/0/op", /last step of a scenario must be checkpoints/);
  });

  test("a graph that contains itself", () => {
    const document = {
      ...(scenarioFile("loop") as object),
      graphs: { loop: { channels: { log: "append" }, nodes: { sub: { subgraph: "loop" } }, edges: [["__start__", "sub"]] } },
    };
    const { root, file } = scratchScenario(document);
    const found = problems(root);
    assert.ok(found.length >= 1);
    assert.ok(found.every((p) => p.startsWith(`${file}#/graphs/loop/nodes/sub/subgraph: graph contains itself`)), found.join("\n"));
  });

  test("a literal alias of the wrong form, a channel that does not exist, and a $ref to no step", () => {
    const graph = { ...GRAPH, nodes: { a: { actions: [{ write: { nope: 1 } }] } } };
    const steps = [
      { op: "get_state", args: { thread: "t1", checkpoint: "cp1" } },
      { op: "get_state", args: { thread: "t1", checkpoint: { $ref: "nothing#/config/checkpoint_id" } } },
      CHECKPOINTS,
    ];
    const { root, file } = scratchScenario(scenarioFile(graph, steps));
    const found = problems(root).map((p) => p.split(": ")[0]).sort();
    assert.deepStrictEqual(found, [
      `${file}#/scenarios/0/graph/nodes/a/actions/0/write/nope`,
      `${file}#/scenarios/0/steps/0/args/checkpoint`,
      `${file}#/scenarios/0/steps/1/args/checkpoint/$ref`,
    ]);
  });

  test("an id used by a case and a scenario", () => {
    const root = scratchSpec({
      "put.json": caseFile([{ id: "a-scenario", title: "t", steps: [{ op: "get_next_version", args: { current: null } }] }]),
    });
    mkdirSync(join(root, "scenarios"));
    const file = join(root, "scenarios", "a.json");
    writeFileSync(file, JSON.stringify(scenarioFile(GRAPH)));
    const found = problems(root);
    assert.equal(found.length, 1, found.join("\n"));
    assert.ok(found[0]!.startsWith(`${file}#/scenarios/0/id: id "a-scenario" is already used at `), found[0]);
  });
});
