/** The --json file is checked before any case runs: writable, made without hanging, never a device. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { CLI, PUT_STEP, capture, caseFile, scratchDir, scratchSpec } from "./helpers.js";

const root = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });

async function run(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const { out, err, output } = capture();
  const status = await main(argv, output);
  return { status, out, err };
}

describe("--json is checked before any case runs", () => {
  test("a folder under /proc cannot be made: an error at once, not a hang", () => {
    const found = spawnSync(process.execPath, [CLI, "run", "--target", "js-memory", "--spec", root, "--json", "/proc/x/report.json"], {
      encoding: "utf-8",
      timeout: 60_000,
    });
    assert.equal(found.status, 2, found.stdout + found.stderr);
    assert.equal(found.stdout, "");
    assert.match(found.stderr, /^error: --json: cannot write \/proc\/x\/report\.json: .+\n$/);
  });

  test("a pipe (or a device) is not replaced by the report", async () => {
    // A FIFO of the test's own: a runner with this bug replaces it, where /dev/null would be lost.
    const fifo = join(scratchDir(), "report.json");
    const made = spawnSync("mkfifo", [fifo]);
    assert.equal(made.status, 0, String(made.stderr));
    const { status, err } = await run("run", "--target", "js-memory", "--spec", root, "--json", fifo);
    assert.equal(status, 2);
    assert.deepStrictEqual(err, [`error: --json: ${fifo} is not a regular file`]);
  });

  test("missing folders are made, one by one", async () => {
    const report = join(scratchDir(), "a", "b", "report.json");
    assert.equal((await run("run", "--target", "js-memory", "--spec", root, "--json", report)).status, 0);
    assert.ok(existsSync(report));
  });
});
