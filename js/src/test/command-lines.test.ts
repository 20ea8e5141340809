/** spec/selftest/command-lines.json on this runner's command line (spec/README.md 7.2). */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";

import { main } from "../cli.js";
import { readJson } from "../loading.js";
import { CLI, SELFTEST, capture, scratchDir } from "./helpers.js";

interface CommandLineVector {
  description: string;
  args: string[];
  exit: 0 | 1 | 2;
  stdout?: string;
  stderr?: string;
  languages?: ("python" | "typescript")[];
  stdout_closed?: true;
}

const vectors = (readJson(join(SELFTEST, "command-lines.json")) as { vectors: CommandLineVector[] }).vectors.filter(
  (vector) => (vector.languages ?? ["typescript"]).includes("typescript"),
);
const scratch = mkdtempSync(join(tmpdir(), "command-lines-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const missing = join(scratch, "missing");
const substituted = (text: string): string =>
  text.replaceAll("$tool", "checkpoint-spec-js").replaceAll("$memory", "js-memory").replaceAll("$missing", missing);

describe("command-lines.json", () => {
  for (const vector of vectors.filter((found) => found.stdout_closed === undefined)) {
    test(vector.description, async () => {
      const { out, err, output } = capture();
      const status = await main(vector.args.map(substituted), output);
      assert.equal(status, vector.exit, err.join("\n"));
      for (const [stream, lines] of [["stdout", out], ["stderr", err]] as const) {
        const expected = vector[stream];
        if (expected === undefined) continue;
        const first = (lines[0] ?? "").split("\n")[0]!;
        assert.ok(first.startsWith(substituted(expected)), `${stream}: ${first}`);
      }
      if (vector.exit === 2) {
        assert.ok(err[0]?.startsWith("error: "), err.join("\n"));
        assert.deepStrictEqual(out, []);
      }
    });
  }
});

describe("command-lines.json, with standard output closed", () => {
  for (const vector of vectors.filter((found) => found.stdout_closed === true)) {
    test(vector.description, async () => {
      const temporary = scratchDir(); // where a details file would go
      const child = spawn(process.execPath, [CLI, ...vector.args.map(substituted)], {
        env: { ...process.env, TMPDIR: temporary },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.destroy(); // the reader is gone before anything is written
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      assert.equal(status, vector.exit, err);
      assert.equal(err, "");
      assert.deepEqual(readdirSync(temporary), []);
    });
  }
});
