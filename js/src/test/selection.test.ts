/** --case globs: bounded in length, matched as Python's fnmatchcase, never by a regular expression that can explode. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { globMatches, parseGlob } from "../selection.js";
import { PUT_STEP, capture, caseFile, scratchSpec } from "./helpers.js";

const root = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });

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

  test("a malformed bracket is no error: it matches as Python's fnmatch says", async () => {
    const { status, err } = await run("run", "--target", "js-memory", "--spec", root, "--case", "[z-a]");
    assert.equal(status, 2);
    assert.deepStrictEqual(err, [`error: --case: "[z-a]" matches no case id in ${root}`]);
  });

  test("matching is Python's fnmatchcase", () => {
    // Each verdict is what Python's fnmatch.fnmatchcase(text, glob) returns.
    const vectors: [string, string, boolean][] = [
      ["put-*", "put-returns-config", true],
      ["put-?eturns*", "put-returns-config", true],
      ["[a-c]x", "bx", true],
      ["[!a-c]x", "bx", false],
      ["[!a-c]x", "dx", true],
      ["[z-a]", "z", false],
      ["[z-a]", "-", false],
      ["[!z-a]", "q", true],
      ["[a-]", "-", true],
      ["[a-]", "a", true],
      ["[a-]", "b", false],
      ["[]a]", "]", true],
      ["[!]a]", "]", false],
      ["[!]a]", "b", true],
      ["[", "[", true],
      ["[abc", "[abc", true],
      ["a-b-c", "a-b-c", true],
      ["[a-b-c]", "-", true],
      ["[a-b-c]", "c", true],
      ["[a-b-c]", "b", true],
      ["[a-b-c]", "d", false],
      ["[az-ab]", "b", true],
      ["[az-ab]", "z", false],
      ["[^a]", "^", true],
      ["[^a]", "b", false],
      ["[\\]", "\\", true],
      ["[!-a]", "-", false],
      ["[!-a]", "b", true],
      ["[--0]", ".", true],
      ["[--0]", "a", false],
      ["*", "", true],
      ["**a**", "xa", true],
      ["?", "", false],
      ["a*b*c", "abxbxc", true],
      ["a*b*c", "abxbx", false],
    ];
    for (const [glob, text, verdict] of vectors) assert.equal(globMatches(parseGlob(glob), text), verdict, `${glob} on ${text}`);
  });

  test("a glob that makes a regular expression backtrack for ever is matched at once", () => {
    assert.equal(globMatches(parseGlob("*a".repeat(400) + "b"), "a".repeat(100)), false);
  });
});
