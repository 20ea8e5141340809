/**
 * The spec inside the test runner a saver author already uses: one test per case.
 *
 *   import { test } from "node:test";
 *   import { registerSpecTests } from "checkpoint-spec-js/testing";
 *   await registerSpecTests({ name: "my-saver", factory: () => new MySaver(), test });
 *
 * `test` is node:test's, or vitest's (any `test(name, { skip }, fn)` that fails the test when fn throws).
 */

import { isOk, judge, loadKnown, type Judged, type KnownDivergences } from "./divergences.js";
import { runCase } from "./execution.js";
import { isJudged, parseLevel, type Judging } from "./levels.js";
import { loadSpec, type Case, type Spec } from "./loading.js";
import { failureLines } from "./report.js";
import { defaultSpecRoot } from "./roots.js";
import { selectCases } from "./selection.js";
import type { Target } from "./targets/base.js";
import { checkLibraries } from "./targets/index.js";
import { SaverTarget, type SaverFactory } from "./targets/saver.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./timeouts.js";
import { libraryVersions } from "./versions.js";

/** How a test runner registers one test; node:test's `test` and vitest's `test` both fit. */
export type RegisterTest = (name: string, options: { skip?: string | boolean }, fn: () => Promise<void>) => unknown;

export interface SpecTestOptions {
  /** Returns a fresh saver per case: the saver, `{ saver, close }`, or either with `Symbol.asyncDispose`. */
  readonly factory: SaverFactory;
  /** node:test's or vitest's `test`. */
  readonly test: RegisterTest;
  /** The target's name in messages and in a known-divergence file's `target` (default "saver"). */
  readonly name?: string;
  /** A spec folder of your own (default: the spec bundled with this package). */
  readonly spec?: string;
  /** Case id globs, as `--case` (default: every case). */
  readonly cases?: readonly string[];
  /** A known-divergence file (spec/README.md 6.2): a listed case passes while it fails as listed. */
  readonly known?: string;
  /** The longest one step may take, in seconds (default 5). */
  readonly timeout?: number;
  /**
   * The level judged (spec/README.md 6.4); a case of another level is not registered. Default
   * "contract": the factory is a user's target.
   */
  readonly level?: Judging;
}

/** A case's verdict on a target, and the report lines of a case that is not ok (empty when it is). */
export interface CaseVerdict {
  readonly judged: Judged;
  readonly ok: boolean;
  readonly problems: readonly string[];
}

export { defaultSpecRoot };

/** The spec at `root`, or the one bundled with this package. */
export function loadBundledSpec(root?: string): Spec {
  return loadSpec(root ?? defaultSpecRoot());
}

/**
 * A target for a saver factory; the factory is called once, to learn the saver's capabilities.
 * When that call fails this rejects with its error: registering tests is set-up, refused at once
 * (the command line errors every case instead, spec/README.md section 6).
 */
export async function saverTarget(factory: SaverFactory, name = "saver", timeout = DEFAULT_TIMEOUT_SECONDS): Promise<Target> {
  checkLibraries();
  const target = await SaverTarget.create(name, factory, libraryVersions(), timeout);
  if (target.failure !== null) throw target.failure.error;
  return target;
}

/** Run one case on a target and judge it against the known divergences, if any. */
export async function checkCase(
  testCase: Case,
  target: Target,
  spec: Spec,
  known: KnownDivergences | null = null,
  timeout = DEFAULT_TIMEOUT_SECONDS,
): Promise<CaseVerdict> {
  const result = await runCase(testCase, target, spec, timeout);
  const list = known ?? { path: "", target: target.name, entries: new Map(), exists: false };
  const judged = judge([result], list)[0]!;
  const ok = isOk(judged);
  return { judged, ok, problems: ok ? [] : failureLines(judged) };
}

/**
 * One test per selected case of the level judged: a case the saver cannot run (a capability it
 * lacks) is a skipped test with the reason; a failing one throws its report lines. The number registered.
 */
export async function registerSpecTests(options: SpecTestOptions): Promise<number> {
  // Checked as given: a caller in plain JavaScript may pass any value.
  const judging = parseLevel(options.level, false, "level");
  const spec = loadBundledSpec(options.spec);
  const cases = selectCases(spec, options.cases).filter((testCase) => isJudged(testCase.level, judging));
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  const target = await saverTarget(options.factory, options.name ?? "saver", timeout);
  const known = options.known === undefined ? null : loadKnown(options.known, target.name, spec);
  for (const testCase of cases) {
    const missing = testCase.requires.filter((capability) => !target.capabilities.has(capability));
    const skip = missing.length > 0 ? `${target.name} does not support ${missing.join(", ")}` : false;
    options.test(testCase.id, { skip }, async () => {
      const verdict = await checkCase(testCase, target, spec, known, timeout);
      if (!verdict.ok) throw new Error(verdict.problems.join("\n"));
    });
  }
  return cases.length;
}
