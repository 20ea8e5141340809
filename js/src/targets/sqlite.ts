/** js-sqlite: LangGraph JS's SqliteSaver (better-sqlite3), each case on a fresh database file. */

import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";

import { DatabaseTarget, type Opened } from "./database.js";
import { SQLITE_PACKAGES } from "./peers.js";

export { SQLITE_PACKAGES };

let folder: string | null = null;

/** A new file name in a temporary folder that is removed when the process exits. */
function freshFile(): string {
  if (folder === null) {
    const made = mkdtempSync(join(tmpdir(), "checkpoint-spec-sqlite-"));
    folder = made;
    process.once("exit", () => rmSync(made, { recursive: true, force: true }));
  }
  return join(folder, `${randomUUID()}.sqlite`);
}

function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

/** A fresh SqliteSaver: on its own new file (removed on release), or on `path` when given (kept). */
export async function openSqlite(path?: string): Promise<Opened> {
  const file = path ?? freshFile();
  const saver = SqliteSaver.fromConnString(file);
  return {
    saver,
    async release() {
      saver.db.close();
      if (path === undefined) removeDatabase(file);
    },
  };
}

export function sqliteTarget(name = "js-sqlite", path?: string): Promise<DatabaseTarget> {
  return DatabaseTarget.create(name, () => openSqlite(path), SQLITE_PACKAGES);
}

export function jsSqlite(): Promise<DatabaseTarget> {
  return sqliteTarget("js-sqlite");
}
