/** No module of js/src imports itself, directly or through others (imports go downwards only). */

import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import ts from "typescript";

import { scratchDir } from "./helpers.js";

const SOURCES = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
    });
}

/**
 * Module (path relative to root, no extension) to the modules of root it imports: static imports
 * and re-exports, type-only ones too, and dynamic import() calls, as TypeScript's own scanner finds them.
 */
export function importGraph(root: string): Map<string, Set<string>> {
  const files = sourceFiles(root);
  const name = (path: string): string => relative(root, path).replace(/\.ts$/, "");
  const known = new Set(files.map(name));
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const found = ts.preProcessFile(readFileSync(file, "utf-8"), true, true).importedFiles;
    const targets = found
      .filter((item) => item.fileName.startsWith("."))
      .map((item) => name(resolve(dirname(file), item.fileName.replace(/\.js$/, ".ts"))))
      .filter((target) => known.has(target) && target !== name(file));
    graph.set(name(file), new Set(targets));
  }
  return graph;
}

/** One cycle per strongly connected group of modules, as a closed path (a -> b -> a). */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe("imports go downwards only", () => {
  test("js/src has no import cycle", () => {
    const found = cycles(importGraph(SOURCES));
    assert.deepStrictEqual(found, [], "import cycles:\n" + found.map((cycle) => cycle.join(" -> ")).join("\n"));
  });

  test("the check sees a cycle through a type-only import, a re-export and a dynamic import", () => {
    const root = scratchDir();
    mkdirSync(join(root, "sub"));
    writeFileSync(join(root, "a.ts"), 'import type { B } from "./b.js";\nexport type A = B;\n');
    writeFileSync(join(root, "b.ts"), 'export * from "./sub/c.js";\nexport type B = number;\n');
    writeFileSync(join(root, "sub", "c.ts"), 'export async function f() { return import("../a.js"); }\n');
    writeFileSync(join(root, "d.ts"), 'import { readFileSync } from "node:fs";\nexport const d = readFileSync;\n');
    const graph = importGraph(root);
    assert.deepStrictEqual(graph.get("d"), new Set());
    assert.deepStrictEqual(cycles(graph), [["a", "b", "sub/c", "a"]]);
  });
});
