/**
 * Spec files as JSON text (spec/README.md section 1.1): the bytes of a file to its
 * document, or one problem with its place, found before any recursive code sees it.
 *
 * JSON.parse builds the document; it neither says where a text is not JSON nor
 * keeps a number's spelling, so one iterative scan of the text checks the grammar
 * (with the line and column of the first error) and rules 3 to 5 (with the JSON
 * pointer of the first value that breaks one, in document order).
 */

import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";

import { SpecError } from "./errors.js";

/** Arrays and objects nest at most this deep; the outermost value is at depth 1 (rule 5). */
export const MAX_DEPTH = 100;
export const TOO_DEEP = `arrays and objects nest more than ${MAX_DEPTH} deep (spec/README.md 1.1)`;
const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
/** spec/protocol.md: a message's integer literals may be of any size up to this many digits. */
export const MAX_MESSAGE_DIGITS = 1000;

export function escapeToken(token: string | number): string {
  return String(token).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** A spec file's document under the rules of section 1.1; throws SpecError naming the file and the place. */
export function readJson(path: string): unknown {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new SpecError(path, `cannot read: ${code}`, null, "json-reading");
  }
  return parseJson(decodeUtf8(raw, path), path);
}

/** The bytes as UTF-8 text (rule 1), a byte order mark kept for parseJson to reject. */
export function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const prefix = new TextDecoder("utf-8").decode(bytes.subarray(0, firstInvalidUtf8(bytes)));
    throw new SpecError(where, `is not UTF-8 text: an invalid byte sequence ${lineColumn(prefix, prefix.length)}`, null, "json-reading");
  }
}

/**
 * The document of a spec file's text, or SpecError naming where and the pointer (or line and column) of the problem.
 * A `message` (spec/protocol.md) may hold integer literals outside ±(2^53-1), up to 1000 digits.
 */
export function parseJson(text: string, where: string, message = false): unknown {
  if (text.startsWith("\ufeff")) throw new SpecError(where, "begins with a byte order mark (spec/README.md 1.1)", null, "json-reading");
  const found = scan(text, message);
  if (found.syntax !== null) throw new SpecError(where, `not JSON: ${found.syntax.reason} ${lineColumn(text, found.syntax.offset)}`, null, "json-reading");
  if (found.problem !== null) throw new SpecError(where, found.problem.message, found.problem.pointer, "json-reading");
  return JSON.parse(text) as unknown;
}

/** The offset where the first invalid UTF-8 sequence starts (there is one: the caller saw the decoder fail). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  // Valid text cut where a character starts (at a byte that is no continuation byte) is valid text: the
  // longest such prefix is found by halving, then the decoder, fed byte by byte, finds the error within it.
  const starts = (at: number): boolean => at === bytes.length || (bytes[at]! & 0xc0) !== 0x80;
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    let middle = Math.ceil((low + high) / 2);
    while (middle > low && !starts(middle)) middle -= 1;
    if (middle === low) break;
    if (isUtf8(bytes.subarray(0, middle))) low = middle;
    else high = middle - 1;
  }
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let boundary = low;
  for (let index = low; index < bytes.length; index += 1) {
    try {
      if (decoder.decode(bytes.subarray(index, index + 1), { stream: true }).length > 0) boundary = index + 1;
    } catch {
      return boundary;
    }
  }
  return boundary;
}

/** "at line L column C" of a UTF-16 offset: lines end at \n (as Python's json counts them), columns count characters, both from 1. */
export function lineColumn(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < start; index = text.indexOf("\n", index + 1)) line += 1;
  let column = 1;
  for (let index = start; index < offset; index += 1) {
    const unit = text.charCodeAt(index);
    // The second half of a surrogate pair is part of the character before it.
    if (!(unit >= 0xdc00 && unit <= 0xdfff && index > start && isHighSurrogate(text.charCodeAt(index - 1)))) column += 1;
  }
  return `at line ${line} column ${column}`;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** What rule 4 says of a number literal (null: nothing); a message's integers may have up to 1000 digits. */
function numberProblem(token: string, integer: boolean, message: boolean): string | null {
  if (!integer) {
    const sign = token.startsWith("-") ? "-" : "";
    return Number.isFinite(Number(token)) ? null : `number is not a finite double; in a value write {"$float": "${sign}Infinity"}`;
  }
  const magnitude = token.replace("-", "");
  if (message) return magnitude.length > MAX_MESSAGE_DIGITS ? `integer literal of more than ${MAX_MESSAGE_DIGITS} digits` : null;
  // Sixteen digits or fewer convert exactly enough to compare; more are beyond 2^53 - 1.
  if (magnitude.length > 16 || Number(magnitude) > MAX_SAFE_INTEGER) return 'integer literal outside ±(2^53-1); in a value write {"$int": "..."}';
  return null;
}

interface Scanned {
  /** Where the text stops being JSON (RFC 8259), as a UTF-16 offset. */
  readonly syntax: { readonly offset: number; readonly reason: string } | null;
  /** The first value, in document order, that breaks rule 3, 4 or 5 (only meaningful when syntax is null). */
  readonly problem: { readonly pointer: string; readonly message: string } | null;
}

type Frame = { array: true; index: number } | { array: false; keyStart: number; keyEnd: number };
type State = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "comma-or-close" | "end";

class NotJson extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const SIMPLE_ESCAPES = new Set('"\\/bfnrt');
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** One pass over text: its first syntax error, else its first rule 3-5 problem. */
export function scan(text: string, message = false): Scanned {
  const stack: Frame[] = [];
  let problem: Scanned["problem"] = null;
  /** The pointer of the value the frames up to `frames` lead to. */
  const pointer = (frames: number): string =>
    stack
      .slice(0, frames)
      .map((frame) => "/" + (frame.array ? String(frame.index) : escapeToken(JSON.parse(text.slice(frame.keyStart, frame.keyEnd)) as string)))
      .join("");
  const note = (message: string, frames = stack.length): void => {
    problem ??= { pointer: pointer(frames), message };
  };

  /** The end of the string at start, and whether it holds a lone surrogate (rule 3). */
  const string = (start: number): { end: number; lone: boolean } => {
    let index = start + 1;
    let escapedUnicode = false;
    for (;;) {
      if (index >= text.length) throw new NotJson(start, "unterminated string");
      const unit = text.charCodeAt(index);
      if (unit === 0x22) break;
      if (unit === 0x5c) {
        const escaped = text[index + 1] ?? "";
        if (escaped === "u") {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(index + 2, index + 6))) throw new NotJson(index, "invalid \\u escape");
          escapedUnicode = true;
          index += 6;
        } else if (SIMPLE_ESCAPES.has(escaped)) {
          index += 2;
        } else {
          throw new NotJson(index, "invalid escape");
        }
        continue;
      }
      if (unit < 0x20) throw new NotJson(index, "control character in a string");
      index += 1;
    }
    // A text decoded from UTF-8 holds no lone surrogate: only a \u escape can make one.
    const lone = escapedUnicode && problem === null && !(JSON.parse(text.slice(start, index + 1)) as string).isWellFormed();
    return { end: index + 1, lone };
  };
  const LONE = "holds a lone surrogate (spec/README.md 1.1)";

  const number = (start: number): number => {
    let index = start;
    const isDigit = (at: number): boolean => text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39;
    const digits = (): void => {
      if (!isDigit(index)) throw new NotJson(index, "invalid number");
      while (isDigit(index)) index += 1;
    };
    if (text[index] === "-") index += 1;
    if (text[index] === "0") index += 1;
    else digits();
    const integerEnd = index;
    if (text[index] === ".") {
      index += 1;
      digits();
    }
    if (text[index] === "e" || text[index] === "E") {
      index += 1;
      if (text[index] === "+" || text[index] === "-") index += 1;
      digits();
    }
    if (problem === null) {
      const found = numberProblem(text.slice(start, index), integerEnd === index, message);
      if (found !== null) note(found);
    }
    return index;
  };

  let state: State = "value";
  let index = 0;
  const afterValue = (): State => (stack.length === 0 ? "end" : "comma-or-close");
  const open = (frame: Frame): void => {
    if (stack.length >= MAX_DEPTH) note(TOO_DEEP);
    stack.push(frame);
  };
  /** In state value or value-or-close: the value that starts at index (or the `]` that may close), and the state after it. */
  const valueToken = (char: string, orClose: boolean): State => {
    if (char === "]" && orClose) {
      stack.pop();
      index += 1;
      return afterValue();
    }
    if (char === "{") {
      open({ array: false, keyStart: 0, keyEnd: 0 });
      index += 1;
      return "key-or-close";
    }
    if (char === "[") {
      open({ array: true, index: 0 });
      index += 1;
      return "value-or-close";
    }
    if (char === '"') {
      const { end, lone } = string(index);
      if (lone) note(`string ${LONE}`);
      index = end;
      return afterValue();
    }
    if (char === "-" || (char >= "0" && char <= "9")) {
      index = number(index);
      return afterValue();
    }
    const literal = ["true", "false", "null"].find((word) => text.startsWith(word, index));
    if (literal === undefined) throw new NotJson(index, "expected a value");
    index += literal.length;
    return afterValue();
  };
  /** In state key or key-or-close: the member name at index (or the `}` that may close), and the state after it. */
  const keyToken = (char: string, orClose: boolean, top: Frame | undefined): State => {
    if (char === "}" && orClose) {
      stack.pop();
      index += 1;
      return afterValue();
    }
    if (char !== '"') throw new NotJson(index, "expected a member name in double quotes");
    const frame = top as Extract<Frame, { array: false }>;
    const { end, lone } = string(index);
    // The object's pointer: one naming the member would carry the surrogate into the message.
    if (lone) note(`a member name ${LONE}`, stack.length - 1);
    frame.keyStart = index;
    frame.keyEnd = end;
    index = end;
    return "colon";
  };
  /** In state comma-or-close: the `,` or the closing bracket of top, and the state after it. */
  const commaOrClose = (char: string, top: Frame): State => {
    const close = top.array ? "]" : "}";
    if (char === close) {
      stack.pop();
      index += 1;
      return afterValue();
    }
    if (char !== ",") throw new NotJson(index, `expected ',' or '${close}'`);
    if (top.array) top.index += 1;
    index += 1;
    return top.array ? "value" : "key";
  };
  /** The token at index in the given state, and the state after it. */
  const token = (char: string, current: State): State => {
    const top = stack[stack.length - 1];
    if (current === "value" || current === "value-or-close") return valueToken(char, current === "value-or-close");
    if (current === "key" || current === "key-or-close") return keyToken(char, current === "key-or-close", top);
    if (current === "colon") {
      if (char !== ":") throw new NotJson(index, "expected ':' after a member name");
      index += 1;
      return "value";
    }
    if (current === "comma-or-close") return commaOrClose(char, top!);
    throw new NotJson(index, "unexpected text after the JSON value");
  };
  try {
    for (;;) {
      while (index < text.length && WHITESPACE.has(text.charCodeAt(index))) index += 1;
      if (index >= text.length) {
        if (state === "end") break;
        throw new NotJson(index, "unexpected end of text");
      }
      state = token(text[index]!, state);
    }
  } catch (error) {
    if (error instanceof NotJson) return { syntax: { offset: error.offset, reason: error.reason }, problem: null };
    throw error;
  }
  return { syntax: null, problem };
}

/** The pointer of the first array or object, in document order, deeper than MAX_DEPTH in a parsed value; null when none. */
export function tooDeep(value: unknown): string | null {
  const pending: [unknown, string, number][] = [[value, "", 1]];
  while (pending.length > 0) {
    const [item, at, depth] = pending.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth > MAX_DEPTH) return at;
    const children = Array.isArray(item)
      ? item.map((child, index): [unknown, string, number] => [child, `${at}/${index}`, depth + 1])
      : Object.entries(item).map(([key, child]): [unknown, string, number] => [child, `${at}/${escapeToken(key)}`, depth + 1]);
    // Reversed onto the stack, so they come off in document order.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index]!);
  }
  return null;
}
