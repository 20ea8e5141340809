/** Errors that the command line reports as one clear line, never a stack trace. */

import type { LintRule } from "./lint-rules.js";

// Control characters, line separators and lone surrogates: what would break or garble a one-line report.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text from a file made safe for one line of a report: the unprintable as \uXXXX escapes. */
export function oneLine(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Bad input: names the file (or option) and the JSON pointer of the problem, and the lint rule it breaks, on one line. */
export class SpecError extends Error {
  readonly where: string;
  readonly pointer: string | null;
  readonly problem: string;
  /** A spec file's problem names its lint rule (spec/README.md 7.3); an option's problem has none. */
  readonly rule: LintRule | null;

  constructor(where: string, message: string, pointer: string | null = null, rule: LintRule | null = null) {
    const location = pointer === null ? where : `${where}#${pointer}`;
    super(oneLine(`${location}: ${message}${rule === null ? "" : ` [${rule}]`}`));
    this.name = "SpecError";
    this.where = where;
    this.pointer = pointer;
    this.problem = message;
    this.rule = rule;
  }
}

/** A target that cannot be named, imported or built. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetError";
  }
}

/** A thrown value as one readable line, `<ErrorName>: <message>`, never empty. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- a subclass may set message to anything
    const message = String(error.message).replace(/\s+/g, " ").trim();
    return `${error.name || "Error"}: ${message === "" ? "(no message)" : message}`;
  }
  let text: string;
  try {
    text = String(error);
  } catch {
    text = "";
  }
  return `thrown ${typeof error}: ${text === "" ? "(nothing to show)" : text}`;
}
