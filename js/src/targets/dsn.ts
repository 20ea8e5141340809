/**
 * libpq connection strings (DSNs), in either form: reading one, describing it,
 * and keeping its password out of every message. An error here never quotes the
 * DSN or any part of it that could be its password.
 */

import { SpecError } from "../errors.js";

export const DSN_ENV = "CHECKPOINT_SPEC_POSTGRES_DSN";

/** A DSN that cannot be read. */
export class DsnError extends SpecError {
  constructor(message: string) {
    super(DSN_ENV, message);
    this.name = "DsnError";
  }
}

/** libpq's connection keywords (the Python side's libpq rejects any other). */
const KEYWORDS = new Set([
  "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding", "connect_timeout",
  "client_encoding", "options", "application_name", "fallback_application_name", "keepalives", "keepalives_idle",
  "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode", "requiressl",
  "sslcompression", "sslcert", "sslkey", "sslpassword", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni",
  "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation",
  "service", "target_session_attrs", "load_balance_hosts", "require_auth", "sslnegotiation",
]);

export function isUri(dsn: string): boolean {
  return /^postgres(ql)?:\/\//.test(dsn);
}

/**
 * The members of a libpq `key=value` string: values bare or single-quoted, `\` escaping
 * the next character. A missing `=`, an unterminated quote or an unknown keyword is a
 * DsnError that says where (the character's position), not what was written there.
 */
export function parseKeywordDsn(dsn: string): Record<string, string> {
  const found: Record<string, string> = {};
  let i = 0;
  const skipSpaces = () => {
    while (i < dsn.length && /\s/.test(dsn[i]!)) i += 1;
  };
  /** The keyword at i, one of libpq's. */
  const keyword = (): string => {
    const start = i;
    while (i < dsn.length && /[A-Za-z0-9_]/.test(dsn[i]!)) i += 1;
    const key = dsn.slice(start, i);
    if (key === "") throw new DsnError(`not of the form key=value at character ${start + 1}`);
    // An unknown word could be part of the password: only libpq's own keywords are named.
    if (!KEYWORDS.has(key)) throw new DsnError(`unknown keyword at character ${start + 1}`);
    return key;
  };
  /** The single-quoted value at i, unescaped. */
  const quotedValue = (key: string): string => {
    let value = "";
    i += 1;
    for (;;) {
      if (i >= dsn.length) throw new DsnError(`unterminated quoted value of ${JSON.stringify(key)}`);
      const c = dsn[i]!;
      if (c === "'") break;
      if (c === "\\" && i + 1 < dsn.length) i += 1;
      value += dsn[i]!;
      i += 1;
    }
    i += 1;
    return value;
  };
  /** The bare value at i, up to the next space, unescaped. */
  const bareValue = (): string => {
    let value = "";
    while (i < dsn.length && !/\s/.test(dsn[i]!)) {
      if (dsn[i] === "\\" && i + 1 < dsn.length) i += 1;
      value += dsn[i]!;
      i += 1;
    }
    return value;
  };
  skipSpaces();
  while (i < dsn.length) {
    const key = keyword();
    skipSpaces();
    if (dsn[i] !== "=") throw new DsnError(`missing "=" after ${JSON.stringify(key)}`);
    i += 1;
    skipSpaces();
    found[key] = dsn[i] === "'" ? quotedValue(key) : bareValue();
    skipSpaces();
  }
  return found;
}

/** A member of a URI, percent-decoded; `part` names it in the error. */
function decoded(text: string, part: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new DsnError(`invalid percent-encoding in the URI's ${part}`);
  }
}

/** The members of a DSN in either form, by libpq keyword; throws a DsnError when it cannot be read. */
export function parseDsn(dsn: string): Record<string, string> {
  let members: Record<string, string>;
  if (isUri(dsn)) {
    let url: URL;
    try {
      url = new URL(dsn);
    } catch {
      throw new DsnError("not a valid postgresql:// URI");
    }
    members = Object.fromEntries(url.searchParams);
    const user = decoded(url.username, "user name");
    const password = decoded(url.password, "password");
    const host = decoded(url.hostname, "host");
    const dbname = decoded(url.pathname.replace(/^\//, ""), "database name");
    if (user) members.user = user;
    if (password) members.password = password;
    if (host) members.host = host;
    if (url.port) members.port = url.port;
    if (dbname) members.dbname = dbname;
  } else {
    members = parseKeywordDsn(dsn);
  }
  const port = members.port;
  if (port !== undefined && port !== "" && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new DsnError("port is not a number from 1 to 65535");
  }
  return members;
}

/** host:port, database and user of a DSN; never its password. */
export function describeDsn(dsn: string): string {
  let members: Record<string, string>;
  try {
    members = parseDsn(dsn);
  } catch {
    return "a DSN that cannot be parsed";
  }
  const parts = [`${members.host || members.hostaddr || "localhost"}:${members.port || "5432"}`];
  if (members.dbname) parts.push(`database ${members.dbname}`);
  if (members.user) parts.push(`user ${members.user}`);
  return parts.join(", ");
}

/** Every spelling of the DSN's password that a message could hold, as written and as decoded. */
function passwords(dsn: string): string[] {
  const found: string[] = [];
  try {
    const password = parseDsn(dsn).password;
    if (password) found.push(password);
  } catch {
    // Not readable: fall back on where a password would stand.
  }
  const written = isUri(dsn) ? /^[^:]+:\/\/[^:@/]*:([^@/]*)@/.exec(dsn) : /\bpassword\s*=\s*('(?:[^'\\]|\\.)*'?|\S*)/.exec(dsn);
  const raw = written?.[1];
  if (raw) found.push(raw, raw.replace(/^'|'$/g, ""));
  return found;
}

/** `text` with the DSN (as `<dsn>`) and its password (as `***`) taken out. */
export function redact(text: string, dsn: string): string {
  let out = dsn ? text.split(dsn).join("<dsn>") : text;
  // Longest first, so that no part of a longer spelling is left behind.
  for (const secret of passwords(dsn).sort((a, b) => b.length - a.length)) {
    if (secret) out = out.split(secret).join("***");
  }
  return out;
}
