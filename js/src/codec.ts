/**
 * The typed-value codec of spec/README.md section 2.1.
 *
 * Encoding turns a native value into its single canonical JSON spelling;
 * decoding turns case JSON (already free of references) into native values.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER; // 2^53 - 1
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

export const TYPED_TAGS: ReadonlySet<string> = new Set(["$bytes", "$int", "$float", "$datetime", "$tuple", "$object", "$opaque"]);
export const REFERENCE_TAGS: ReadonlySet<string> = new Set(["$fixture", "$ref", "$merge"]);
export const MATCHER_TAGS: ReadonlySet<string> = new Set(["$any", "$type", "$regex", "$gt", "$not", "$partial", "$unordered"]);
export const ALL_TAGS: ReadonlySet<string> = new Set([...TYPED_TAGS, ...REFERENCE_TAGS, ...MATCHER_TAGS]);
/** Tags whose payload is an object with literal member names: never read as a tag, `$` names allowed. */
export const LITERAL_NAME_TAGS: ReadonlySet<string> = new Set(["$object", "$partial"]);

export const FLOAT_NAMES = ["NaN", "Infinity", "-Infinity", "-0.0"] as const;
const SPECIAL_FLOATS: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0.0": -0 };

/** A plain object (an object literal or Object.create(null)), not an array, class instance or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The tag name when value is a tag object (one member, named with `$`). */
export function tagOf(value: unknown): string | null {
  if (!isPlainObject(value)) return null;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0]!.startsWith("$")) return keys[0]!;
  return null;
}

/** A plain object built from entries with own data properties only (safe for "__proto__"). */
export function objectFrom(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** A tagged value whose payload is malformed. */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodecError";
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, strictly: the same texts Python's b64decode(validate=True) accepts. */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?)?$/;

// spec/README.md section 2.1: $int text, and the one $datetime spelling.
export const INT_TEXT = /^-?(0|[1-9][0-9]{0,999})$/;
const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether text is $datetime text: the form, a real calendar date and time, an offset under 24 hours. */
export function isDatetimeText(text: string): boolean {
  return DATETIME_TEXT.test(text) && parseDatetime(text)?.micros != null;
}

export interface ParsedDatetime {
  /** Microseconds since the Unix epoch, counting the offset; null when the text has no offset. */
  readonly micros: number | null;
  /** Microseconds since the epoch of the wall-clock time, ignoring any offset. */
  readonly local: number;
}

/** ISO 8601 date and time (RFC 3339 and the extended forms Python's fromisoformat reads), or null. */
export function parseDatetime(text: string): ParsedDatetime | null {
  const m = DATETIME.exec(text);
  if (m === null) return null;
  const local = wallClockMicros(m);
  if (local === null) return null;
  if (m[8] !== undefined) return { micros: local, local };
  if (m[9] === undefined) return { micros: null, local };
  const offset = offsetMicros(m);
  if (offset === null) return null;
  return { micros: local - (m[9] === "-" ? -offset : offset), local };
}

/** Microseconds since the epoch of the match's wall-clock date and time, or null when it is no real one. */
function wallClockMicros(m: RegExpExecArray): number | null {
  const [year, month, day, hour] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const fraction = Number(((m[7] ?? "") + "000000").slice(0, 6));
  // Year 0 as Python's datetime: out of range.
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > daysInMonth(year, month)) return null;
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, 0);
  return wall.getTime() * 1000 + fraction;
}

/** The match's numeric UTC offset in microseconds (unsigned), or null when a part is out of range. */
function offsetMicros(m: RegExpExecArray): number | null {
  const offHours = Number(m[10]);
  const offMinutes = Number(m[11]);
  const offSeconds = Number(m[12] ?? 0);
  const offMicros = Number(((m[13] ?? "") + "000000").slice(0, 6));
  if (offHours > 23 || offMinutes > 59 || offSeconds > 59) return null;
  return ((offHours * 60 + offMinutes) * 60 + offSeconds) * 1_000_000 + offMicros;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Case JSON to a native TypeScript value. */
export function decode(value: unknown): unknown {
  const tag = tagOf(value);
  if (tag !== null) return decodeTagged(tag, (value as Record<string, unknown>)[tag]);
  if (Array.isArray(value)) return value.map(decode);
  if (isPlainObject(value)) return objectFrom(Object.entries(value).map(([key, item]) => [key, decode(item)]));
  // A plain number is never negative zero (JSON.parse reads -0 and -0.0 so); that is {"$float": "-0.0"}.
  if (Object.is(value, -0)) return 0;
  return value;
}

/** The native value of the tag object {tag: payload}. */
function decodeTagged(tag: string, payload: unknown): unknown {
  switch (tag) {
    case "$bytes":
    case "$int":
    case "$float":
    case "$datetime":
      return decodeLiteral(tag, payload);
    case "$tuple":
      if (!Array.isArray(payload)) throw new CodecError("$tuple takes an array");
      return payload.map(decode);
    case "$object":
      if (!isPlainObject(payload)) throw new CodecError("$object takes an object");
      return objectFrom(Object.entries(payload).map(([key, item]) => [key, decode(item)]));
    default:
      throw new CodecError(`${tag} cannot be decoded into an argument`);
  }
}

/** The native value of a $bytes, $int, $float or $datetime payload. */
function decodeLiteral(tag: "$bytes" | "$int" | "$float" | "$datetime", payload: unknown): unknown {
  switch (tag) {
    case "$bytes":
      if (typeof payload !== "string" || !isBase64(payload)) throw new CodecError("$bytes takes standard base64 text");
      return new Uint8Array(Buffer.from(payload, "base64"));
    case "$int":
      if (typeof payload !== "string" || !INT_TEXT.test(payload)) throw new CodecError("$int takes decimal text of at most 1000 digits");
      return BigInt(payload);
    case "$float":
      if (typeof payload !== "string" || !(payload in SPECIAL_FLOATS)) {
        throw new CodecError(`$float takes NaN, Infinity, -Infinity or -0.0, not ${JSON.stringify(payload)}`);
      }
      return SPECIAL_FLOATS[payload];
    case "$datetime": {
      const parsed = typeof payload === "string" && isDatetimeText(payload) ? parseDatetime(payload) : null;
      if (parsed?.micros == null) throw new CodecError(`$datetime takes ISO 8601 text with a UTC offset, not ${JSON.stringify(payload).slice(0, 60)}`);
      return new Date(Math.floor(parsed.micros / 1000));
    }
  }
}

function typeName(value: unknown): string {
  if (typeof value === "object" && value !== null) {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "Object";
  }
  if (typeof value === "function") return "Function";
  return typeof value;
}

/**
 * A native TypeScript value to its canonical JSON spelling.
 *
 * `undefined` is spelled as JSON.stringify would: an object member whose value
 * is undefined is left out, and undefined anywhere else is `null`.
 */
export function encode(value: unknown): Json {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      return encodeFloat(value);
    case "bigint":
      return encodeInt(value);
    case "object":
      return encodeObject(value);
    default:
      return { $opaque: typeName(value) };
  }
}

function encodeInt(value: bigint): Json {
  if (value >= -MAX_SAFE_BIGINT && value <= MAX_SAFE_BIGINT) return Number(value);
  return { $int: value.toString() };
}

/** A number: every one is a double, as a Python float is. */
function encodeFloat(value: number): Json {
  if (Number.isNaN(value)) return { $float: "NaN" };
  if (value === Infinity) return { $float: "Infinity" };
  if (value === -Infinity) return { $float: "-Infinity" };
  if (Object.is(value, -0)) return { $float: "-0.0" };
  return value;
}

function encodeObject(value: object): Json {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { $opaque: "Date" } : { $datetime: value.toISOString() };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value instanceof Map || isPlainObject(value)) return encodeMapping(value);
  return { $opaque: typeName(value) };
}

function encodeMapping(value: Map<unknown, unknown> | Record<string, unknown>): Json {
  let entries: [string, unknown][];
  if (value instanceof Map) {
    const keys = [...value.keys()];
    if (!keys.every((key) => typeof key === "string")) return { $opaque: "Map" };
    entries = [...(value as Map<string, unknown>).entries()];
  } else {
    entries = Object.entries(value);
  }
  const encoded = Object.fromEntries(
    entries.filter(([, item]) => item !== undefined).map(([key, item]) => [key, encode(item)]),
  ) as Record<string, Json>;
  if (Object.keys(encoded).some((key) => key.startsWith("$"))) return { $object: encoded };
  return encoded;
}
