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
