/** Levels (spec/README.md 1.2 and 6.4): every JS citation is in the installed file, and what a run judges. */

import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import { main } from "../cli.js";
import { loadSpec } from "../loading.js";
import { PUT_STEP, SPEC_ROOT, capture, caseFile, scratchDir, scratchSpec } from "./helpers.js";

const JS_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PLUGIN = join(dirname(fileURLToPath(import.meta.url)), "plugin-saver.js");

// Each line's leading whitespace and comment marker is dropped, then every run of whitespace is one space (1.2).
const MARKER = /^\s*(?:"""|\*+\/?|#+|\/\/+)?/;

export function foundText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(MARKER, ""))
    .join(" ")
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .join(" ");
}

interface Citation {
  language: string;
  file: string;
  symbol: string;
  quote: string;
}

function jsCitations(): [string, Citation][] {
  const found: [string, Citation][] = [];
  for (const folder of ["cases", "scenarios"]) {
    for (const name of readdirSync(join(SPEC_ROOT, folder)).filter((entry) => entry.endsWith(".json")).sort()) {
      const document = JSON.parse(readFileSync(join(SPEC_ROOT, folder, name), "utf-8")) as Record<string, { id: string; contract?: Citation[] }[] | undefined>;
      for (const item of document.cases ?? document.scenarios ?? []) {
        for (const citation of item.contract ?? []) if (citation.language === "js") found.push([`${item.id}: ${citation.symbol}`, citation]);
      }
    }
  }
  return found;
}

const texts = new Map<string, string>();
function installed(file: string): string {
  let text = texts.get(file);
  if (text === undefined) {
    text = foundText(readFileSync(join(JS_ROOT, "node_modules", file), "utf-8"));
    texts.set(file, text);
  }
  return text;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the spec's JS citations (1.2)", () => {
  const citations = jsCitations();
  test("the spec cites the JS base documentation", () => assert.ok(citations.length > 20, String(citations.length)));
  test("each quote and symbol is in its file in node_modules", () => {
    const missing: string[] = [];
    for (const [name, citation] of citations) {
      const text = installed(citation.file);
      if (!text.includes(citation.quote.split(/\s+/).filter(Boolean).join(" "))) missing.push(`${name}: the quote is not in ${citation.file}`);
      for (const part of citation.symbol.split(/[.()]/)) {
        if (part !== "" && !new RegExp(`\\b${escape(part)}\\b`).test(text)) missing.push(`${name}: ${part} is not in ${citation.file}`);
      }
    }
    assert.deepStrictEqual(missing, []);
  });
  test("markers are dropped and lines joined", () => {
    assert.equal(foundText('    """Fetch a\n    * checkpoint   tuple.\n  # using // the\n // config."""'), 'Fetch a checkpoint tuple. using // the config."""');
  });
});

const REFERENCE_FAILS = {
  id: "reference-fails",
  title: "a reference case js-memory fails",
  level: "reference",
  reference: "A test of the runner.",
  steps: [{ ...PUT_STEP, expect: { result: null } }],
};
const CONTRACT_PASSES = { id: "contract-passes", title: "t", steps: [{ ...PUT_STEP, expect: { result: { $type: "object" } } }] };
const USER = `${PLUGIN}:memory`;

describe("levels judged (6.4)", () => {
  const root = scratchSpec({ "a.json": caseFile([CONTRACT_PASSES, REFERENCE_FAILS]) });

  test("a user's target is judged on the contract, the reference shown beside", async () => {
    const { out, output } = capture();
    assert.equal(await main(["run", "--target", USER, "--spec", root], output), 0);
    assert.ok(out[0]!.endsWith("| level contract"), out[0]);
    assert.equal(out[1], "not judged (--level contract):");
    assert.ok(out[2]!.startsWith("FAIL reference-fails ("), out[2]);
    assert.deepStrictEqual(out.slice(-4), [
      "contract: 1 passed, 0 failed, 0 skipped",
      "reference: 0 passed, 1 failed, 0 skipped (not judged)",
      "1 matched the spec, 0 known divergences, 0 unexpected failures, 0 stale entries, 0 unsupported",
      "1 passed, 0 failed, 0 skipped",
    ]);
  });

  for (const level of ["all", "reference"]) {
    test(`--level ${level} judges the reference case`, async () => {
      const { out, output } = capture();
      assert.equal(await main(["run", "--target", USER, "--spec", root, "--level", level], output), 1);
      assert.ok(out[1]!.startsWith("FAIL reference-fails ("), out[1]);
    });
  }

  test("a built-in target is judged on all levels", async () => {
    const { out, output } = capture();
    assert.equal(await main(["run", "--target", "js-memory", "--spec", root], output), 1);
    assert.ok(out[0]!.endsWith("| level all"), out[0]);
    assert.equal(out.at(-1), "1 passed, 1 failed, 0 skipped");
  });

  test("the JSON report gives each level and what was judged", async () => {
    const report = join(scratchDir(), "report.json");
    assert.equal(await main(["run", "--target", USER, "--spec", root, "--json", report], capture().output), 0);
    const document = JSON.parse(readFileSync(report, "utf-8")) as {
      level: string;
      summary: Record<string, number>;
      levels: Record<string, Record<string, number>>;
      cases: { id: string; level: string; judged: boolean }[];
    };
    assert.equal(document.level, "contract");
    assert.equal(document.summary.passed, 1);
    assert.equal(document.summary.failed, 0);
    assert.equal(document.levels.reference!.failed, 1);
    assert.deepStrictEqual(
      document.cases.map((item) => [item.id, item.level, item.judged]),
      [
        ["contract-passes", "contract", true],
        ["reference-fails", "reference", false],
      ],
    );
  });

  test("a bad level is one line before anything runs", async () => {
    const { out, err, output } = capture();
    assert.equal(await main(["run", "--target", USER, "--spec", root, "--level", "Contract"], output), 2);
    assert.deepStrictEqual(out, []);
    assert.deepStrictEqual(err, ['error: --level: must be contract, reference or all, not "Contract"']);
  });

  test("a case without a level is a schema error", async () => {
    const bare = scratchSpec({});
    writeFileSync(join(bare, "cases", "a.json"), JSON.stringify({ $schema: "../schema/case-file.schema.json", operation: "put", description: "d", cases: [CONTRACT_PASSES] }));
    const { err, output } = capture();
    assert.equal(await main(["lint", "--spec", bare], output), 2);
    assert.deepStrictEqual(err, [`error: ${join(bare, "cases", "a.json")}#/cases/0: must have required property 'level' [schema]`]);
  });
});

describe("each loaded case has its file's level", () => {
  test("cases and scenarios alike", () => {
    const spec = loadSpec(SPEC_ROOT);
    const given = new Map<string, string>();
    for (const folder of ["cases", "scenarios"]) {
      for (const name of readdirSync(join(SPEC_ROOT, folder)).filter((entry) => entry.endsWith(".json"))) {
        const document = JSON.parse(readFileSync(join(SPEC_ROOT, folder, name), "utf-8")) as Record<string, { id: string; level: string }[] | undefined>;
        for (const item of document.cases ?? document.scenarios ?? []) given.set(item.id, item.level);
      }
    }
    assert.equal(spec.cases.length, given.size);
    for (const item of spec.cases) assert.equal(item.level, given.get(item.id), item.id);
    assert.ok(spec.cases.some((item) => item.graph !== null && item.level === "reference"));
  });
});
