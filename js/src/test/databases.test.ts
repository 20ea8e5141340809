/**
 * js-sqlite and js-postgres against real databases: SQLite files, and PostgreSQL
 * servers started by the Python side (`python -m checkpoint_spec.databases --serve`).
 */

import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";

import pg from "pg";

import { judge, knownPath, loadKnown } from "../divergences.js";
import { TargetError } from "../errors.js";
import { firstFailure, runCase } from "../execution.js";
import { loadSpec } from "../loading.js";
import { makeTarget } from "../targets/index.js";
import {
  DSN_ENV,
  SCHEMA_PREFIX,
  describeDsn,
  openFailure,
  parseKeywordDsn,
  poolConfig,
  postgresTarget,
  redact,
} from "../targets/postgres.js";
import { DsnError, parseDsn } from "../targets/dsn.js";
import { sqliteTarget } from "../targets/sqlite.js";
import { CLI, SPEC_ROOT, scratchDir } from "./helpers.js";

const CONFIG = { configurable: { thread_id: "t1", checkpoint_ns: "" } };
const PUT = {
  config: CONFIG,
  checkpoint: { v: 4, id: "1f000000-0000-6000-8000-000000000001", ts: "2024-05-01T12:00:01+00:00", channel_values: {}, channel_versions: {}, versions_seen: {} },
  metadata: {},
  new_versions: {},
};
const PYTHON_SRC = join(SPEC_ROOT, "..", "python", "src");
const NO_SERVER =
  "no PostgreSQL server: this test needs CHECKPOINT_SPEC_POSTGRES_DSN or the Python package with its db extra " +
  "(nox -s js provides both) to start a throwaway server";

interface Server {
  readonly dsn: string;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL server of the test's own, from the Python side; null when it cannot be started here. */
async function startServer(): Promise<Server | null> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: PYTHON_SRC };
  Reflect.deleteProperty(env, DSN_ENV);
  let child: ChildProcess;
  try {
    child = spawn(process.env.CHECKPOINT_SPEC_PYTHON ?? "python", ["-m", "checkpoint_spec.databases", "--serve"], {
      env,
      stdio: ["pipe", "pipe", "inherit"],
    });
  } catch {
    return null;
  }
  const exited = new Promise<void>((done) => child.once("close", () => done()));
  child.once("error", () => {});
  const first = await new Promise<string | null>((done) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => done(line.trim()));
    lines.once("close", () => done(null));
  });
  if (!first) {
    await exited;
    return null;
  }
  return {
    dsn: first,
    async stop() {
      child.stdin!.end();
      await exited;
    },
  };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", () => done()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

async function schemas(dsn: string): Promise<string[]> {
  const client = new pg.Client(poolConfig(dsn));
  await client.connect();
  try {
    const found = await client.query<{ name: string }>(
      "SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE $1",
      [`${SCHEMA_PREFIX}%`],
    );
    return found.rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

function checkpointId(tuple: unknown): unknown {
  return ((tuple as { checkpoint: { id: unknown } }).checkpoint).id;
}

describe("DSNs", () => {
  test("libpq key=value strings parse, quoted values too", () => {
    assert.deepEqual(parseKeywordDsn("host=127.0.0.1 port=5433 user=postgres password='a b\\'c' dbname=x"), {
      host: "127.0.0.1",
      port: "5433",
      user: "postgres",
      password: "a b'c",
      dbname: "x",
    });
    assert.deepEqual(poolConfig("host=h port=6543 dbname=d user=u"), {
      connectionTimeoutMillis: 3000,
      host: "h",
      port: 6543,
      database: "d",
      user: "u",
    });
    assert.deepEqual(poolConfig("postgresql://u@h/d"), { connectionString: "postgresql://u@h/d", connectionTimeoutMillis: 3000 });
    assert.throws(() => parseKeywordDsn("just words"), DsnError);
  });

  test("descriptions name host, port, database and user, never the password", () => {
    assert.equal(describeDsn("host=db.example port=6543 dbname=x password=pw"), "db.example:6543, database x");
    assert.equal(describeDsn("postgresql://alice:pw@db.example:6543/spec"), "db.example:6543, database spec, user alice");
    assert.equal(describeDsn("postgresql://[::1"), "a DSN that cannot be parsed");
    assert.equal(redact("failed for hunter2", "host=h password=hunter2"), "failed for ***");
  });

  test("without a DSN, js-postgres is one clear error and the command line exits 2", async () => {
    const saved = process.env[DSN_ENV];
    Reflect.deleteProperty(process.env, DSN_ENV);
    try {
      await assert.rejects(makeTarget("js-postgres"), (error: unknown) => {
        assert.ok(error instanceof TargetError);
        assert.match(error.message, /^--target: js-postgres: no PostgreSQL server to run against: set CHECKPOINT_SPEC_POSTGRES_DSN/);
        return true;
      });
    } finally {
      if (saved !== undefined) process.env[DSN_ENV] = saved;
    }
    const env = { ...process.env };
    Reflect.deleteProperty(env, DSN_ENV);
    const run = spawnSync(process.execPath, [CLI, "run", "--target", "js-postgres"], { encoding: "utf-8", env });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  });

  for (const form of ["host=127.0.0.1 port={port} user=alice password=s3cret-Pw dbname=spec", "postgresql://alice:s3cret-Pw@127.0.0.1:{port}/spec"]) {
    test(`an unreachable server (${form.split(":")[0]}) names host and port and never the password`, async () => {
      const port = await closedPort();
      const dsn = form.replace("{port}", String(port));
      await assert.rejects(postgresTarget("js-postgres", dsn), (error: unknown) => {
        assert.ok(error instanceof TargetError);
        assert.ok(error.message.includes(`cannot connect to PostgreSQL at 127.0.0.1:${port}, database spec, user alice`), error.message);
        assert.ok(!error.message.includes("s3cret-Pw"), error.message);
        return true;
      });
      const run = spawnSync(process.execPath, [CLI, "run", "--target", "js-postgres"], { encoding: "utf-8", env: { ...process.env, [DSN_ENV]: dsn } });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.ok(run.stderr.includes(`127.0.0.1:${port}`) && !(run.stdout + run.stderr).includes("s3cret-Pw"), run.stderr);
    });
  }
});

describe("DSNs that cannot be read, and passwords", () => {
  const env = (dsn: string) => ({ ...process.env, [DSN_ENV]: dsn });

  for (const dsn of [
    "host=127.0.0.1 password=secret dbname",
    "host='unterminated password=secret",
    "host=127.0.0.1 password='secret",
    "host=127.0.0.1 port=x password=secret",
    "host=127.0.0.1 secret",
    "postgresql://u:p%zzsecret@127.0.0.1/d",
    "postgresql://u:secret@127.0.0.1:99999/d",
  ]) {
    test(`${JSON.stringify(dsn)}: one error naming the variable, exit 2, no password`, () => {
      const run = spawnSync(process.execPath, [CLI, "run", "--target", "js-postgres"], { encoding: "utf-8", env: env(dsn), timeout: 60_000 });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /^error: CHECKPOINT_SPEC_POSTGRES_DSN: [^\n]+\n$/);
      assert.ok(!run.stderr.includes("secret"), run.stderr);
    });
  }

  test("a percent-encoded password is kept out as written and as decoded", async () => {
    const port = await closedPort();
    const dsn = `postgresql://alice:s%65cr%40t@127.0.0.1:${port}/spec`;
    const run = spawnSync(process.execPath, [CLI, "run", "--target", "js-postgres"], { encoding: "utf-8", env: env(dsn), timeout: 60_000 });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.ok(run.stderr.startsWith(`error: --target: js-postgres: cannot connect to PostgreSQL at 127.0.0.1:${port}, database spec, user alice: `), run.stderr);
    for (const spelling of ["s%65cr%40t", "secr@t"]) assert.ok(!run.stderr.includes(spelling), run.stderr);
  });

  test("a case whose storage cannot be opened says why, without the password in any spelling", () => {
    for (const [dsn, spellings] of [
      ["postgresql://alice:s%65cr%40t@db/spec", ["secr@t", "s%65cr%40t"]],
      ["host=db password='secr\\'t' user=alice", ["secr't", "secr\\'t"]],
      ["host=db password=secr@t", ["secr@t"]],
    ] as const) {
      const said = new Error(`password ${spellings.join(" or ")} refused for ${dsn}`);
      for (const why of [openFailure(dsn)(said), openFailure(dsn)(Object.assign(new Error(said.message), { code: "ECONNREFUSED" }))]) {
        for (const spelling of spellings) assert.ok(!why.includes(spelling), why);
        assert.ok(why.includes("refused for <dsn>"), why);
      }
    }
  });

  test("errors of the key=value form say where, not what", () => {
    for (const [dsn, message] of [
      ["host=h password=secret dbname", 'CHECKPOINT_SPEC_POSTGRES_DSN: missing "=" after "dbname"'],
      ["host=h password='secret", 'CHECKPOINT_SPEC_POSTGRES_DSN: unterminated quoted value of "password"'],
      ["host=h secret=x", "CHECKPOINT_SPEC_POSTGRES_DSN: unknown keyword at character 8"],
      ["host=h =secret", "CHECKPOINT_SPEC_POSTGRES_DSN: not of the form key=value at character 8"],
    ] as const) {
      assert.throws(() => parseDsn(dsn), (error: unknown) => error instanceof DsnError && error.message === message, dsn);
    }
    assert.deepEqual(parseDsn("postgresql://a%40b:p%20w@h:6543/d%2Fx?sslmode=require"), {
      sslmode: "require",
      user: "a@b",
      password: "p w",
      host: "h",
      port: "6543",
      dbname: "d/x",
    });
  });
});

describe("js-sqlite", () => {
  test("each case gets a fresh database file, removed when the case ends", async () => {
    const target = await sqliteTarget("js-sqlite");
    const first = await target.open();
    await first.call("put", PUT);
    const second = await target.open();
    assert.equal(await second.call("get_tuple", { config: CONFIG }), null);
    assert.equal(checkpointId(await first.call("get_tuple", { config: CONFIG })), PUT.checkpoint.id);
    const folder = readdirSync(tmpdir())
      .filter((name) => name.startsWith("checkpoint-spec-sqlite-"))
      .map((name) => join(tmpdir(), name))
      .find((path) => readdirSync(path).some((file) => file.endsWith(".sqlite")));
    assert.ok(folder !== undefined);
    const before = readdirSync(folder).filter((file) => file.endsWith(".sqlite")).length;
    await first.close();
    await second.close();
    assert.equal(readdirSync(folder).filter((file) => file.endsWith(".sqlite")).length, before - 2);
  });

  test("a shared file keeps its data across savers", async () => {
    const path = join(scratchDir(), "shared.sqlite");
    const writer = await (await sqliteTarget("js-sqlite", path)).open();
    await writer.call("put", PUT);
    await writer.close();
    assert.ok(existsSync(path));
    const reader = await (await sqliteTarget("js-sqlite", path)).open();
    assert.equal(checkpointId(await reader.call("get_tuple", { config: CONFIG })), PUT.checkpoint.id);
    await reader.close();
  });

  test("the spec runs clean against its known-divergence list", () => {
    const run = spawnSync(process.execPath, [CLI, "run", "--target", "js-sqlite"], { encoding: "utf-8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout.trimEnd().split("\n").at(-1)!, /^\d+ passed, 0 failed, \d+ skipped$/);
  });
});

describe("js-postgres", () => {
  let shared: Server | null = null;
  let dsn: string | null = process.env[DSN_ENV] ?? null;

  before(async () => {
    if (dsn === null) {
      shared = await startServer();
      dsn = shared?.dsn ?? null;
    }
  });
  after(async () => {
    await shared?.stop();
  });

  test("each case gets a fresh schema, dropped when the case ends", async (t) => {
    if (dsn === null) { t.skip(NO_SERVER); return; }
    const target = await postgresTarget("js-postgres", dsn);
    const first = await target.open();
    await first.call("put", PUT);
    const second = await target.open();
    assert.equal(await second.call("get_tuple", { config: CONFIG }), null);
    assert.equal(checkpointId(await first.call("get_tuple", { config: CONFIG })), PUT.checkpoint.id);
    const open = new Set(await schemas(dsn));
    await first.close();
    await second.close();
    const left = new Set(await schemas(dsn));
    assert.equal([...open].filter((name) => !left.has(name)).length, 2);
  });

  test("the spec runs clean against its known-divergence list", (t) => {
    if (dsn === null) { t.skip(NO_SERVER); return; }
    const run = spawnSync(process.execPath, [CLI, "run", "--target", "js-postgres"], { encoding: "utf-8", env: { ...process.env, [DSN_ENV]: dsn } });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout.trimEnd().split("\n").at(-1)!, /^\d+ passed, 0 failed, \d+ skipped$/);
  });

  test("a server that goes away mid-run fails the remaining cases with the reason, and the run finishes", async (t) => {
    const own = await startServer();
    if (own === null) { t.skip(NO_SERVER); return; }
    const port = parseKeywordDsn(own.dsn).port;
    const spec = loadSpec(SPEC_ROOT);
    const cases = spec.cases.filter((c) => c.operation === "put" && c.requires.length === 0).slice(0, 6);
    const target = await postgresTarget("js-postgres", own.dsn);
    const results = [];
    for (const testCase of cases.slice(0, 2)) results.push(await runCase(testCase, target, spec));
    const inFlight = await target.open();
    await inFlight.call("put", PUT);
    await own.stop();
    await assert.rejects(inFlight.call("get_tuple", { config: CONFIG }));
    await inFlight.close();
    for (const testCase of cases.slice(2)) results.push(await runCase(testCase, target, spec));
    const known = loadKnown(knownPath(spec, "none"), "none", spec);
    const judged = judge(results, known);
    assert.deepEqual(
      judged.slice(2).map((item) => item.verdict),
      ["failed", "failed", "failed", "failed"],
    );
    for (const item of judged.slice(2)) {
      const failure = firstFailure(item.result);
      assert.ok(failure?.problem?.includes(`cannot connect to PostgreSQL at 127.0.0.1:${port}`), failure?.problem ?? "");
    }
  });
});


