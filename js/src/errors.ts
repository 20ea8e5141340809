/** Errors that the command line reports as one clear line, never a stack trace. */

/** Bad input: names the file (or option) and the JSON pointer of the problem. */
export class SpecError extends Error {
  readonly where: string;
  readonly pointer: string | null;
  readonly problem: string;

  constructor(where: string, message: string, pointer: string | null = null) {
    super(pointer === null ? `${where}: ${message}` : `${where}#${pointer}: ${message}`);
    this.name = "SpecError";
    this.where = where;
    this.pointer = pointer;
    this.problem = message;
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
