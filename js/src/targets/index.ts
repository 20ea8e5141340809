/** Targets by name, and user checkpointers given as `./path/to/module.js:exportName`. */

import { existsSync } from "node:fs";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";

import { TargetError, describeError } from "../errors.js";
import { DEFAULT_TIMEOUT_SECONDS } from "../timeouts.js";
import { saverVersions, toolVersion, unsupportedLibraries } from "../versions.js";
import type { Session, Target } from "./base.js";
import { jsMemory } from "./memory.js";
import { POSTGRES_PACKAGES, SQLITE_PACKAGES } from "./peers.js";
import { SaverTarget, type SaverFactory } from "./saver.js";

export type { Session, Target };

/**
 * A database target's module, loaded when the target is asked for: its saver and
 * driver are optional peer dependencies, so that installing the runner builds no
 * native module for someone who never runs these targets.
 */
async function optional<T>(name: string, packages: readonly string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new TargetError(`--target: ${name} needs ${packages.join(" and ")} installed (npm install ${packages.join(" ")}): ${describeError(error)}`);
  }
}

export const BUILTIN: Readonly<Record<string, () => Promise<Target>>> = {
  "js-memory": jsMemory,
  "js-sqlite": async () => (await optional("js-sqlite", SQLITE_PACKAGES, () => import("./sqlite.js"))).jsSqlite(),
  "js-postgres": async () => (await optional("js-postgres", POSTGRES_PACKAGES, () => import("./postgres.js"))).jsPostgres(),
};

// The optional peers a built-in target loads, checked against their declared ranges when it is asked for.
const PEERS: Readonly<Record<string, readonly string[]>> = { "js-sqlite": SQLITE_PACKAGES, "js-postgres": POSTGRES_PACKAGES };

/** The LangGraph libraries (and these optional peers) within js/package.json's ranges, else bad input naming each. */
export function checkLibraries(peers: readonly string[] = []): void {
  const unsupported = unsupportedLibraries(peers);
  if (unsupported.length > 0) {
    throw new TargetError(`--target: checkpoint-spec-js ${toolVersion()} does not support what is installed: ${unsupported.join("; ")}`);
  }
}

/** `--target-arg` is a factory's argument: a built-in target takes none (bad input, before anything runs). */
export function checkTargetArg(spec: string, targetArg: string | undefined): void {
  if (targetArg !== undefined && Object.hasOwn(BUILTIN, spec)) {
    throw new TargetError(`--target-arg: ${JSON.stringify(spec)} is a built-in target, which takes no argument`);
  }
}

/**
 * A built-in target by name, or `MODULE:EXPORT` for a user's own saver: MODULE is
 * a file path (relative to the working directory) or a package name, EXPORT a
 * function returning a fresh saver (or a promise of one) each time it is called;
 * the first call (which learns the saver's capabilities) may take `timeout` seconds.
 */
export async function makeTarget(spec: string, timeout: number = DEFAULT_TIMEOUT_SECONDS, targetArg?: string): Promise<Target> {
  checkTargetArg(spec, targetArg);
  checkLibraries(Object.hasOwn(PEERS, spec) ? PEERS[spec] : []);
  const builtin = BUILTIN[spec];
  if (builtin !== undefined) return builtin();
  const colon = spec.lastIndexOf(":");
  if (colon <= 0 || colon === spec.length - 1) {
    throw new TargetError(
      `--target: ${JSON.stringify(spec)} is not a built-in target (${Object.keys(BUILTIN).join(", ")}) ` +
        "and not of the form ./path/to/module.js:exportName",
    );
  }
  const moduleName = spec.slice(0, colon);
  const exportName = spec.slice(colon + 1);
  const asPath = moduleName.startsWith(".") || isAbsolute(moduleName) || existsSync(moduleName);
  const specifier = asPath ? pathToFileURL(resolvePath(moduleName)).href : moduleName;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new TargetError(`--target: cannot import ${JSON.stringify(moduleName)}: ${describeError(error)}`);
  }
  const factory = module[exportName];
  if (typeof factory !== "function") {
    throw new TargetError(`--target: module ${JSON.stringify(moduleName)} has no function export ${JSON.stringify(exportName)}`);
  }
  const call = factory as (...args: unknown[]) => unknown;
  // With --target-arg the factory gets it as its one argument (a connection string, say).
  const made: SaverFactory = targetArg === undefined ? () => call() : () => call(targetArg);
  // A factory that throws or overruns is no bad input: every case is errored with the reason (section 6).
  return await SaverTarget.create(spec, made, saverVersions(import.meta.resolve(specifier)), timeout);
}
