/**
 * Storage interop, the TypeScript half: run steps with LangGraph JS's SqliteSaver or
 * PostgresSaver on storage another saver (the Python one) shares.
 *
 *     node dist/interop.js < jobs.json > observations.json
 *
 * Input: {"kind": "sqlite" | "postgres", "dsn": DSN (postgres), "fixtures": {...},
 * "jobs": [{"storage": FILE or SCHEMA, "steps": [STEP, ...]}]}. Each job opens a
 * saver on its storage (kept afterwards) and runs its steps in order, as a case's
 * steps run (references resolve against the job's earlier steps). Output:
 * {"observations": [[OBSERVATION, ...], ...]}, one list per job.
 */

import { readFileSync } from "node:fs";

import { decode } from "./codec.js";
import { internalErrorLine } from "./internal-error.js";
import { observeError } from "./observation.js";
import { UnresolvedReference, resolve, type Observation } from "./references.js";
import type { Opened } from "./targets/database.js";
import { openPostgres } from "./targets/postgres.js";
import { invoke } from "./targets/saver.js";
import { openSqlite } from "./targets/sqlite.js";

interface Step {
  readonly op: string;
  readonly args: Record<string, unknown>;
  readonly as?: string;
}

interface Input {
  readonly kind: "sqlite" | "postgres";
  readonly dsn?: string;
  readonly fixtures: Record<string, unknown>;
  readonly jobs: readonly { readonly storage: string; readonly steps: readonly Step[] }[];
}

async function runJob(input: Input, storage: string, steps: readonly Step[]): Promise<unknown[]> {
  const opened: Opened = input.kind === "sqlite" ? await openSqlite(storage) : await openPostgres(input.dsn ?? "", storage);
  const results = new Map<string, Observation>();
  const observed: unknown[] = [];
  try {
    for (const step of steps) {
      let observation: Observation;
      try {
        const args = decode(resolve(step.args, input.fixtures, results)) as Record<string, unknown>;
        observation = { result: await invoke(opened.saver as Record<string, unknown>, step.op, args) };
      } catch (error) {
        observation = error instanceof UnresolvedReference ? { not_run: error.message } : observeError(error);
      }
      if (step.as !== undefined) results.set(step.as, observation);
      observed.push(observation);
    }
  } finally {
    await opened.release();
  }
  return observed;
}

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(0, "utf-8")) as Input;
  const observations: unknown[][] = [];
  for (const job of input.jobs) observations.push(await runJob(input, job.storage, job.steps));
  process.stdout.write(JSON.stringify({ observations }) + "\n");
}

main().catch((error: unknown) => {
  // The Python side shows what this printed: one line, the stack in a file.
  process.stderr.write(`interop: ${internalErrorLine(error)}\n`);
  process.exit(2);
});
