/** The strict known-divergence list: verdicts by fingerprint, rewriting and loading (spec/README.md 6.2). */

import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { PLACEHOLDER, RECHECK, updatedEntry, verdictFor, type KnownEntry } from "../divergences.js";
import type { Mark } from "../fingerprints.js";
import { PUT_STEP, capture, caseFile, scratchSpec } from "./helpers.js";

const PLUGIN = join(dirname(fileURLToPath(import.meta.url)), "plugin-saver.js");

const passing = { id: "passes", title: "put then get", steps: [PUT_STEP, { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: { $type: "object" } } }] };
const failing = { id: "fails", title: "expects null", steps: [PUT_STEP, { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: null } }] };
// Fails in two places of step 1: metadata lacks "a", and the first checkpoint has no parent.
const twice = {
  id: "twice",
  title: "expects a metadata key and a parent",
  steps: [PUT_STEP, { op: "get_tuple", args: { config: { $ref: "saved" } }, expect: { result: { $partial: { metadata: { a: 1 }, parent_config: { x: 1 } } } } }],
};
const unsupported = { id: "unsupported", title: "needs prune", requires: ["prune"], steps: [{ op: "prune", args: { thread_ids: ["t1"] } }] };

const FAILS: Mark[] = [{ step: 1, at: "", kind: "type" }];
const METADATA: Mark = { step: 1, at: "/metadata/a", kind: "missing" };
const PARENT: Mark = { step: 1, at: "/parent_config", kind: "type" };

type Entries = Record<string, { reason: string; fails: Mark[] }>;

function setup(divergences: Entries | null): { root: string; known: string } {
  const root = scratchSpec({ "a.json": caseFile([passing, failing, twice, unsupported]) });
  const known = join(root, "known-divergences", "js-memory.json");
  if (divergences !== null) writeList(known, divergences);
  return { root, known };
}

function writeList(path: string, divergences: Entries): void {
  writeFileSync(path, JSON.stringify({ $schema: "../schema/known-divergences.schema.json", target: "js-memory", divergences }));
}

function readList(path: string): Entries {
  return (JSON.parse(readFileSync(path, "utf-8")) as { divergences: Entries }).divergences;
}

async function run(root: string, ...extra: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const { out, err, output } = capture();
  const status = await main(["run", "--target", "js-memory", "--spec", root, ...extra], output);
  return { status, out, err };
}

const REASON = "The saver returns the tuple it stored.";
const BOTH: Entries = { fails: { reason: REASON, fails: FAILS }, twice: { reason: REASON, fails: [METADATA, PARENT] } };

describe("verdicts by fingerprint", () => {
  test("an unlisted failure fails the run", async () => {
    const { root } = setup(null);
    const { status, out } = await run(root);
    assert.equal(status, 1);
    assert.ok(out.some((line) => line.startsWith(`FAIL fails (${join(root, "cases", "a.json")}#/cases/1/steps/1): step 1 get_tuple: result at /`)));
    assert.ok(out.some((line) => line === "  expected: null"));
    assert.ok(out.some((line) => line.startsWith('  observed: {"result":{"config":')));
    assert.ok(out.some((line) => line.startsWith("FAIL twice ") && line.endsWith("result at /metadata/a: missing (and 1 more places)")), out.join("\n"));
    assert.deepStrictEqual(out.slice(-2), [
      "1 matched the spec, 0 known divergences, 2 unexpected failures, 0 stale entries, 1 unsupported",
      "1 passed, 2 failed, 1 skipped",
    ]);
  });

  test("a listed case failing exactly where listed counts as passed", async () => {
    const { root } = setup(BOTH);
    const { status, out } = await run(root);
    assert.equal(status, 0, out.join("\n"));
    assert.deepStrictEqual(out.slice(-2), [
      "1 matched the spec, 2 known divergences, 0 unexpected failures, 0 stale entries, 1 unsupported",
      "3 passed, 0 failed, 1 skipped",
    ]);
  });

  test("a listed case failing in a place not listed fails, naming the new and the gone marks", async () => {
    const { root } = setup({ ...BOTH, twice: { reason: REASON, fails: [METADATA, { step: 1, at: "/checkpoint", kind: "missing" }] } });
    const { status, out } = await run(root);
    assert.equal(status, 1);
    assert.ok(
      out.includes(
        `FAIL twice (${join(root, "cases", "a.json")}#/cases/2/steps/1): listed as a known divergence, but it ` +
          "fails where the list does not say: step 1 at /parent_config: type; " +
          "no longer fails where the list says: step 1 at /checkpoint: missing",
      ),
      out.join("\n"),
    );
    assert.equal(out.at(-1), "2 passed, 1 failed, 1 skipped");
  });

  test("a listed case failing in fewer places than listed is stale", async () => {
    const { root } = setup({ ...BOTH, fails: { reason: REASON, fails: [...FAILS, { step: 0, at: "", kind: "raised:other" }] } });
    const { status, out } = await run(root);
    assert.equal(status, 1);
    assert.ok(
      out.includes(
        `STALE fails (${join(root, "cases", "a.json")}#/cases/1): listed as a known divergence but fails in fewer places than listed ` +
          "(no longer fails where the list says: step 0 at /: raised:other); run with --update-known to rewrite the entry",
      ),
      out.join("\n"),
    );
    assert.equal(out.at(-1), "2 passed, 1 failed, 1 skipped");
  });

  test("a listed case that passed or was skipped is stale", async () => {
    const { root } = setup({ ...BOTH, passes: { reason: REASON, fails: FAILS }, unsupported: { reason: REASON, fails: FAILS } });
    const { status, out } = await run(root);
    assert.equal(status, 1);
    assert.equal(out.filter((line) => line.startsWith("STALE ")).length, 2);
    assert.ok(out.some((line) => line.startsWith("STALE passes ") && line.includes("but passed;")));
    assert.ok(out.some((line) => line.startsWith("STALE unsupported ") && line.includes("but was skipped (target js-memory does not support prune)")));
    assert.equal(out.at(-1), "2 passed, 2 failed, 0 skipped");
  });

  test("verdictFor gives the marks that are new and gone in written order", () => {
    const entry: KnownEntry = { reason: REASON, fails: [PARENT, METADATA] };
    assert.deepStrictEqual(verdictFor("failed", [METADATA, PARENT], entry), ["known", [], []]);
    assert.deepStrictEqual(verdictFor("failed", [METADATA], entry), ["stale", [], [PARENT]]);
    assert.deepStrictEqual(verdictFor("failed", [...FAILS, PARENT], entry), ["failed", FAILS, [METADATA]]);
    assert.deepStrictEqual(verdictFor("passed", [], entry), ["stale", [], [METADATA, PARENT]]);
    assert.deepStrictEqual(verdictFor("failed", FAILS, null), ["failed", [], []]);
    assert.deepStrictEqual(verdictFor("skipped", [], null), ["skipped", [], []]);
  });
});

describe("loading", () => {
  test("an entry naming no case, without a reason, or with a mark twice is invalid input", async () => {
    for (const [divergences, pointer, message] of [
      [{ ...BOTH, ghost: { reason: REASON, fails: FAILS } }, "/divergences/ghost", "names no case in the spec [unknown-case]"],
      [{ ...BOTH, fails: { reason: "TODO: later", fails: FAILS } }, "/divergences/fails/reason", "needs a one-sentence reason, not a TODO placeholder [reason-placeholder]"],
      [{ ...BOTH, fails: { reason: "  todo later", fails: FAILS } }, "/divergences/fails/reason", "needs a one-sentence reason, not a TODO placeholder [reason-placeholder]"],
      [{ ...BOTH, fails: { reason: "  ", fails: FAILS } }, "/divergences/fails/reason", "needs a one-sentence reason, not an empty one [reason-placeholder]"],
      [{ ...BOTH, twice: { reason: REASON, fails: [METADATA, PARENT, { ...METADATA }] } }, "/divergences/twice/fails", "lists a mark twice [duplicate-mark]"],
    ] as [Entries, string, string][]) {
      const { root, known } = setup(divergences);
      const { status, err } = await run(root);
      assert.equal(status, 2);
      assert.deepStrictEqual(err, [`error: ${known}#${pointer}: ${message}`]);
      // The lint checks every list the same way.
      const linted = capture();
      assert.equal(await main(["lint", "--spec", root], linted.output), 2);
      assert.deepStrictEqual(linted.err, [`error: ${known}#${pointer}: ${message}`]);
    }
  });

  test("an entry in the old format (a bare reason) fails the schema", async () => {
    const { root, known } = setup(null);
    writeFileSync(known, JSON.stringify({ $schema: "../schema/known-divergences.schema.json", target: "js-memory", divergences: { fails: REASON } }));
    const { status, err } = await run(root);
    assert.equal(status, 2);
    assert.match(err[0]!, new RegExp(`^error: ${known}#/divergences/fails: `));
  });
});

describe("--update-known", () => {
  test("updatedEntry keeps a reason that still applies, asks to recheck one that may not", () => {
    const old: KnownEntry = { reason: REASON, fails: [METADATA, PARENT] };
    assert.deepStrictEqual(updatedEntry(old, [METADATA, PARENT]), old);
    assert.deepStrictEqual(updatedEntry(old, [PARENT]), { reason: REASON, fails: [PARENT] });
    assert.deepStrictEqual(updatedEntry(old, [PARENT, ...FAILS]), { reason: RECHECK + REASON, fails: [...FAILS, PARENT] });
    assert.deepStrictEqual(updatedEntry(null, FAILS), { reason: PLACEHOLDER, fails: FAILS });
    // A reason that already needs one is not wrapped again.
    assert.deepStrictEqual(updatedEntry({ reason: PLACEHOLDER, fails: FAILS }, [PARENT]), { reason: PLACEHOLDER, fails: [PARENT] });
  });

  test("rewrites the list: fingerprints observed, reasons kept, rechecked or placeholders, stale and ghost entries dropped", async () => {
    const { root, known } = setup({
      passes: { reason: "Stale reason.", fails: FAILS },
      twice: { reason: REASON, fails: [METADATA, PARENT, { step: 0, at: "", kind: "raised:other" }] },
      fails: { reason: REASON, fails: [{ step: 1, at: "/config", kind: "missing" }] },
      ghost: { reason: "Gone.", fails: FAILS },
    });
    const first = await run(root, "--update-known");
    assert.equal(first.status, 1, "an entry to recheck needs a reason");
    assert.equal(first.out.at(-1), `rewrote ${known}; 1 entries need a reason`);
    assert.deepStrictEqual(readList(known), {
      fails: { reason: RECHECK + REASON, fails: FAILS },
      twice: { reason: REASON, fails: [METADATA, PARENT] },
    });
    assert.deepStrictEqual(Object.keys(readList(known)), ["fails", "twice"]);
    assert.equal((await run(root)).status, 2, "a TODO reason is rejected");
    writeFileSync(known, readFileSync(known, "utf-8").replace(RECHECK, ""));
    assert.equal((await run(root, "--update-known")).status, 0);
    assert.equal((await run(root)).status, 0);
  });

  test("a new failure gets the placeholder", async () => {
    const { root, known } = setup(null);
    assert.equal((await run(root, "--update-known")).status, 1);
    assert.deepStrictEqual(readList(known), {
      fails: { reason: PLACEHOLDER, fails: FAILS },
      twice: { reason: PLACEHOLDER, fails: [METADATA, PARENT] },
    });
    const text = readFileSync(known, "utf-8");
    assert.ok(text.endsWith("}\n") && text.includes('\n  "target": "js-memory",\n'), "the project's JSON format");
  });
});

describe("--known and --json", () => {
  test("the report gives each case's fingerprint and what changed against the list", async () => {
    const { root } = setup(null);
    const other = join(root, "elsewhere.json");
    writeList(other, { ...BOTH, twice: { reason: REASON, fails: [METADATA] } });
    const report = join(root, "out", "report.json");
    const { status } = await run(root, "--known", other, "--json", report);
    assert.equal(status, 1);
    const document = JSON.parse(readFileSync(report, "utf-8")) as {
      summary: Record<string, number>;
      tool: { language: string };
      cases: { id: string; verdict: string; reason: string | null; fingerprint: Mark[] | null; changes: unknown }[];
    };
    assert.deepStrictEqual(document.summary, { passed: 1, known: 1, failed: 1, stale: 0, skipped: 1, errored: 0 });
    assert.equal(document.tool.language, "typescript");
    const byId = Object.fromEntries(document.cases.map((item) => [item.id, item]));
    assert.deepStrictEqual(byId.fails, { ...byId.fails, verdict: "known", reason: REASON, fingerprint: FAILS, changes: null });
    assert.deepStrictEqual(byId.twice, { ...byId.twice, verdict: "failed", reason: REASON, fingerprint: [METADATA, PARENT], changes: { new: [PARENT], gone: [] } });
    assert.deepStrictEqual(byId.passes, { ...byId.passes, verdict: "passed", reason: null, fingerprint: null, changes: null });
    assert.equal(byId.unsupported?.reason, "target js-memory does not support prune");
  });

  test("--known FILE that is missing is created, with its $schema and the target; nothing is written into the spec folder", async () => {
    const { root, known } = setup(null);
    // In a folder that does not exist yet either (the scratch folder is removed after the tests).
    const mine = join(root, "mine", "list.json");
    const first = await run(root, "--known", mine, "--update-known");
    assert.equal(first.status, 1, first.err.join("\n"));
    assert.equal(first.out.at(-1), `rewrote ${mine}; 2 entries need a reason`);
    const document = JSON.parse(readFileSync(mine, "utf-8")) as Record<string, unknown>;
    assert.equal(document.$schema, "../schema/known-divergences.schema.json");
    assert.equal(document.target, "js-memory");
    assert.deepStrictEqual(Object.keys(document.divergences as object), ["fails", "twice"]);
    assert.equal(existsSync(known), false);
    assert.equal((await run(root, "--known", join(root, "absent.json"))).status, 2, "without --update-known a missing file is bad input");
  });

  test("a user target's --update-known without --known is refused before anything runs: one line, exit 2", async () => {
    const { root } = setup(null);
    const target = `${PLUGIN}:memory`;
    const { out, err, output } = capture();
    assert.equal(await main(["run", "--target", target, "--spec", root, "--update-known"], output), 2);
    assert.deepStrictEqual(out, []);
    assert.deepStrictEqual(err, [
      `error: --update-known: ${JSON.stringify(target)} is not a built-in target, so its list is not written into the spec folder; give --known FILE`,
    ]);
    assert.deepStrictEqual(readdirSync(join(root, "known-divergences")), []);
  });
});
