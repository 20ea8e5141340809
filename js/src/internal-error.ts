/** A bug of the runner itself: one line to print, the stack in a file of its own. */

import { tmpdir } from "node:os";
import { join } from "node:path";

import { describeError } from "./errors.js";
import { writeTextAtomically } from "./files.js";

/**
 * For a bug of the runner (anything unexpected): the stack goes to a file in the
 * temporary folder and the one line to print names it.
 */
export function internalErrorLine(error: unknown, now: number = Date.now()): string {
  const file = join(tmpdir(), `checkpoint-spec-js-internal-${process.pid}-${now}.txt`);
  const details = error instanceof Error ? (error.stack ?? describeError(error)) : describeError(error);
  let where: string;
  try {
    writeTextAtomically(file, `${process.argv.join(" ")}\n\n${details}\n`);
    where = `details in ${file}`;
  } catch (failure) {
    where = `details could not be written to ${file} (${describeError(failure)})`;
  }
  return `error: internal error: ${describeError(error)}; ${where}`;
}
