/** Matching an observed canonical value against a pattern (spec/README.md section 5). */

import { CodecError, MATCHER_TAGS, TYPED_TAGS, decode, isPlainObject, parseDatetime, tagOf } from "./codec.js";
import { fullMatch } from "./regex-subset.js";

/** The kind of a mark (spec/README.md 5.1): how a value and its pattern part at one place. */
export type MismatchKind = "value" | "type" | "missing" | "extra";

/** One place where a value and its pattern part: where, why (for people) and the mark's kind (5.1). */
export interface Mismatch {
  readonly pointer: string;
  readonly reason: string;
  readonly kind: MismatchKind;
}

function mismatch(pointer: string, reason: string, kind: MismatchKind = "value"): Mismatch {
  return { pointer, reason, kind };
}

export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

function show(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

const TYPE_OF_TAG: Record<string, string> = {
  $bytes: "bytes",
  $int: "integer",
  $float: "number",
  $datetime: "datetime",
  $tuple: "tuple",
  $object: "object",
  $opaque: "opaque",
};

export function typeName(value: unknown): string {
  const tag = tagOf(value);
  if (tag !== null && TYPED_TAGS.has(tag)) return TYPE_OF_TAG[tag]!;
  if (value === null) return "null";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) return "array";
  return "object";
}

function hasType(value: unknown, wanted: string): boolean {
  const actual = typeName(value);
  if (wanted === "number") return actual === "integer" || actual === "number";
  return actual === wanted;
}

/** Compare strings by Unicode code point (not UTF-16 code unit). */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const x = left[i]!.codePointAt(0)!;
    const y = right[i]!.codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}

function sameTyped(tag: string, pattern: Record<string, unknown>, value: unknown, pointer: string): Mismatch[] {
  if (tagOf(value) !== tag) return [mismatch(pointer, `expected a ${tag} value, observed ${typeName(value)}`, "type")];
  const want = pattern[tag];
  const got = (value as Record<string, unknown>)[tag];
  // Pointers walk through the wrapper literally: the first item of a $tuple at /x is /x/$tuple/0.
  const inner = childPointer(pointer, tag);
  if (tag === "$tuple") return marks(want, got, inner);
  // Member names inside $object are literal, even those that would read as tags.
  if (tag === "$object") return members(want as Record<string, unknown>, got, inner, false, true);
  if (tag === "$datetime" && typeof want === "string" && typeof got === "string") {
    const wantAt = parseDatetime(want)?.micros ?? null;
    const gotAt = parseDatetime(got)?.micros ?? null;
    if (wantAt !== null && gotAt !== null) {
      return wantAt === gotAt ? [] : [mismatch(pointer, `datetime ${got} is not ${want}`)];
    }
  }
  return want === got ? [] : [mismatch(pointer, `${tag} ${show(got)} is not ${show(want)}`)];
}

/** The number a value denotes, plain or typed (`$int` as a bigint, `$float`); null for anything else (booleans too). */
function numeric(value: unknown): number | bigint | null {
  if (typeof value === "number") return value;
  const tag = tagOf(value);
  if (tag !== "$int" && tag !== "$float") return null;
  try {
    return decode(value) as number | bigint;
  } catch (error) {
    if (error instanceof CodecError) return null;
    throw error;
  }
}

function compareGt(value: unknown, bound: unknown): boolean {
  const number = numeric(value);
  const limit = numeric(bound);
  // Exact across bigint and number; nothing is greater than NaN, and NaN is greater than nothing.
  if (number !== null && limit !== null) return number > limit;
  if (typeof value === "string" && typeof bound === "string") return compareCodePoints(value, bound) > 0;
  return false;
}

function unordered(patterns: unknown[], values: unknown, pointer: string): Mismatch[] {
  if (!Array.isArray(values)) return [mismatch(pointer, `expected an array, observed ${typeName(values)}`, "type")];
  if (values.length !== patterns.length) {
    return [mismatch(pointer, `expected ${patterns.length} items, observed ${values.length}`)];
  }
  const fits = patterns.map((p) => values.map((v) => match(p, v, "") === null));
  const taken = new Map<number, number>(); // value slot -> pattern index

  // Augmenting path for a bipartite matching: patterns to values.
  const assign = (index: number, seen: Set<number>): boolean => {
    const row = fits[index]!;
    for (let slot = 0; slot < row.length; slot += 1) {
      if (row[slot] && !seen.has(slot)) {
        seen.add(slot);
        const holder = taken.get(slot);
        if (holder === undefined || assign(holder, seen)) {
          taken.set(slot, index);
          return true;
        }
      }
    }
    return false;
  };

  for (let index = 0; index < patterns.length; index += 1) {
    // The pairing is not unique, so no place inside is named (5.1 rule 4).
    if (!assign(index, new Set())) return [mismatch(pointer, `no item matches pattern ${index} in any order`)];
  }
  return [];
}

/** A value's kind (spec/README.md 5.1): its tag for a typed value, else its JSON type. */
export function kindOf(value: unknown): string {
  const tag = tagOf(value);
  if (tag !== null && TYPED_TAGS.has(tag)) return tag;
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

/** null when value matches pattern, else the first place they part: the first of marks(). */
export function match(pattern: unknown, value: unknown, pointer = ""): Mismatch | null {
  return marks(pattern, value, pointer)[0] ?? null;
}

/** Every place where value and pattern part (spec/README.md 5.1), in the order the rules give. */
export function marks(pattern: unknown, value: unknown, pointer = ""): Mismatch[] {
  const tag = tagOf(pattern);
  if (tag !== null && MATCHER_TAGS.has(tag)) return matcherMarks(tag, (pattern as Record<string, unknown>)[tag], value, pointer);
  if (tag !== null && TYPED_TAGS.has(tag)) return sameTyped(tag, pattern as Record<string, unknown>, value, pointer);
  const valueTag = tagOf(value);
  if (valueTag !== null && TYPED_TAGS.has(valueTag)) {
    return [mismatch(pointer, `expected ${show(pattern)}, observed ${show(value)}`, "type")];
  }
  if (pattern === null || typeof pattern === "number" || typeof pattern === "boolean" || typeof pattern === "string") {
    return scalarMarks(pattern, value, pointer);
  }
  if (Array.isArray(pattern)) return arrayMarks(pattern, value, pointer);
  return members(pattern as Record<string, unknown>, value, pointer, false);
}

/** The marks of a matcher pattern {tag: arg}. */
function matcherMarks(tag: string, arg: unknown, value: unknown, pointer: string): Mismatch[] {
  switch (tag) {
    case "$any":
      return [];
    case "$type":
      return hasType(value, arg as string)
        ? []
        : [mismatch(pointer, `expected type ${String(arg)}, observed ${typeName(value)}`, "type")];
    case "$regex":
      if (typeof value === "string" && fullMatch(arg as string, value)) return [];
      return [mismatch(pointer, `${show(value)} does not match /${String(arg)}/`)];
    case "$gt":
      return compareGt(value, arg) ? [] : [mismatch(pointer, `${show(value)} is not greater than ${show(arg)}`)];
    case "$not":
      return match(arg, value) === null ? [mismatch(pointer, `${show(value)} matches what it must not`)] : [];
    case "$partial":
      return members(arg as Record<string, unknown>, value, pointer, true);
    default:
      return unordered(arg as unknown[], value, pointer);
  }
}

/** The marks of a null, boolean, number or string pattern. */
function scalarMarks(pattern: null | number | boolean | string, value: unknown, pointer: string): Mismatch[] {
  // A number matches a number of the same value (1 matches 1.0); the rest only the same value.
  if (value === pattern) return [];
  const kind = kindOf(value) === kindOf(pattern) ? "value" : "type";
  return [mismatch(pointer, `expected ${show(pattern)}, observed ${show(value)}`, kind)];
}

/** The marks of an array pattern: item by item, then the missing items, then the extra ones. */
function arrayMarks(pattern: unknown[], value: unknown, pointer: string): Mismatch[] {
  if (!Array.isArray(value)) return [mismatch(pointer, `expected an array, observed ${typeName(value)}`, "type")];
  const found: Mismatch[] = [];
  const both = Math.min(pattern.length, value.length);
  for (let index = 0; index < both; index += 1) found.push(...marks(pattern[index], value[index], childPointer(pointer, index)));
  for (let index = value.length; index < pattern.length; index += 1) {
    found.push(mismatch(childPointer(pointer, index), `missing (expected ${pattern.length} items)`, "missing"));
  }
  for (let index = pattern.length; index < value.length; index += 1) {
    found.push(mismatch(childPointer(pointer, index), `unexpected item (expected ${pattern.length})`, "extra"));
  }
  return found;
}

function members(
  pattern: Record<string, unknown>,
  value: unknown,
  pointer: string,
  partial: boolean,
  literal = false,
): Mismatch[] {
  if (!isPlainObject(value) || (tagOf(value) !== null && !literal)) {
    return [mismatch(pointer, `expected an object, observed ${typeName(value)}`, "type")];
  }
  const found: Mismatch[] = [];
  // One walk over the names in code point order (5.1), so the first mark does not depend on how a language orders keys.
  const names = new Set(Object.keys(pattern));
  if (!partial) for (const key of Object.keys(value)) names.add(key);
  for (const key of [...names].sort(compareCodePoints)) {
    if (!Object.hasOwn(pattern, key)) found.push(mismatch(childPointer(pointer, key), "unexpected member", "extra"));
    else if (!Object.hasOwn(value, key)) found.push(mismatch(childPointer(pointer, key), "missing", "missing"));
    else found.push(...marks(pattern[key], value[key], childPointer(pointer, key)));
  }
  return found;
}
