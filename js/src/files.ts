/** Writing files whole or not at all, and checking up front that they can be written. */

import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

import { SpecError } from "./errors.js";

/** The project's one JSON file format: two-space indent, UTF-8 as is, a final newline. */
export function jsonText(document: unknown): string {
  return JSON.stringify(document, null, 2) + "\n";
}

/** Replace path with the document in one step, so an interrupted run never leaves half a file. */
export function writeJsonAtomically(path: string, document: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, jsonText(document), "utf-8");
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Fail before any work when path cannot be written, naming the option that gave it. */
export function checkWritable(path: string, option: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new SpecError(option, `${path} is a folder, not a file`);
  const probe = join(dirname(path), `.${basename(path)}.${process.pid}.probe`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    throw new SpecError(option, `cannot write ${path}: ${(error as Error).message}`);
  }
}
