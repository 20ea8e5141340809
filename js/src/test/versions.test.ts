/** The LangGraph JS libraries checked against the ranges js/package.json declares, before any saver is made. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import { CHECKED_LIBRARIES, installedVersion, ownManifest, unsupportedLibraries, type Manifest } from "../versions.js";
import { PUT_STEP, caseFile, scratchDir, scratchSpec } from "./helpers.js";

const DIST = dirname(dirname(fileURLToPath(import.meta.url)));
const JS = dirname(DIST);

const MANIFEST: Manifest = {
  dependencies: { "@langchain/langgraph-checkpoint": "~1.2.2", "@langchain/langgraph": "~1.7.3", "@langchain/core": "~1.4.0" },
  peerDependencies: { "@langchain/langgraph-checkpoint-sqlite": "~1.0.4", pg: "^8.12.0" },
};
const INSTALLED: Record<string, string> = {
  "@langchain/langgraph-checkpoint": "1.1.0",
  "@langchain/langgraph": "1.7.9",
  "@langchain/core": "0.3.0",
  "@langchain/langgraph-checkpoint-sqlite": "1.1.0",
};
const versionOf = (name: string): string | null => INSTALLED[name] ?? null;

describe("unsupportedLibraries", () => {
  test("the libraries this runner loads are within the ranges it declares", () => {
    assert.deepEqual(unsupportedLibraries(), []);
    assert.ok(CHECKED_LIBRARIES.every((name) => ownManifest().dependencies?.[name] !== undefined));
  });

  test("each library outside its range is one phrase; @langchain/core is not a LangGraph library checked", () => {
    assert.deepEqual(unsupportedLibraries([], MANIFEST, versionOf), ["@langchain/langgraph-checkpoint 1.1.0 is installed (supported: ~1.2.2)"]);
  });

  test("a target's optional peers are checked when it is asked for, and a missing one is left to the target", () => {
    const peers = ["@langchain/langgraph-checkpoint-sqlite", "better-sqlite3", "pg"];
    assert.deepEqual(unsupportedLibraries(peers, MANIFEST, versionOf), [
      "@langchain/langgraph-checkpoint 1.1.0 is installed (supported: ~1.2.2)",
      "@langchain/langgraph-checkpoint-sqlite 1.1.0 is installed (supported: ~1.0.4)",
    ]);
  });

  test("a dependency that is not installed is named", () => {
    assert.deepEqual(unsupportedLibraries([], MANIFEST, (name) => (name === "@langchain/langgraph" ? null : "1.2.5")), [
      "@langchain/langgraph is not installed (supported: ~1.7.3)",
    ]);
  });
});

describe("the command line with an unsupported library", () => {
  test("one line naming it, exit 2, before the user's factory is called", () => {
    // The runner as installed with a package.json whose range excludes the installed @langchain/langgraph-checkpoint.
    const installed = scratchDir();
    cpSync(DIST, join(installed, "dist"), { recursive: true });
    symlinkSync(join(JS, "node_modules"), join(installed, "node_modules"));
    const manifest = JSON.parse(readFileSync(join(JS, "package.json"), "utf-8")) as Manifest & Record<string, unknown>;
    manifest.dependencies = { ...manifest.dependencies, "@langchain/langgraph-checkpoint": "~0.9.0" };
    writeFileSync(join(installed, "package.json"), JSON.stringify(manifest));
    const folder = scratchDir();
    const called = join(folder, "called");
    writeFileSync(
      join(folder, "saver.mjs"),
      `import { writeFileSync } from "node:fs";\nexport function fresh() { writeFileSync(${JSON.stringify(called)}, "yes"); throw new Error("made"); }\n`,
    );
    const spec = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });
    const cli = join(installed, "dist", "cli.js");
    const run = spawnSync(process.execPath, [cli, "run", "--target", join(folder, "saver.mjs") + ":fresh", "--spec", spec], {
      encoding: "utf-8",
    });
    const version = installedVersion("@langchain/langgraph-checkpoint");
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      `error: --target: checkpoint-spec-js ${String(manifest.version)} does not support what is installed: ` +
        `@langchain/langgraph-checkpoint ${version} is installed (supported: ~0.9.0)\n`,
    );
    assert.throws(() => readFileSync(called), "the factory was not called");
  });
});
