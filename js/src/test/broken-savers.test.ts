/**
 * Deliberately broken savers (broken-savers.ts) run through the whole spec with
 * js-memory's known-divergence list: each bug shows inside a case the list
 * already names, which a list of case ids alone would have let through, and the
 * list of fingerprints catches it.
 */

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { isOk, judge, knownPath, loadKnown, type Judged } from "../divergences.js";
import { runCase } from "../execution.js";
import { markText, type Mark } from "../fingerprints.js";
import { loadSpec } from "../loading.js";
import { failureLines, summaryCounts } from "../report.js";
import { SaverTarget, type SaverFactory } from "../targets/saver.js";
import { libraryVersions } from "../versions.js";
import * as broken from "./broken-savers.js";
import { SPEC_ROOT, capture, scratchDir } from "./helpers.js";

const spec = loadSpec(SPEC_ROOT);
const knownFile = knownPath(spec, "js-memory");
const known = loadKnown(knownFile, "js-memory", spec);
const MODULE = join(dirname(fileURLToPath(import.meta.url)), "broken-savers.js");

/** The whole spec on a saver, judged against js-memory's list (the saver is MemorySaver plus at most one bug). */
async function runWithMemoryList(factory: SaverFactory): Promise<Judged[]> {
  const target = await SaverTarget.create("js-memory", factory, libraryVersions());
  const results = [];
  for (const testCase of spec.cases) results.push(await runCase(testCase, target, spec));
  return judge(results, known);
}

/** For each bug: a case js-memory lists, and a mark the bug adds there. */
const BUGS: Record<string, { case: string; mark: Mark }> = {
  listDropsLast: { case: "list-returns-stored-checkpoint", mark: { step: 1, at: "/0", kind: "missing" } },
  listIgnoresFilter: { case: "list-filter-null-value-absent-key", mark: { step: 2, at: "/1", kind: "extra" } },
  listNoLimitYieldsNothing: { case: "list-returns-stored-checkpoint", mark: { step: 1, at: "/0", kind: "missing" } },
  listSkipsNewest: { case: "list-returns-stored-checkpoint", mark: { step: 1, at: "/0", kind: "missing" } },
  namespaceIgnored: { case: "identifiers-checkpoint-ns-proto", mark: { step: 0, at: "/configurable/checkpoint_ns", kind: "value" } },
  putConfigWithoutNamespace: { case: "put-returns-stored-config", mark: { step: 0, at: "/configurable/checkpoint_ns", kind: "missing" } },
  parentConfigWithoutNamespace: {
    case: "put-old-format-child-not-migrated",
    mark: { step: 3, at: "/parent_config/configurable/checkpoint_ns", kind: "missing" },
  },
  writesDropLast: { case: "put-writes-typed-values", mark: { step: 2, at: "/pending_writes/0", kind: "missing" } },
  writeFieldsSwapped: { case: "put-writes-typed-values", mark: { step: 2, at: "/pending_writes/0/0", kind: "value" } },
  deleteThreadReturnsRemoved: { case: "delete-thread-removes-channel-values", mark: { step: 1, at: "", kind: "type" } },
  metadataExtraKey: { case: "put-metadata-from-configurable", mark: { step: 1, at: "/metadata/saved_by", kind: "extra" } },
  versionsNotIncreasing: { case: "next-version-from-previous-version", mark: { step: 2, at: "", kind: "value" } },
};

const sameMark = (a: Mark) => (b: Mark) => a.step === b.step && a.at === b.at && a.kind === b.kind;

describe("the wrapper with no bug", () => {
  test("passes the whole spec with js-memory's list, as MemorySaver does", async () => {
    const judged = await runWithMemoryList(broken.noBug);
    const failing = judged.filter((item) => !isOk(item));
    assert.deepStrictEqual(failing.map((item) => failureLines(item).join("\n")), []);
    const listed = judged.filter((item) => known.entries.has(item.result.case.id)).length;
    assert.deepStrictEqual(summaryCounts(judged), { passed: judged.length - listed - 15, known: listed, failed: 0, stale: 0, skipped: 15, errored: 0 });
  });
});

describe("a bug inside a listed case fails the run", () => {
  test("there are at least ten of them, and every export of the module is tested", () => {
    assert.ok(Object.keys(BUGS).length >= 10);
    // Factories are the lower-case exports; DelegatingSaver is the class they build on.
    const factories = Object.entries(broken).filter(([name, value]) => typeof value === "function" && /^[a-z]/.test(name));
    assert.deepStrictEqual(
      factories.map(([name]) => name).sort(),
      [...Object.keys(BUGS), "listReversed", "noBug"].sort(),
    );
  });

  for (const [name, expected] of Object.entries(BUGS)) {
    test(`${name}: ${expected.case} ${markText(expected.mark)}`, async () => {
      const factory = (broken as unknown as Record<string, SaverFactory>)[name]!;
      const judged = await runWithMemoryList(factory);
      const failing = judged.filter((item) => !isOk(item));
      assert.ok(failing.length > 0, "the run fails");
      // The case is one the list already names: a list of ids alone would have counted it as a known divergence.
      assert.ok(known.entries.has(expected.case), `${expected.case} is listed for js-memory`);
      const item = failing.find((found) => found.result.case.id === expected.case);
      assert.ok(item !== undefined, `${expected.case} fails: ${failing.map((found) => found.result.case.id).join(", ")}`);
      assert.equal(item.result.status, "failed");
      assert.equal(item.verdict, "failed");
      assert.ok(item.newMarks.some(sameMark(expected.mark)), JSON.stringify(item.newMarks));
      const head = failureLines(item)[0]!;
      assert.ok(head.startsWith(`FAIL ${expected.case} (`), head);
      assert.ok(head.includes("listed as a known divergence, but it fails where the list does not say: "), head);
      assert.ok(head.includes(markText(expected.mark)), head);
    });
  }

  test("through the command line: a plugged-in broken saver, judged by js-memory's list, exits 1 naming the new mark", async () => {
    // The list names its target; a copy names the plugged-in one, with js-memory's entries unchanged.
    const target = `${MODULE}:metadataExtraKey`;
    const document = JSON.parse(readFileSync(knownFile, "utf-8")) as { target: string };
    const copy = join(scratchDir(), "broken.json");
    writeFileSync(copy, JSON.stringify({ ...document, target }));
    const { out, output } = capture();
    assert.equal(await main(["run", "--target", target, "--level", "all", "--known", copy, "--case", "put-metadata-from-configurable"], output), 1);
    assert.ok(
      out.some((line) =>
        line.startsWith("FAIL put-metadata-from-configurable (") &&
        line.endsWith("listed as a known divergence, but it fails where the list does not say: step 1 at /metadata/saved_by: extra"),
      ),
      out.join("\n"),
    );
    assert.equal(out.at(-1), "0 passed, 1 failed, 0 skipped");
  });
});

describe("a bug no listed case sees", () => {
  test("listReversed fails only unlisted cases, which the run catches as before", async () => {
    const judged = await runWithMemoryList(broken.listReversed);
    const failing = judged.filter((item) => !isOk(item));
    assert.ok(failing.some((item) => item.result.case.id === "list-thread-filter"));
    for (const item of failing) {
      // Scenarios read their checkpoints through list, so the bug also shows inside listed scenarios.
      if (item.result.case.graph === null) assert.equal(known.entries.has(item.result.case.id), false, item.result.case.id);
      assert.equal(item.verdict, "failed");
    }
  });
});
