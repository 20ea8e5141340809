/** The command line's options: each command takes its own, and every bad one is an option error, exit 2. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { PUT_STEP, capture, caseFile, scratchSpec } from "./helpers.js";

const root = scratchSpec({ "a.json": caseFile([{ id: "good", title: "t", steps: [PUT_STEP] }]) });

async function run(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const { out, err, output } = capture();
  const status = await main(argv, output);
  return { status, out, err };
}

describe("commands and their options", () => {
  test("no command, an unknown one, or an option before it: the usage, exit 2", async () => {
    for (const [argv, first] of [
      [[], "error: COMMAND: missing: give one of run, record, lint, driver"],
      [["explode"], "error: explode: unknown command (the commands are run, record, lint, driver)"],
      [["--target", "js-memory", "run"], "error: --target: comes before the command: options follow one of run, record, lint, driver"],
    ] as const) {
      const { status, out, err } = await run(...argv);
      assert.equal(status, 2);
      assert.deepStrictEqual(out, []);
      assert.equal(err[0], first);
      assert.match(err[1]!, /^usage: checkpoint-spec-js COMMAND \[options\]\n/);
    }
  });

  test("--help, on its own or after a command, is the usage on standard output, exit 0", async () => {
    let found = await run("--help");
    assert.equal(found.status, 0);
    assert.match(found.out[0]!, /^usage: checkpoint-spec-js COMMAND/);
    assert.match(found.out[0]!, /--timeout SECONDS/);
    found = await run("lint", "-h");
    assert.equal(found.status, 0);
    assert.match(found.out[0]!, /^usage: checkpoint-spec-js lint \[--spec DIR\]\n/);
  });

  test("an option of another command, or of none, is an error naming it, with the command's usage", async () => {
    for (const [argv, first] of [
      [["lint", "--target", "js-memory"], "error: --target: an option of run and record and driver, not of lint"],
      [["lint", "--json", "x.json"], "error: --json: an option of run, not of lint"],
      [["driver", "--target", "js-memory", "--case", "x"], "error: --case: an option of run and record, not of driver"],
      [["run", "--target", "js-memory", "--bogus"], "error: --bogus: not an option of run"],
      [["run", "--target", "js-memory", "stray"], "error: stray: unexpected argument to run"],
      [["run", "--target"], "error: --target: needs a value"],
      [["run", "--target", "js-memory", "--json", "--case", "good"], "error: --json: needs a value"],
      [["run", "--target", "js-memory", "--verbose=yes"], "error: --verbose: takes no value"],
      [["run", "--spec", root], "error: --target: required by run"],
    ] as const) {
      const { status, out, err } = await run(...argv);
      assert.equal(status, 2, argv.join(" "));
      assert.deepStrictEqual(out, []);
      assert.equal(err[0], first);
      assert.match(err[1]!, new RegExp(`^usage: checkpoint-spec-js ${argv[0]} `));
    }
  });

  test("--timeout must be a positive number of seconds", async () => {
    for (const value of ["0", "-1", "abc", "", "1e999", "5s"]) {
      const { status, out, err } = await run("run", "--target", "js-memory", "--spec", root, `--timeout=${value}`);
      assert.equal(status, 2, value);
      assert.deepStrictEqual(out, []);
      assert.equal(err[0], `error: --timeout: must be a positive number of seconds, not ${JSON.stringify(value)}`);
    }
    for (const value of ["0.5", "2", "1e1"]) {
      assert.equal((await run("run", "--target", "js-memory", "--spec", root, "--timeout", value)).status, 0, value);
    }
    assert.equal((await run("driver", "--target", "js-memory", "--timeout", "0")).status, 2);
  });
});

describe("file and folder names", () => {
  test("an empty file name is an error naming its option", async () => {
    for (const [option, what] of [["--json", "file"], ["--known", "file"], ["--spec", "folder"]] as const) {
      const { status, out, err } = await run("run", "--target", "js-memory", "--spec", root, option, "");
      assert.equal(status, 2);
      assert.deepStrictEqual(out, []);
      assert.equal(err[0], `error: ${option}: needs a ${what} name`);
    }
  });
});
