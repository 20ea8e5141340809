/**
 * Writing files whole or not at all, and checking up front that they can be written: the one
 * module that writes files. Everything is first written under a temporary name that starts with
 * TEMPORARY and names the writing process, beside where it goes, then renamed into place, as the
 * Python runner's files.py does.
 */

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

import { SpecError } from "./errors.js";

/** The project's one JSON file format: two-space indent, UTF-8 as is, a final newline. */
export function jsonText(document: unknown): string {
  return JSON.stringify(document, null, 2) + "\n";
}

/**
 * Create folder and its missing parents, one mkdir each. Not mkdirSync's `recursive`:
 * where mkdir fails with ENOENT though the parent exists (under /proc), Node's
 * recursive mkdir retries forever; here it fails at once.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let current = resolve(folder); !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Made meanwhile by someone else: as good.
      if (!((error as NodeJS.ErrnoException).code === "EEXIST" && statSync(path).isDirectory())) throw error;
    }
  }
}

export const TEMPORARY = ".checkpoint-spec-tmp-";

/** A fresh name beside path to write under before the rename: TEMPORARY, the name, .PID.RANDOM. */
function temporaryBeside(path: string): string {
  return join(dirname(path), `${TEMPORARY}${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}`);
}

/** Replace path with text in one step, so an interrupted run never leaves half a file. */
export function writeTextAtomically(path: string, text: string): void {
  makeFolders(dirname(path));
  const temporary = temporaryBeside(path);
  try {
    writeFileSync(temporary, text, { encoding: "utf-8", flag: "wx" });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function writeJsonAtomically(path: string, document: unknown): void {
  writeTextAtomically(path, jsonText(document));
}

/** Fail before any work when path cannot be written, naming the option that gave it. */
export function checkWritable(path: string, option: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new SpecError(option, `${path} is a folder, not a file`);
  // Replacing a device or a pipe (/dev/null) by the report would be worse than failing.
  if (existsSync(path) && !statSync(path).isFile()) throw new SpecError(option, `${path} is not a regular file`);
  const probe = temporaryBeside(path);
  try {
    makeFolders(dirname(path));
    writeFileSync(probe, "", { flag: "wx" });
    rmSync(probe, { force: true });
  } catch (error) {
    throw new SpecError(option, `cannot write ${path}: ${(error as Error).message}`);
  }
}
