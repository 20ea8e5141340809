/** The exact LangGraph JS library versions, printed in every report header, and the runner's and spec's own. */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import semver from "semver";

import { defaultSpecRoot } from "./roots.js";

export const LIBRARIES = ["@langchain/langgraph", "@langchain/langgraph-checkpoint", "@langchain/core"] as const;

/** The name and version in the nearest package.json at or above `path` (of the package called `name`, when given). */
function packageAbove(path: string, name?: string): { name: string; version: string } | null {
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf-8")) as { name?: unknown; version?: unknown };
      if (typeof manifest.name === "string" && typeof manifest.version === "string" && (name === undefined || manifest.name === name)) {
        return { name: manifest.name, version: manifest.version };
      }
    } catch {
      // no package.json here; keep walking up
    }
    if (dirname(folder) === folder) return null;
  }
}

/** The version in the installed package's own package.json, found from where the package resolves. */
export function installedVersion(name: string): string | null {
  let resolved: string;
  try {
    resolved = fileURLToPath(import.meta.resolve(name));
  } catch {
    return null;
  }
  return packageAbove(resolved, name)?.version ?? null;
}

/**
 * What a user's saver module at `moduleUrl` runs on: the LangGraph libraries as that module
 * resolves them (a saver may bundle its own copy), and the package the module belongs to.
 */
export function saverVersions(moduleUrl: string): Record<string, string> {
  const found = libraryVersions();
  const resolveFrom = createRequire(moduleUrl);
  for (const name of LIBRARIES) {
    try {
      const own = packageAbove(resolveFrom.resolve(name), name);
      if (own !== null) found[name] = own.version;
    } catch {
      // not resolvable from there: the runner's own copy is the one it gets
    }
  }
  const owner = moduleUrl.startsWith("file:") ? packageAbove(fileURLToPath(moduleUrl)) : null;
  if (owner !== null && owner.name !== "checkpoint-spec-js") found[owner.name] ??= owner.version;
  return found;
}

export function libraryVersions(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of LIBRARIES) {
    const version = installedVersion(name);
    if (version !== null) found[name] = version;
  }
  return found;
}

/** What this runner reads from its own package.json: its version and the ranges it declares. */
export interface Manifest {
  version?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** This runner's own package.json (js/package.json), found above this file; {} when there is none. */
export function ownManifest(): Manifest {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let folder = here; dirname(folder) !== folder; folder = dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf-8")) as Manifest & { name?: string };
      if (manifest.name === "checkpoint-spec-js") return manifest;
    } catch {
      // keep walking up
    }
  }
  return {};
}

/** This runner's own version, from js/package.json. */
export function toolVersion(): string {
  return ownManifest().version ?? "0.0.0";
}

/** The LangGraph JS libraries every target runs on, checked against the ranges of js/package.json's dependencies. */
export const CHECKED_LIBRARIES = ["@langchain/langgraph-checkpoint", "@langchain/langgraph"] as const;

/**
 * Each library this runner loads outside the range js/package.json declares for it, as one phrase (as
 * Python's unsupported_libraries): CHECKED_LIBRARIES always, and the optional peers `peers` of the target
 * asked for that the manifest declares and that are installed (a missing peer is that target's own error).
 * Checked before a saver is made, so that an older library's missing method is not blamed on the user's factory.
 */
export function unsupportedLibraries(
  peers: readonly string[] = [],
  manifest: Manifest = ownManifest(),
  versionOf: (name: string) => string | null = installedVersion,
): string[] {
  const wanted: [string, string | undefined, boolean][] = [
    ...CHECKED_LIBRARIES.map((name): [string, string | undefined, boolean] => [name, manifest.dependencies?.[name], true]),
    ...peers.map((name): [string, string | undefined, boolean] => [name, manifest.peerDependencies?.[name], false]),
  ];
  const problems: string[] = [];
  for (const [name, range, required] of wanted) {
    if (range === undefined) continue;
    const installed = versionOf(name);
    if (installed === null) {
      if (required) problems.push(`${name} is not installed (supported: ${range})`);
    } else if (!semver.satisfies(installed, range, { includePrerelease: true })) {
      problems.push(`${name} ${installed} is installed (supported: ${range})`);
    }
  }
  return problems;
}

/** The spec folder's version (its VERSION file), "unknown" when it has none. */
export function specVersion(root: string = defaultSpecRoot()): string {
  try {
    return readFileSync(join(root, "VERSION"), "utf-8").trim() || "unknown";
  } catch {
    return "unknown";
  }
}

/** `checkpoint-spec-js VERSION, spec SPEC_VERSION` (spec/README.md 7.2), of the default spec folder. */
export function versionLine(): string {
  return `checkpoint-spec-js ${toolVersion()}, spec ${specVersion()}`;
}
