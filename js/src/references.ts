/** Resolution of `$fixture`, `$ref` and `$merge` (spec/README.md section 2.2). */

import { LITERAL_NAME_TAGS, isPlainObject, objectFrom, tagOf } from "./codec.js";
import { MAX_FIXTURE_VALUES, measureFixtures, usesFirst, type FixtureMeasures } from "./fixtures.js";
import { MAX_DEPTH } from "./spec-json.js";

/** A reference that cannot be resolved at run time. */
export class UnresolvedReference extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnresolvedReference";
  }
}

/** A step's observation as section 4 defines it, or `not_run` when its references failed. */
export type Observation =
  | { result: unknown }
  | { error: string; detail: string }
  | { not_run: string };

class PointerMiss extends Error {}

// RFC 6901: the syntax of a pointer, and an array index (ASCII digits without a leading zero).
const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/su;
const INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Whether text is an RFC 6901 JSON pointer: empty, or `/` tokens with `~` only in `~0` and `~1`. */
export function isPointer(text: string): boolean {
  return POINTER.test(text);
}

/** RFC 6901 lookup in the JSON as written (through tag wrappers); throws when any part is missing. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (!isPointer(pointer)) throw new PointerMiss(pointer);
  if (pointer === "") return document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (isPlainObject(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else if (Array.isArray(current) && INDEX.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else {
      throw new PointerMiss(pointer);
    }
  }
  return current;
}

/** Pointer lookup that answers undefined instead of throwing. */
export function lookupPointer(document: unknown, pointer: string): { found: true; value: unknown } | { found: false } {
  try {
    return { found: true, value: resolvePointer(document, pointer) };
  } catch (error) {
    if (error instanceof PointerMiss) return { found: false };
    throw error;
  }
}

/** Two plain objects merge member by member; anything else (a typed value too) gives way to the right side. */
export function merge(left: unknown, right: unknown): unknown {
  if (isPlainObject(left) && isPlainObject(right) && tagOf(left) === null && tagOf(right) === null) {
    const merged = new Map<string, unknown>(Object.entries(left));
    for (const [key, value] of Object.entries(right)) {
      merged.set(key, merged.has(key) ? merge(merged.get(key), value) : value);
    }
    return objectFrom(merged);
  }
  return right;
}

interface Expansions {
  readonly measures: FixtureMeasures;
  readonly values: Map<string, unknown>;
}

const expansions = new WeakMap<object, Expansions>();

/**
 * A fixture's value with every fixture it uses replaced, expanded once per set of fixtures
 * and shared from then on (nothing downstream changes a resolved value). Fixtures that did
 * not come through the lint (the driver's) are measured first, so a cycle or a bound broken
 * makes the reference fail instead of the run.
 */
function fixtureValue(fixtures: Readonly<Record<string, unknown>>, name: string): unknown {
  if (!Object.hasOwn(fixtures, name)) throw new UnresolvedReference(`no fixture named ${JSON.stringify(name)}`);
  let known = expansions.get(fixtures);
  if (known === undefined) {
    known = { measures: measureFixtures(fixtures), values: new Map() };
    expansions.set(fixtures, known);
  }
  const { measures, values } = known;
  if (values.has(name)) return values.get(name);
  const cycle = (trail: string[]): Error => new UnresolvedReference(`fixture refers to itself: ${trail.join(" -> ")}`);
  // Innermost first, so that expanding one fixture never recurses into another.
  for (const used of usesFirst(fixtures, name, cycle)) {
    if (values.has(used)) continue;
    const { depth, count } = measures.measured.get(used)!;
    if (depth > MAX_DEPTH || count > MAX_FIXTURE_VALUES) {
      throw new UnresolvedReference(`fixture ${JSON.stringify(used)}, expanded, is beyond ${MAX_DEPTH} deep or ${MAX_FIXTURE_VALUES} values`);
    }
    values.set(used, resolve(fixtures[used], fixtures, new Map()));
  }
  return values.get(name);
}

/**
 * Replace every reference tag in value, innermost first.
 *
 * `results` maps a step name to its observation; a step that raised or was
 * not run makes any reference to it fail with UnresolvedReference. Member
 * names inside `$object` and `$partial` are literal: only their values are walked.
 */
export function resolve(
  value: unknown,
  fixtures: Readonly<Record<string, unknown>>,
  results: ReadonlyMap<string, Observation>,
): unknown {
  const tag = tagOf(value);
  if (tag === "$fixture") {
    return fixtureValue(fixtures, (value as Record<string, unknown>)[tag] as string);
  }
  if (tag === "$ref") {
    return referredValue((value as Record<string, unknown>)[tag] as string, results);
  }
  if (tag === "$merge") {
    let merged: unknown = {};
    for (const part of (value as Record<string, unknown[]>)[tag]!) {
      merged = merge(merged, resolve(part, fixtures, results));
    }
    return merged;
  }
  if (tag !== null && LITERAL_NAME_TAGS.has(tag)) {
    const payload = (value as Record<string, unknown>)[tag];
    if (isPlainObject(payload)) {
      const members = objectFrom(Object.entries(payload).map(([key, item]) => [key, resolve(item, fixtures, results)]));
      return objectFrom([[tag, members]]);
    }
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, fixtures, results));
  if (isPlainObject(value)) {
    return objectFrom(Object.entries(value).map(([key, item]) => [key, resolve(item, fixtures, results)]));
  }
  return value;
}

/** The part of a named step's result that a `$ref` text ("name" or "name#/pointer") refers to. */
function referredValue(text: string, results: ReadonlyMap<string, Observation>): unknown {
  const hash = text.indexOf("#");
  const name = hash < 0 ? text : text.slice(0, hash);
  const pointer = hash < 0 ? "" : text.slice(hash + 1);
  const observation = results.get(name);
  if (observation === undefined) {
    throw new UnresolvedReference(`no earlier step is named ${JSON.stringify(name)}`);
  }
  if (!("result" in observation)) {
    const why = "error" in observation ? `raised ${observation.error}` : "was not run";
    throw new UnresolvedReference(`step ${JSON.stringify(name)} ${why}, so there is no result to refer to`);
  }
  const found = lookupPointer(observation.result, pointer);
  if (!found.found) {
    throw new UnresolvedReference(`the result of step ${JSON.stringify(name)} has nothing at ${JSON.stringify(pointer)}`);
  }
  return found.value;
}
