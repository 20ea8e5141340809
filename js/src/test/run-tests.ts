/**
 * `npm test`: node's test runner on every dist/test/*.test.js, with a temporary folder of its
 * own (TMPDIR, which os.tmpdir() and every process the tests start read); the run fails when
 * the tests leave anything in it.
 */

import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((name) => name.endsWith(".test.js"))
  .sort()
  .map((name) => join(here, name));
const temporary = mkdtempSync(join(tmpdir(), "checkpoint-spec-js-tests-"));
// A throwaway PostgreSQL server runs as an unprivileged user and keeps its data under TMPDIR.
chmodSync(temporary, 0o755);
let status: number;
try {
  const run = spawnSync(process.execPath, ["--test", ...process.argv.slice(2), ...files], {
    stdio: "inherit",
    env: { ...process.env, TMPDIR: temporary },
  });
  status = run.status ?? 1;
  const left = readdirSync(temporary).sort();
  if (left.length > 0) {
    process.stderr.write(`not ok - the tests left ${left.length} entries in the temporary folder: ${left.join(", ")}\n`);
    status = 1;
  }
} finally {
  rmSync(temporary, { recursive: true, force: true });
}
process.exitCode = status;
