/** The --json file is checked before any case runs: writable, made without hanging, never a device. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { main } from "../cli.js";
import { writeTextAtomically } from "../files.js";
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

const SOURCES = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");
// Ways to write or replace a file other than files.ts's: node:fs's writers, streams, renames and copies.
const OTHER_WRITERS = /\b(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|renameSync|rename|copyFileSync|copyFile|cpSync|openSync|writeSync)\(/;

function otherWriters(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        // The tests make their own scratch files; the rule is the runner's.
        if (path !== join(root, "test")) walk(path);
      } else if (name.endsWith(".ts") && path !== join(root, "files.ts")) {
        readFileSync(path, "utf-8")
          .split("\n")
          .forEach((line, index) => {
            if (OTHER_WRITERS.test(line)) found.push(`${relative(root, path)}:${index + 1}: ${line.trim()}`);
          });
      }
    }
  };
  walk(root);
  return found;
}

describe("files.ts is the one writer", () => {
  test("no other module of js/src writes a file", () => {
    assert.deepStrictEqual(otherWriters(SOURCES), []);
  });

  test("the check finds each way of writing", () => {
    const folder = scratchDir();
    const lines = ['writeFileSync(path, "x");', "await writeFile(path, text);", "appendFileSync(path, text);", "createWriteStream(path);", "renameSync(a, b);", "copyFileSync(a, b);", 'openSync(path, "w");'];
    writeFileSync(join(folder, "writer.ts"), [...lines, "readFileSync(path);", 'process.stdout.write("x");'].join("\n"));
    assert.deepStrictEqual(
      otherWriters(folder).map((found) => found.split(": ").slice(1).join(": ")),
      lines,
    );
  });

  test("a text file is written under a temporary name beside it, then renamed: nothing else is left", () => {
    const folder = scratchDir();
    const path = join(folder, "a", "details.txt");
    writeTextAtomically(path, "first\n");
    writeTextAtomically(path, "second\n");
    assert.equal(readFileSync(path, "utf-8"), "second\n");
    assert.deepStrictEqual(readdirSync(join(folder, "a")), ["details.txt"]);
  });

  test("a write that fails leaves no temporary file behind", () => {
    const folder = scratchDir();
    mkdirSync(join(folder, "taken"));
    // The rename onto a folder fails after the temporary file was written.
    assert.throws(() => writeTextAtomically(join(folder, "taken"), "x"));
    assert.deepStrictEqual(readdirSync(folder), ["taken"]);
  });
});
