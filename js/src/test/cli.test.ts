/** The command line on the built-in target and on plugged-in savers. */

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { makeTarget } from "../targets/index.js";
import { installedVersion } from "../versions.js";
import * as plugin from "./plugin-saver.js";
import { CLI, PUT_STEP, SPEC_ROOT, capture, caseFile, scratchDir, scratchSpec } from "./helpers.js";

const PLUGIN = join(dirname(fileURLToPath(import.meta.url)), "plugin-saver.js");

/** A case as the JSON report gives it. */
interface Reported {
  id: string;
  verdict: string;
  reason: string | null;
  fingerprint: unknown;
  steps: { observation: { error?: string } }[];
}

describe("run on js-memory", () => {
  test("the whole spec: header with the exact library versions, closing lines, exit 0", () => {
    const run = spawnSync(process.execPath, [CLI, "run", "--target", "js-memory"], { encoding: "utf-8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    for (const name of ["@langchain/langgraph", "@langchain/langgraph-checkpoint", "@langchain/core"]) {
      const version = installedVersion(name);
      assert.ok(version !== null);
      assert.ok(lines[0]!.includes(`${name} ${version}`), lines[0]);
    }
    assert.match(lines[0]!, /^checkpoint-spec-js \S+ \| target js-memory \(typescript\) \| /);
    assert.match(lines.at(-2)!, /^\d+ matched the spec, \d+ known divergences, 0 unexpected failures, 0 stale entries, \d+ unsupported$/);
    assert.match(lines.at(-1)!, /^\d+ passed, 0 failed, \d+ skipped$/);
  });

  test("a listed case that fails somewhere the list does not say exits 1 and prints the new mark", async () => {
    const { readFileSync, writeFileSync } = await import("node:fs");
    const listed = JSON.parse(readFileSync(join(SPEC_ROOT, "known-divergences", "js-memory.json"), "utf-8")) as {
      divergences: Record<string, { reason: string; fails: unknown[] }>;
    };
    const entry = listed.divergences["get-returns-checkpoint"];
    assert.deepStrictEqual(entry?.fails, [{ step: 2, at: "/updated_channels", kind: "missing" }]);
    // The list now says the case fails elsewhere: the real failure is new, the listed one gone.
    entry.fails = [{ step: 2, at: "/channel_values", kind: "value" }];
    const known = join(scratchDir(), "js-memory.json");
    writeFileSync(known, JSON.stringify(listed));
    const { out, output } = capture();
    const status = await main(["run", "--target", "js-memory", "--known", known, "--case", "get-returns-checkpoint"], output);
    assert.equal(status, 1, out.join("\n"));
    const head = out.find((line) => line.startsWith("FAIL get-returns-checkpoint "));
    assert.ok(head?.endsWith(
      "/steps/2): listed as a known divergence, but it fails where the list does not say: step 2 at /updated_channels: missing; " +
        "no longer fails where the list says: step 2 at /channel_values: value",
    ), out.join("\n"));
    assert.equal(out.at(-1), "0 passed, 1 failed, 0 skipped");
  });

  test("lint", async () => {
    const { out, output } = capture();
    assert.equal(await main(["lint"], output), 0);
    assert.match(
      out[0]!,
      /^\d+ files are valid: \d+ cases, \d+ scenarios, \d+ fixtures, \d+ known-divergence files, \d+ parity causes, \d+ interop findings and \d+ self-test files$/,
    );
  });

  test("usage errors exit 2", async () => {
    const { err, output } = capture();
    assert.equal(await main(["run"], output), 2);
    assert.equal(err[0], "error: --target: required by run");
    assert.equal(await main(["explode"], capture().output), 2);
    assert.equal(await main(["run", "--target", "js-memory", "--bogus"], capture().output), 2);
  });
});

describe("plugged-in savers", () => {
  const root = scratchSpec({
    "a.json": caseFile([
      { id: "stored", title: "put then get", steps: [PUT_STEP, { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: { $type: "object" } } }] },
      { id: "copies", title: "copy", requires: ["copy_thread"], steps: [{ op: "copy_thread", args: { source_thread_id: "a", target_thread_id: "b" }, expect: { error: "not_implemented" } }] },
    ]),
  });

  test("a module path and export name, sync or async factory", async () => {
    for (const exportName of ["memory", "forgetful"]) {
      const { out, output } = capture();
      const status = await main(["run", "--target", `${PLUGIN}:${exportName}`, "--spec", root], output);
      if (exportName === "memory") {
        assert.equal(status, 0, out.join("\n"));
        assert.equal(out.at(-1), "1 passed, 0 failed, 1 skipped");
      } else {
        assert.equal(status, 1);
        assert.ok(out.some((line) => line.startsWith("FAIL stored ")));
      }
    }
  });

  test("a relative module path resolves from the working directory", () => {
    const run = spawnSync(process.execPath, [CLI, "run", "--target", "./plugin-saver.js:copying", "--spec", root], {
      encoding: "utf-8",
      cwd: dirname(PLUGIN),
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 passed, 0 failed, 0 skipped/);
  });

  test("capabilities: a method the saver's class defines counts, the base default for delta history counts", async () => {
    const copying = await makeTarget(`${PLUGIN}:copying`);
    assert.ok(copying.capabilities.has("copy_thread"));
    assert.ok(copying.capabilities.has("get_delta_channel_history"));
    assert.ok(!copying.capabilities.has("prune"));
    const memory = await makeTarget("js-memory");
    assert.deepStrictEqual(
      [...memory.capabilities].sort(),
      ["delete_thread", "get", "get_delta_channel_history", "get_next_version", "get_tuple", "list", "put", "put_writes"],
    );
  });

  test("a bad plug-in is a one-line error", async () => {
    for (const [spec, message] of [
      [`${PLUGIN}:notAFunction`, /has no function export "notAFunction"/],
      ["./no/such/module.js:make", /cannot import/],
    ] as const) {
      const { err, output } = capture();
      assert.equal(await main(["run", "--target", spec, "--spec", root], output), 2);
      assert.match(err[0]!, message);
    }
  });

  test("--target-arg VALUE is the factory's one argument, and is not shown", async () => {
    plugin.givenArguments.length = 0;
    const dsn = "postgresql://user@127.0.0.1:5432/db?sslmode=disable";
    const { out, output } = capture();
    assert.equal(await main(["run", "--target", `${PLUGIN}:withArgument`, "--spec", root, "--case", "stored", "--target-arg", dsn], output), 0, out.join("\n"));
    // Once to learn the capabilities, once for the case; the value may hold a password.
    assert.deepStrictEqual(plugin.givenArguments, [[dsn], [dsn]]);
    assert.ok(!out.join("\n").includes(dsn));
    plugin.givenArguments.length = 0;
    assert.equal(await main(["run", "--target", `${PLUGIN}:withArgument`, "--spec", root, "--case", "stored"], capture().output), 0);
    assert.deepStrictEqual(plugin.givenArguments, [[], []], "without --target-arg the factory is called with none");
  });

  test("a missing method is not_implemented on each step of a core operation, and an extended one's cases are skipped", async () => {
    const spec = scratchSpec({
      "a.json": caseFile([
        { id: "deletes", title: "t", steps: [{ op: "delete_thread", args: { thread_id: "t1" }, expect: { result: null } }] },
        { id: "history", title: "t", requires: ["get_delta_channel_history"], steps: [{ op: "get_delta_channel_history", args: { config: { configurable: { thread_id: "t1" } }, channels: ["a"] } }] },
        { id: "copies", title: "t", requires: ["copy_thread"], steps: [{ op: "copy_thread", args: { source_thread_id: "a", target_thread_id: "b" } }] },
      ]),
    });
    const report = join(scratchDir(), "report.json");
    const { out, output } = capture();
    assert.equal(await main(["run", "--target", `${PLUGIN}:lacksDeleteThread`, "--spec", spec, "--json", report], output), 1, out.join("\n"));
    const cases = new Map((JSON.parse(readFileSync(report, "utf-8")) as { cases: Reported[] }).cases.map((c) => [c.id, c]));
    assert.equal(cases.get("deletes")?.verdict, "failed");
    assert.deepStrictEqual(cases.get("deletes")?.fingerprint, [{ step: 0, at: "", kind: "raised:not_implemented" }]);
    assert.equal(cases.get("deletes")?.steps[0]?.observation.error, "not_implemented");
    for (const [id, capability] of [["history", "get_delta_channel_history"], ["copies", "copy_thread"]] as const) {
      assert.equal(cases.get(id)?.verdict, "skipped");
      assert.ok(cases.get(id)?.reason?.endsWith(`does not support ${capability}`), cases.get(id)?.reason ?? "");
    }
  });

  test("a factory that returns no saver errors its cases; the run goes on, exit 1", async () => {
    const { out, err, output } = capture();
    assert.equal(await main(["run", "--target", `${PLUGIN}:notASaver`, "--spec", root], output), 1);
    assert.deepStrictEqual(err, []);
    assert.ok(out.some((line) => /^ERROR .*: making the saver raised TypeError: the factory did not return a checkpoint saver/.test(line)), out.join("\n"));
  });
});

describe("lint of the self-test files", () => {
  test("a corrupt vector file and a verdict naming no case are errors", async () => {
    const { cpSync, readFileSync, writeFileSync } = await import("node:fs");
    const root = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });
    cpSync(join(SPEC_ROOT, "selftest"), join(root, "selftest"), { recursive: true });
    const matching = join(root, "selftest", "matching.json");
    const text = readFileSync(matching, "utf-8");
    const document = JSON.parse(text) as { vectors: { match: unknown }[] };
    // Edited as text: JSON.stringify would spell a float such as 1.8446744073709552e+19 as an integer literal.
    writeFileSync(matching, text.replace(/"match": (true|false)/, '"match": "yes"'));
    let captured = capture();
    assert.equal(await main(["lint", "--spec", root], captured.output), 2);
    assert.ok(captured.err.some((line) => line.startsWith(`error: ${matching}#/vectors/0/match: `)), captured.err.join("\n"));
    writeFileSync(matching, JSON.stringify({ ...document, vectors: [] }));
    const verdicts = join(root, "selftest", "verdicts.json");
    const listed = JSON.parse(readFileSync(verdicts, "utf-8")) as { verdicts: Record<string, unknown> };
    listed.verdicts["selftest-ghost"] = { verdict: "passed" };
    writeFileSync(verdicts, JSON.stringify(listed));
    captured = capture();
    assert.equal(await main(["lint", "--spec", root], captured.output), 2);
    assert.ok(captured.err.includes(`error: ${verdicts}#/verdicts/selftest-ghost: names no self-test case [unknown-case]`), captured.err.join("\n"));
  });

  test("known.json is checked against its schema", async () => {
    const { cpSync, readFileSync, writeFileSync } = await import("node:fs");
    const root = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });
    cpSync(join(SPEC_ROOT, "selftest"), join(root, "selftest"), { recursive: true });
    let captured = capture();
    assert.equal(await main(["lint", "--spec", root], captured.output), 0, captured.err.join("\n"));
    const known = join(root, "selftest", "known.json");
    const document = JSON.parse(readFileSync(known, "utf-8")) as { vectors: { verdict: unknown }[] };
    document.vectors[0]!.verdict = "fine";
    writeFileSync(known, JSON.stringify(document));
    captured = capture();
    assert.equal(await main(["lint", "--spec", root], captured.output), 2);
    assert.ok(captured.err.some((line) => line.startsWith(`error: ${known}#/vectors/0/verdict: `)), captured.err.join("\n"));
  });
});

describe("options checked before the run", () => {
  test("--json naming a folder and --known naming no file are one-line errors", async () => {
    const root = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });
    let captured = capture();
    assert.equal(await main(["run", "--target", "js-memory", "--spec", root, "--json", root], captured.output), 2);
    assert.deepStrictEqual(captured.err, [`error: --json: ${root} is a folder, not a file`]);
    assert.deepStrictEqual(captured.out, []);
    captured = capture();
    assert.equal(await main(["run", "--target", "js-memory", "--spec", root, "--known", "typo.json"], captured.output), 2);
    assert.deepStrictEqual(captured.err, ["error: --known: typo.json: no such file"]);
  });
});

describe("record on js-memory", () => {
  const newCase = {
    id: "new-case",
    title: "t",
    steps: [PUT_STEP, { op: "get_tuple", args: { config: { configurable: { thread_id: "5" } } }, expect: { result: 7 } }],
  };

  test("fills in the steps without an expectation, keeps the others, and the case then passes", async () => {
    const root = scratchSpec({ "a.json": caseFile([newCase]) });
    const { out, output } = capture();
    assert.equal(await main(["record", "--target", "js-memory", "--spec", root], output), 0);
    assert.match(out.join("\n"), /a\.json: wrote 1 expectations; review them before committing/);
    const steps = (JSON.parse(readFileSync(join(root, "cases", "a.json"), "utf8")) as { cases: { steps: { expect?: unknown }[] }[] }).cases[0]!.steps;
    assert.equal((steps[0]!.expect as { result: { configurable: { checkpoint_id: string } } }).result.configurable.checkpoint_id, "1f000000-0000-6000-8000-000000000001");
    assert.deepStrictEqual(steps[1]!.expect, { result: 7 });
  });

  test("--overwrite replaces every expectation with what the target observes", async () => {
    const root = scratchSpec({ "a.json": caseFile([newCase]) });
    const { out, output } = capture();
    assert.equal(await main(["record", "--target", "js-memory", "--spec", root, "--overwrite"], output), 0);
    assert.match(out.join("\n"), /wrote 2 expectations/);
    const steps = (JSON.parse(readFileSync(join(root, "cases", "a.json"), "utf8")) as { cases: { steps: { expect?: unknown }[] }[] }).cases[0]!.steps;
    assert.deepStrictEqual(steps[1]!.expect, { result: null });
    assert.equal(await main(["run", "--target", "js-memory", "--spec", root], capture().output), 0);
  });
});

describe("the header of a user's saver", () => {
  test("names the saver's package and the LangGraph libraries as its module resolves them (a bundled copy)", () => {
    const root = scratchDir();
    const saverPackage = join(root, "my-saver");
    const bundled = join(saverPackage, "node_modules", "@langchain", "langgraph-checkpoint");
    mkdirSync(bundled, { recursive: true });
    writeFileSync(join(saverPackage, "package.json"), JSON.stringify({ name: "my-saver", version: "2.3.4", type: "module" }));
    writeFileSync(join(bundled, "package.json"), JSON.stringify({ name: "@langchain/langgraph-checkpoint", version: "0.0.1-bundled", main: "index.js" }));
    writeFileSync(join(bundled, "index.js"), "module.exports = {};\n");
    const real = pathToFileURL(fileURLToPath(import.meta.resolve("@langchain/langgraph-checkpoint"))).href;
    writeFileSync(join(saverPackage, "index.js"), `import { MemorySaver } from ${JSON.stringify(real)};\nexport const fresh = () => new MemorySaver();\n`);
    const spec = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });
    const run = spawnSync(process.execPath, [CLI, "run", "--target", `${join(saverPackage, "index.js")}:fresh`, "--spec", spec], { encoding: "utf-8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const header = run.stdout.split("\n")[0]!;
    assert.match(header, /@langchain\/langgraph-checkpoint 0\.0\.1-bundled/);
    assert.match(header, /my-saver 2\.3\.4/);
    assert.match(header, new RegExp(`@langchain/core ${installedVersion("@langchain/core")!.replaceAll(".", "\\.")}`));
  });
});

describe("a closed standard output", () => {
  const start = JSON.stringify({ seq: 0, cmd: "start", version: 1, target: "js-memory", fixtures: {} }) + "\n";
  // command-lines.json has the vectors of the other commands; the driver answers a request, and run a scratch spec.
  const commands: Record<string, string[]> = {
    run: ["run", "--target", "js-memory", "--spec"],
    driver: ["driver", "--target", "js-memory"],
  };
  for (const [name, words] of Object.entries(commands)) {
    test(`${name}: exit 2 quietly, no details file (as after | head -1)`, async () => {
      const spec = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });
      const temporary = scratchDir(); // where a details file would go
      const argv = words.at(-1) === "--spec" ? [...words, spec] : words;
      const child = spawn(process.execPath, [CLI, ...argv], { env: { ...process.env, TMPDIR: temporary } });
      child.stdout.destroy(); // the reader is gone before anything is written
      child.stdin.end(name === "driver" ? start : "");
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      assert.equal(status, 2, err);
      assert.equal(err, "");
      assert.deepEqual(readdirSync(temporary), []);
    });
  }
});
