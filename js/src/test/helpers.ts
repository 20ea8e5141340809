/** Shared helpers of the runner's own tests. */

import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, beforeEach } from "node:test";

import { defaultSpecRoot } from "../roots.js";
import { InvalidSpec, loadSpec } from "../loading.js";

export const SPEC_ROOT = defaultSpecRoot();
export const SELFTEST = join(SPEC_ROOT, "selftest");
export const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "cli.js");

// The folders of the file's tests (first) and of each test running (then its subtests): a test's folders
// go when it ends, the others when the file's tests are done. Nothing waits for the process to exit,
// which a run that is stopped never does.
const owners: string[][] = [[]];
const remove = (folders: readonly string[]): void => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
};
beforeEach(() => {
  owners.push([]);
});
afterEach(() => {
  if (owners.length > 1) remove(owners.pop()!);
});
after(() => remove(owners[0]!.splice(0)));

/** A throwaway folder, removed when the test that made it ends (made outside a test: when the file's tests end). */
export function scratchDir(): string {
  const folder = mkdtempSync(join(tmpdir(), "checkpoint-spec-js-"));
  owners[owners.length - 1]!.push(folder);
  return folder;
}

/** A throwaway spec folder with the real schemas and fixtures, and the given case files. */
export function scratchSpec(cases: Record<string, unknown>, fixtures: Record<string, unknown> = {}): string {
  const root = scratchDir();
  cpSync(join(SPEC_ROOT, "schema"), join(root, "schema"), { recursive: true });
  cpSync(join(SPEC_ROOT, "fixtures"), join(root, "fixtures"), { recursive: true });
  mkdirSync(join(root, "cases"));
  mkdirSync(join(root, "known-divergences"));
  for (const [name, document] of Object.entries(cases)) {
    writeFileSync(join(root, "cases", name), typeof document === "string" ? document : JSON.stringify(document, null, 2));
  }
  for (const [name, document] of Object.entries(fixtures)) {
    writeFileSync(join(root, "fixtures", name), typeof document === "string" ? document : JSON.stringify(document, null, 2));
  }
  return root;
}

export const PUT_STEP = {
  op: "put",
  as: "saved",
  args: {
    config: { configurable: { thread_id: "t1", checkpoint_ns: "" } },
    checkpoint: { $fixture: "checkpoint-1" },
    metadata: {},
    new_versions: {},
  },
};

// Tests judge their cases as a user's target would by default (on the contract).
export const TEST_CITATION = {
  language: "python",
  file: "langgraph/checkpoint/base/__init__.py",
  symbol: "BaseCheckpointSaver",
  quote: "Base class for creating a graph checkpointer.",
};

/** A test's case or scenario with the level every one states (spec/README.md 1.2), unless it states one. */
export function withLevel(item: unknown): unknown {
  if (typeof item !== "object" || item === null || Array.isArray(item) || "level" in item) return item;
  return { ...item, level: "contract", contract: [TEST_CITATION] };
}

export function caseFile(cases: unknown[], operation = "put"): unknown {
  return { $schema: "../schema/case-file.schema.json", operation, description: "test cases", cases: cases.map(withLevel) };
}

/** Capture what main() prints. */
export function capture(): { out: string[]; err: string[]; output: { out(line: string): void; err(line: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (line) => out.push(line), err: (line) => err.push(line) } };
}

/** Every problem loading the spec at root reports (each "FILE#POINTER: message"), none when it loads. */
export function problems(root: string): string[] {
  try {
    loadSpec(root);
  } catch (error) {
    if (error instanceof InvalidSpec) return error.problems.map((p) => p.message);
    throw error;
  }
  return [];
}
