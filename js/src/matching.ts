/** Matching an observed canonical value against a pattern (spec/README.md section 5). */

import { MATCHER_TAGS, TYPED_TAGS, isPlainObject, parseDatetime, tagOf } from "./codec.js";

export interface Mismatch {
  readonly pointer: string;
  readonly reason: string;
}

function mismatch(pointer: string, reason: string): Mismatch {
  return { pointer, reason };
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
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const x = left[i]!.codePointAt(0)!;
    const y = right[i]!.codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}

function sameTyped(tag: string, pattern: Record<string, unknown>, value: unknown, pointer: string): Mismatch | null {
  if (tagOf(value) !== tag) return mismatch(pointer, `expected a ${tag} value, observed ${typeName(value)}`);
  const want = pattern[tag];
  const got = (value as Record<string, unknown>)[tag];
  if (tag === "$datetime" && typeof want === "string" && typeof got === "string") {
    const wantAt = parseDatetime(want)?.micros ?? null;
    const gotAt = parseDatetime(got)?.micros ?? null;
    if (wantAt !== null && gotAt !== null) {
      return wantAt === gotAt ? null : mismatch(pointer, `datetime ${got} is not ${want}`);
    }
  }
  if (tag === "$tuple") return match(want, got, pointer);
  // Member names inside $object are literal, even those that would read as tags.
  if (tag === "$object") return members(want as Record<string, unknown>, got, pointer, false, true);
  return want === got ? null : mismatch(pointer, `${tag} ${show(got)} is not ${show(want)}`);
}

function compareGt(value: unknown, bound: unknown): boolean {
  if (typeof value === "number" && typeof bound === "number") return value > bound;
  if (typeof value === "string" && typeof bound === "string") return compareCodePoints(value, bound) > 0;
  return false;
}

function unordered(patterns: unknown[], values: unknown, pointer: string): Mismatch | null {
  if (!Array.isArray(values)) return mismatch(pointer, `expected an array, observed ${typeName(values)}`);
  if (values.length !== patterns.length) {
    return mismatch(pointer, `expected ${patterns.length} items, observed ${values.length}`);
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
    if (!assign(index, new Set())) return mismatch(pointer, `no item matches pattern ${index} in any order`);
  }
  return null;
}

/** spec/README.md section 2.3: \d and \w are ASCII, and . matches any character ("su"). */
export const REGEX_FLAGS = "su";
const REGEX_ESCAPES = new Set("dDwWnrt\\.[](){}*+?|^$/");
const QUANTIFIER = /^\{[0-9]+(,[0-9]*)?\}/;

/** Why pattern is outside the subset of spec/README.md section 2.3, or null. */
export function regexProblem(pattern: string): string | null {
  let index = 0;
  let inClass = false;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === "\\") {
      const escaped = pattern.slice(index + 1, index + 2);
      if (escaped === "" || !REGEX_ESCAPES.has(escaped)) return `the escape \\${escaped} is not in the common subset`;
      index += 2;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      else if (char === "[") return "a [ inside a character class must be escaped";
    } else if (char === "[") {
      if (pattern.slice(index + 1, index + 2) === "]" || pattern.slice(index + 1, index + 3) === "^]") {
        return "an empty character class, or one starting with ], is not in the common subset";
      }
      inClass = true;
    } else if (char === "(" && pattern.startsWith("(?", index) && !pattern.startsWith("(?:", index)) {
      return "only plain ( ) and (?: ) groups are in the common subset";
    } else if (char === "{") {
      const quantifier = QUANTIFIER.exec(pattern.slice(index));
      if (quantifier === null) return "a { that does not start a {n}, {n,} or {n,m} quantifier must be escaped";
      index += quantifier[0].length;
      continue;
    } else if (char === "}" || char === "]") {
      return `a lone ${char} must be escaped`;
    }
    index += 1;
  }
  return inClass ? "a character class is not closed" : null;
}

function regexMatches(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, REGEX_FLAGS).test(value);
}

/** null when value matches pattern, else the first place they part. */
export function match(pattern: unknown, value: unknown, pointer = ""): Mismatch | null {
  const tag = tagOf(pattern);
  if (tag !== null && MATCHER_TAGS.has(tag)) {
    const arg = (pattern as Record<string, unknown>)[tag];
    switch (tag) {
      case "$any":
        return null;
      case "$type":
        return hasType(value, arg as string)
          ? null
          : mismatch(pointer, `expected type ${String(arg)}, observed ${typeName(value)}`);
      case "$regex":
        if (typeof value === "string" && regexMatches(arg as string, value)) return null;
        return mismatch(pointer, `${show(value)} does not match /${String(arg)}/`);
      case "$gt":
        return compareGt(value, arg) ? null : mismatch(pointer, `${show(value)} is not greater than ${show(arg)}`);
      case "$not":
        return match(arg, value, pointer) === null ? mismatch(pointer, `${show(value)} matches what it must not`) : null;
      case "$partial":
        return members(arg as Record<string, unknown>, value, pointer, true);
      default:
        return unordered(arg as unknown[], value, pointer);
    }
  }
  if (tag !== null && TYPED_TAGS.has(tag)) return sameTyped(tag, pattern as Record<string, unknown>, value, pointer);
  const valueTag = tagOf(value);
  if (valueTag !== null && TYPED_TAGS.has(valueTag)) {
    return mismatch(pointer, `expected ${show(pattern)}, observed ${show(value)}`);
  }
  if (typeof pattern === "number") {
    if (typeof value === "number" && value === pattern) return null;
    return mismatch(pointer, `expected ${show(pattern)}, observed ${show(value)}`);
  }
  if (pattern === null || typeof pattern === "boolean" || typeof pattern === "string") {
    if (value === pattern) return null;
    return mismatch(pointer, `expected ${show(pattern)}, observed ${show(value)}`);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return mismatch(pointer, `expected an array, observed ${typeName(value)}`);
    if (value.length !== pattern.length) {
      return mismatch(pointer, `expected ${pattern.length} items, observed ${value.length}`);
    }
    for (let index = 0; index < pattern.length; index += 1) {
      const found = match(pattern[index], value[index], childPointer(pointer, index));
      if (found !== null) return found;
    }
    return null;
  }
  return members(pattern as Record<string, unknown>, value, pointer, false);
}

function members(
  pattern: Record<string, unknown>,
  value: unknown,
  pointer: string,
  partial: boolean,
  literal = false,
): Mismatch | null {
  if (!isPlainObject(value) || (tagOf(value) !== null && !literal)) {
    return mismatch(pointer, `expected an object, observed ${typeName(value)}`);
  }
  for (const [key, want] of Object.entries(pattern)) {
    if (!Object.hasOwn(value, key)) return mismatch(childPointer(pointer, key), "missing");
    const found = match(want, value[key], childPointer(pointer, key));
    if (found !== null) return found;
  }
  if (!partial) {
    const extra = Object.keys(value)
      .filter((key) => !Object.hasOwn(pattern, key))
      .sort(compareCodePoints);
    if (extra.length > 0) return mismatch(childPointer(pointer, extra[0]!), "unexpected member");
  }
  return null;
}
