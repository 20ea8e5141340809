/**
 * js-postgres: LangGraph JS's PostgresSaver (node-postgres) on the server named by
 * CHECKPOINT_SPEC_POSTGRES_DSN, which the Python side sets after starting a
 * throwaway server (`python -m checkpoint_spec.databases -- CMD`, or the nox
 * sessions). Each case gets a fresh schema (the saver's `schema` option, created
 * by its own `setup()`), dropped when the case ends.
 */

import { randomBytes } from "node:crypto";

import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";

import { TargetError, describeError } from "../errors.js";
import { DatabaseTarget, type Opened } from "./database.js";
import { POSTGRES_PACKAGES } from "./peers.js";
import { DSN_ENV, DsnError, describeDsn, isUri, parseDsn, redact } from "./dsn.js";

export { DSN_ENV, describeDsn, parseKeywordDsn, redact } from "./dsn.js";

export const CONNECT_TIMEOUT_MS = 3000;
export const SCHEMA_PREFIX = "checkpoint_spec_";
export { POSTGRES_PACKAGES };

/** node-postgres's setting for each libpq keyword it has. */
const KEYS: Readonly<Record<string, keyof pg.PoolConfig>> = {
  host: "host",
  hostaddr: "host",
  port: "port",
  user: "user",
  password: "password",
  dbname: "database",
  options: "options",
  application_name: "application_name",
};

/** node-postgres settings for a DSN in either libpq form (URI or key=value); throws a DsnError when it cannot be read. */
export function poolConfig(dsn: string): pg.PoolConfig {
  const members = parseDsn(dsn);
  if (isUri(dsn)) return { connectionString: dsn, connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  const config: Record<string, unknown> = { connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  for (const [key, value] of Object.entries(members)) {
    const member = KEYS[key];
    if (member === "port" && value === "") continue;
    if (member !== undefined) config[member] = member === "port" ? Number(value) : value;
    if (key === "sslmode" && !["disable", "allow", "prefer"].includes(value)) config.ssl = { rejectUnauthorized: value === "verify-full" };
  }
  return config;
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^(E[A-Z]+|57P0[1-3]|08\d{3})$/.test(code)) return true;
  return error instanceof Error && /connect|terminat|timeout|closed/i.test(error.message);
}

/** What opening a case's storage failed on: a connection failure names host and port; never the password. */
export function openFailure(dsn: string): (error: unknown) => string {
  return (error) => (isConnectionError(error) ? connectionFailure(dsn, error) : redact(describeError(error), dsn));
}

export function connectionFailure(dsn: string, error: unknown): string {
  return `cannot connect to PostgreSQL at ${describeDsn(dsn)}: ${redact(describeError(error), dsn).replace(/\s+/g, " ")}`;
}

/** The server's version; throws (within the connect timeout) a TargetError naming host and port when it does not answer. */
export async function checkReachable(name: string, dsn: string): Promise<string> {
  let client: pg.Client | null = null;
  try {
    client = new pg.Client(poolConfig(dsn));
    client.on("error", () => {});
    await client.connect();
    const result = await client.query<{ server_version: string }>("SHOW server_version");
    return result.rows[0]?.server_version ?? "unknown";
  } catch (error) {
    if (error instanceof DsnError) throw error;
    throw new TargetError(`--target: ${name}: ${connectionFailure(dsn, error)}`);
  } finally {
    await client?.end().catch(() => {});
  }
}

export function freshSchema(): string {
  return SCHEMA_PREFIX + randomBytes(8).toString("hex");
}

/** A fresh PostgresSaver: in its own new schema (dropped on release), or in `schema` when given (kept). */
export async function openPostgres(dsn: string, schema?: string): Promise<Opened> {
  const name = schema ?? freshSchema();
  const pool = new pg.Pool({ ...poolConfig(dsn), max: 4 });
  // An idle connection the server drops (it stopped) reports here; the next query fails and says so.
  pool.on("error", () => {});
  const saver = new PostgresSaver(pool, undefined, { schema: name });
  try {
    await saver.setup();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return {
    saver,
    async release() {
      if (schema === undefined) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}

export async function postgresTarget(name = "js-postgres", dsn?: string, schema?: string): Promise<DatabaseTarget> {
  const found = dsn ?? process.env[DSN_ENV];
  if (!found) {
    throw new TargetError(
      `--target: ${name}: no PostgreSQL server to run against: set ${DSN_ENV} to a connection string ` +
        "(python -m checkpoint_spec.databases -- CMD starts a throwaway server and sets it for CMD)",
    );
  }
  // Read first, so that a DSN that cannot be read is an error about the variable, not a connection failure.
  parseDsn(found);
  await checkReachable(name, found);
  return DatabaseTarget.create(name, () => openPostgres(found, schema), POSTGRES_PACKAGES, openFailure(found));
}

export function jsPostgres(): Promise<DatabaseTarget> {
  return postgresTarget("js-postgres");
}
