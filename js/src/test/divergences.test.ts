/** The strict known-divergence list and the run's exit status (spec/README.md section 6). */

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { PLACEHOLDER } from "../divergences.js";
import { PUT_STEP, capture, caseFile, scratchSpec } from "./helpers.js";

const passing = { id: "passes", title: "put then get", steps: [PUT_STEP, { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: { $type: "object" } } }] };
const failing = { id: "fails", title: "expects null", steps: [PUT_STEP, { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: null } }] };
const unsupported = { id: "unsupported", title: "needs prune", requires: ["prune"], steps: [{ op: "prune", args: { thread_ids: ["t1"] } }] };

function setup(divergences: Record<string, string> | null): { root: string; known: string } {
  const root = scratchSpec({ "a.json": caseFile([passing, failing, unsupported]) });
  const known = join(root, "known-divergences", "js-memory.json");
  if (divergences !== null) {
    writeFileSync(known, JSON.stringify({ $schema: "../schema/known-divergences.schema.json", target: "js-memory", divergences }));
  }
  return { root, known };
}

async function run(root: string, ...extra: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const { out, err, output } = capture();
  const status = await main(["run", "--target", "js-memory", "--spec", root, ...extra], output);
  return { status, out, err };
}

describe("known divergences", () => {
  test("an unlisted failure fails the run", async () => {
    const { root } = setup(null);
    const { status, out } = await run(root);
    assert.equal(status, 1);
    assert.ok(out.some((line) => line.startsWith(`FAIL fails (${join(root, "cases", "a.json")}#/cases/1/steps/1): step 1 get_tuple: result at /`)));
    assert.ok(out.some((line) => line === "  expected: null"));
    assert.ok(out.some((line) => line.startsWith('  observed: {"result":{"config":')));
    assert.deepStrictEqual(out.slice(-2), [
      "1 matched the spec, 0 known divergences, 1 unexpected failures, 0 stale entries, 1 unsupported",
      "1 passed, 1 failed, 1 skipped",
    ]);
  });

  test("a listed failure counts as passed", async () => {
    const { root } = setup({ fails: "The saver returns the tuple it stored." });
    const { status, out } = await run(root);
    assert.equal(status, 0);
    assert.deepStrictEqual(out.slice(-2), [
      "1 matched the spec, 1 known divergences, 0 unexpected failures, 0 stale entries, 1 unsupported",
      "2 passed, 0 failed, 1 skipped",
    ]);
  });

  test("a listed case that passed or was skipped is stale", async () => {
    const { root } = setup({ fails: "Reason.", passes: "Reason.", unsupported: "Reason." });
    const { status, out } = await run(root);
    assert.equal(status, 1);
    assert.equal(out.filter((line) => line.startsWith("STALE ")).length, 2);
    assert.equal(out.at(-1), "1 passed, 2 failed, 0 skipped");
  });

  test("an entry naming no case, or without a reason, is invalid input", async () => {
    for (const divergences of [{ fails: "Reason.", ghost: "Reason." }, { fails: "TODO: later" }, { fails: "  " }] as Record<string, string>[]) {
      const { root, known } = setup(divergences);
      const { status, err } = await run(root);
      assert.equal(status, 2);
      assert.match(err[0]!, new RegExp(`^error: ${known}#/divergences/(ghost|fails): `));
    }
  });

  test("a run restricted by --case checks only the entries of the cases it ran", async () => {
    const { root } = setup({ fails: "Reason.", passes: "Reason." });
    assert.equal((await run(root, "--case", "fail*")).status, 0);
    assert.equal((await run(root, "--case", "pass*")).status, 1);
  });

  test("--update-known rewrites the list from what was observed", async () => {
    const { root, known } = setup({ passes: "Stale reason." });
    const first = await run(root, "--update-known");
    assert.equal(first.status, 1, "a new entry needs a reason");
    const written = JSON.parse(readFileSync(known, "utf-8")) as { divergences: Record<string, string> };
    assert.deepStrictEqual(written.divergences, { fails: PLACEHOLDER });
    assert.equal((await run(root)).status, 2);
    writeFileSync(known, readFileSync(known, "utf-8").replace(PLACEHOLDER, "The saver returns the tuple it stored."));
    assert.equal((await run(root, "--update-known")).status, 0);
    assert.equal((await run(root)).status, 0);
  });

  test("--update-known drops entries whose case no longer exists", async () => {
    const { root, known } = setup({ fails: "The saver returns the tuple it stored.", ghost: "Gone." });
    assert.equal((await run(root, "--update-known")).status, 0);
    const written = JSON.parse(readFileSync(known, "utf-8")) as { divergences: Record<string, string> };
    assert.deepStrictEqual(written.divergences, { fails: "The saver returns the tuple it stored." });
  });

  test("--known and --json", async () => {
    const { root } = setup(null);
    const other = join(root, "elsewhere.json");
    writeFileSync(other, JSON.stringify({ $schema: "../schema/known-divergences.schema.json", target: "js-memory", divergences: { fails: "Reason." } }));
    const report = join(root, "out", "report.json");
    const { status } = await run(root, "--known", other, "--json", report);
    assert.equal(status, 0);
    const document = JSON.parse(readFileSync(report, "utf-8")) as { summary: Record<string, number>; tool: { language: string } };
    assert.deepStrictEqual(document.summary, { passed: 1, known: 1, failed: 0, stale: 0, skipped: 1 });
    assert.equal(document.tool.language, "typescript");
  });
});
