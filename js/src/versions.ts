/** The exact LangGraph JS library versions, printed in every report header. */

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const LIBRARIES = ["@langchain/langgraph", "@langchain/langgraph-checkpoint", "@langchain/core"] as const;

/** The version in the installed package's own package.json, found from where the package resolves. */
export function installedVersion(name: string): string | null {
  let resolved: string;
  try {
    resolved = fileURLToPath(import.meta.resolve(name));
  } catch {
    return null;
  }
  for (let folder = dirname(resolved); ; folder = dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf-8")) as { name?: string; version?: string };
      if (manifest.name === name && typeof manifest.version === "string") return manifest.version;
    } catch {
      // no package.json here; keep walking up
    }
    if (dirname(folder) === folder) return null;
  }
}

export function libraryVersions(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of LIBRARIES) {
    const version = installedVersion(name);
    if (version !== null) found[name] = version;
  }
  return found;
}

/** This runner's own version, from js/package.json. */
export function toolVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let folder = here; dirname(folder) !== folder; folder = dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf-8")) as { name?: string; version?: string };
      if (manifest.name === "checkpoint-spec-js" && manifest.version) return manifest.version;
    } catch {
      // keep walking up
    }
  }
  return "0.0.0";
}
