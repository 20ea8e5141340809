/**
 * The command line, many times in one process, for the cross-runner bad-input test
 * (python/tests/test_both_runners_bad_input.py): each standard-input line is
 * {"argv": [...]}, each reply line is {"code", "out", "err"}, or {"crash": stack}
 * when main() itself threw, which the test reports as a bug.
 */

import { createInterface } from "node:readline";

import { main } from "../cli.js";

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const { argv } = JSON.parse(line) as { argv: string[] };
  const out: string[] = [];
  const err: string[] = [];
  let reply: object;
  try {
    const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
    reply = { code, out: out.join("\n"), err: err.join("\n") };
  } catch (error) {
    reply = { crash: error instanceof Error ? (error.stack ?? error.message) : String(error), out: out.join("\n"), err: err.join("\n") };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
