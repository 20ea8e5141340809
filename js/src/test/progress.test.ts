/** Progress on standard error, failure blocks collapsed when cases fail the same way, and long lines shortened. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, test } from "node:test";

import { Progress, TIMING } from "../progress.js";
import { LINE_LIMIT } from "../report.js";
import { CLI, PUT_STEP, caseFile, scratchSpec } from "./helpers.js";

const FAULTY = join(dirname(fileURLToPath(import.meta.url)), "faulty-savers.js");

interface FakeStream {
  text(): string;
  write(chunk: string): boolean;
  isTTY: boolean;
  columns: number;
  cursorTo(): boolean;
  clearLine(): boolean;
  moveCursor(): boolean;
  on(): void;
  removeListener(): void;
}

/** A stream that keeps what is written; on "a terminal", the cursor moves cli-progress makes are no-ops. */
function stream(isTTY: boolean): FakeStream {
  let written = "";
  return {
    text: () => written,
    write: (chunk: string) => {
      written += chunk;
      return true;
    },
    isTTY,
    columns: 80,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => {},
    removeListener: () => {},
  };
}

describe("Progress", () => {
  const interval = TIMING.intervalSeconds;
  afterEach(() => {
    TIMING.intervalSeconds = interval;
  });

  test("off a terminal: a plain line every interval", () => {
    TIMING.intervalSeconds = 0;
    const out = stream(false);
    const progress = new Progress(3, "cases", out);
    for (const failed of [false, true, false]) progress.advance(failed);
    progress.close();
    assert.deepStrictEqual(out.text().split("\n").filter(Boolean), [
      "progress: 1/3 cases, 0 failed",
      "progress: 2/3 cases, 1 failed",
      "progress: 3/3 cases, 1 failed",
    ]);
  });

  test("off a terminal, a short run prints nothing", () => {
    const out = stream(false);
    const progress = new Progress(3, "cases", out);
    progress.advance(false);
    progress.close();
    assert.equal(out.text(), "");
  });

  test("on a terminal: a bar with the failures so far", () => {
    const out = stream(true);
    const progress = new Progress(2, "cases", out);
    progress.advance(true);
    progress.close();
    assert.match(out.text(), /1\/2 cases, 1 failed/);
  });
});

describe("failure blocks", () => {
  const steps = [PUT_STEP];
  const root = scratchSpec({
    "a.json": caseFile(["first", "second", "third", "fourth"].map((id) => ({ id, title: id, steps }))),
  });

  test("cases that fail the same way are one block with their count and ids", () => {
    const run = spawnSync(process.execPath, [CLI, "run", "--target", `${FAULTY}:throwsAfterFirstCase`, "--spec", root], { encoding: "utf-8" });
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    assert.equal(lines.filter((line) => line.startsWith("ERROR ")).length, 1);
    assert.ok(lines.includes("  ... and 2 more cases the same way: third, fourth"), run.stdout);
  });

  test("no line is longer than the limit", () => {
    const run = spawnSync(process.execPath, [CLI, "run", "--target", `${FAULTY}:throwsLongAfterFirstCase`, "--spec", root], { encoding: "utf-8" });
    const lines = run.stdout.trimEnd().split("\n");
    assert.ok(Math.max(...lines.map((line) => line.length)) <= LINE_LIMIT, run.stdout);
    assert.ok(lines.some((line) => line.includes(" characters) ... ") && line.endsWith("xxx")), run.stdout);
  });
});
