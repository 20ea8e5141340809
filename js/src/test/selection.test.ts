/** --case globs (spec/README.md 7.1) on the command line: selection, and bad globs as one-line errors (the grammar is pinned by globs.json). */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { compileGlob } from "../globs.js";
import { CLI, PUT_STEP, capture, caseFile, scratchSpec } from "./helpers.js";

const root = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }, { id: "other", title: "t", steps: [PUT_STEP] }]) });

async function run(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const { out, err, output } = capture();
  const status = await main(argv, output);
  return { status, out, err };
}

describe("--case globs", () => {
  test("a glob of more than 1000 characters is an option error", async () => {
    const { status, err } = await run("run", "--target", "js-memory", "--spec", root, "--case", "*".repeat(100_000));
    assert.equal(status, 2);
    assert.deepStrictEqual(err, ["error: --case: a glob of 100000 characters; at most 1000 are accepted"]);
    assert.equal((await run("run", "--target", "js-memory", "--spec", root, "--case", "*".repeat(1000))).status, 0);
  });

  test("the length counts characters, not UTF-16 units", async () => {
    const { status, err } = await run("run", "--target", "js-memory", "--spec", root, "--case", "😀".repeat(1001));
    assert.equal(status, 2);
    assert.deepStrictEqual(err, ["error: --case: a glob of 1001 characters; at most 1000 are accepted"]);
    assert.match((await run("run", "--target", "js-memory", "--spec", root, "--case", "😀".repeat(1000))).err[0]!, /matches no case id/);
  });

  const badGlobs: [string, string][] = [
    ["[z-a]", 'error: --case: "[z-a]": the range z-a ends before it starts'],
    ["go[!a-c]d[x", 'error: --case: "go[!a-c]d[x": the [ at character 10 is not closed'],
    ["[]", 'error: --case: "[]": the [ at character 1 is not closed'],
  ];
  for (const [glob, line] of badGlobs) {
    test(`${glob} is bad input: one line, exit 2, nothing run`, async () => {
      const { status, out, err } = await run("run", "--target", "js-memory", "--spec", root, "--case", "good", "--case", glob);
      assert.equal(status, 2);
      assert.deepStrictEqual(err, [line]);
      assert.deepStrictEqual(out, []);
    });
  }

  test("a bad glob through the real process: one line on stderr, no stack trace", () => {
    const child = spawnSync(process.execPath, [CLI, "run", "--target", "js-memory", "--spec", root, "--case", "[z-a]"], { encoding: "utf-8" });
    assert.equal(child.status, 2);
    assert.equal(child.stderr, 'error: --case: "[z-a]": the range z-a ends before it starts\n');
    assert.equal(child.stdout, "");
  });

  test("the first bad glob in the order given is the one reported", async () => {
    const { err } = await run("run", "--target", "js-memory", "--spec", root, "--case", "[b", "--case", "[z-a]");
    assert.deepStrictEqual(err, ['error: --case: "[b": the [ at character 1 is not closed']);
  });

  test("several globs select the cases any of them matches, each once, in spec order", async () => {
    const { status, out } = await run("run", "--target", "js-memory", "--spec", root, "--case", "o*", "--case", "*", "--case", "go?d");
    assert.equal(status, 0);
    assert.equal(out.at(-1), "2 passed, 0 failed, 0 skipped");
  });

  test("a well-formed glob that matches no case is bad input", async () => {
    const { status, err } = await run("run", "--target", "js-memory", "--spec", root, "--case", "good", "--case", "[!a-z]*");
    assert.equal(status, 2);
    assert.deepStrictEqual(err, [`error: --case: "[!a-z]*" matches no case id in ${root}`]);
  });

  test("a glob that makes a regular expression backtrack for ever is matched at once", () => {
    assert.equal(compileGlob("*a".repeat(400) + "b").matches("a".repeat(100)), false);
  });
});
