/** The optional peer dependencies of the database targets: their saver and its driver. */

export const SQLITE_PACKAGES = ["@langchain/langgraph-checkpoint-sqlite", "better-sqlite3"] as const;
export const POSTGRES_PACKAGES = ["@langchain/langgraph-checkpoint-postgres", "pg"] as const;
