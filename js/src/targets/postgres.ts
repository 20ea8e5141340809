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

export const DSN_ENV = "CHECKPOINT_SPEC_POSTGRES_DSN";
export const CONNECT_TIMEOUT_MS = 3000;
export const SCHEMA_PREFIX = "checkpoint_spec_";
export const POSTGRES_PACKAGES = ["@langchain/langgraph-checkpoint-postgres", "pg"] as const;

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

/** The members of a libpq `key=value` connection string (values may be single-quoted, with \\ escapes). */
export function parseKeywordDsn(dsn: string): Record<string, string> {
  const found: Record<string, string> = {};
  const pattern = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|([^\s']*))/gy;
  let rest = dsn.trim();
  while (rest.length > 0) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (match === null) throw new TypeError("not a connection string of key=value pairs");
    found[match[1]!] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
    rest = rest.slice(pattern.lastIndex).trim();
  }
  return found;
}

function isUri(dsn: string): boolean {
  return /^postgres(ql)?:\/\//.test(dsn);
}

/** node-postgres settings for a DSN in either libpq form (URI or key=value). */
export function poolConfig(dsn: string): pg.PoolConfig {
  if (isUri(dsn)) return { connectionString: dsn, connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  const config: Record<string, unknown> = { connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  for (const [key, value] of Object.entries(parseKeywordDsn(dsn))) {
    const member = KEYS[key];
    if (member !== undefined) config[member] = member === "port" ? Number(value) : value;
    if (key === "sslmode" && !["disable", "allow", "prefer"].includes(value)) config.ssl = { rejectUnauthorized: value === "verify-full" };
  }
  return config as pg.PoolConfig;
}

/** host:port, database and user of a DSN; never its password. */
export function describeDsn(dsn: string): string {
  let host: string | undefined, port: string | undefined, database: string | undefined, user: string | undefined;
  try {
    if (isUri(dsn)) {
      const url = new URL(dsn);
      host = decodeURIComponent(url.hostname) || url.searchParams.get("host") || undefined;
      port = url.port || undefined;
      database = decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined;
      user = decodeURIComponent(url.username) || undefined;
    } else {
      const members = parseKeywordDsn(dsn);
      host = members.host ?? members.hostaddr;
      port = members.port;
      database = members.dbname;
      user = members.user;
    }
  } catch {
    return "a DSN that cannot be parsed";
  }
  const parts = [`${host ?? "localhost"}:${port ?? "5432"}`];
  if (database) parts.push(`database ${database}`);
  if (user) parts.push(`user ${user}`);
  return parts.join(", ");
}

/** `text` with the DSN's password (and the DSN itself) taken out. */
export function redact(text: string, dsn: string): string {
  let password: string | undefined;
  try {
    password = isUri(dsn) ? decodeURIComponent(new URL(dsn).password) : parseKeywordDsn(dsn).password;
  } catch {
    password = undefined;
  }
  let out = dsn ? text.split(dsn).join("<dsn>") : text;
  if (password) out = out.split(password).join("***");
  return out;
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^(E[A-Z]+|57P0[1-3]|08\d{3})$/.test(code)) return true;
  return error instanceof Error && /connect|terminat|timeout|closed/i.test(error.message);
}

/** What opening a case's storage failed on: a connection failure names host and port; never the password. */
function openFailure(dsn: string): (error: unknown) => string {
  return (error) => (isConnectionError(error) ? connectionFailure(dsn, error) : redact(describeError(error), dsn));
}

export function connectionFailure(dsn: string, error: unknown): string {
  return `cannot connect to PostgreSQL at ${describeDsn(dsn)}: ${redact(describeError(error), dsn).replace(/\s+/g, " ")}`;
}

/** The server's version; throws (within the connect timeout) a TargetError naming host and port when it does not answer. */
export async function checkReachable(name: string, dsn: string): Promise<string> {
  const client = new pg.Client(poolConfig(dsn));
  client.on("error", () => {});
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>("SHOW server_version");
    return result.rows[0]?.server_version ?? "unknown";
  } catch (error) {
    throw new TargetError(`--target ${name}: ${connectionFailure(dsn, error)}`);
  } finally {
    await client.end().catch(() => {});
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
      `--target ${name}: no PostgreSQL server to run against: set ${DSN_ENV} to a connection string ` +
        "(python -m checkpoint_spec.databases -- CMD starts a throwaway server and sets it for CMD)",
    );
  }
  await checkReachable(name, found);
  return DatabaseTarget.create(name, () => openPostgres(found, schema), POSTGRES_PACKAGES, openFailure(found));
}

export function jsPostgres(): Promise<DatabaseTarget> {
  return postgresTarget("js-postgres");
}
