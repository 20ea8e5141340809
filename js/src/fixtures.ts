/**
 * How fixtures use each other (spec/README.md 2.2): cycles, and each fixture's expanded depth
 * and size, computed once per fixture without expanding anything and without recursion, so
 * that a chain of any length, or fixtures that each use the next twice, cost no more than
 * their text.
 */

import { isPlainObject, tagOf } from "./codec.js";
import type { LintRule } from "./lint-rules.js";
import { compareCodePoints } from "./matching.js";
import { MAX_DEPTH } from "./spec-json.js";

/** An expanded fixture's bound on its JSON values (its bound on nesting is MAX_DEPTH). */
export const MAX_FIXTURE_VALUES = 100_000;

interface Shape {
  /** The value's own nesting of arrays and objects, the outermost at 1 (0 for a scalar). */
  readonly depth: number;
  /** The value's own JSON values, each $fixture tag left out. */
  readonly count: number;
  /** Each fixture the value uses, in document order, with the depth its tag sits at. */
  readonly uses: readonly (readonly [string, number])[];
}

function shapeOf(value: unknown): Shape {
  let depth = 0;
  let count = 0;
  const uses: [string, number][] = [];
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, level] = pending.pop()!;
    const tag = tagOf(item);
    if (tag === "$fixture" && typeof (item as Record<string, unknown>)[tag] === "string") {
      uses.push([(item as Record<string, string>)[tag]!, level]);
      continue;
    }
    count += 1;
    const children = Array.isArray(item) ? item : isPlainObject(item) ? Object.values(item) : null;
    if (children === null) continue;
    depth = Math.max(depth, level);
    // Reversed onto the stack, so they come off in document order.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push([children[index], level + 1]);
  }
  return { depth, count, uses };
}

export interface FixtureMeasures {
  /** Expanded depth and size (the size capped just past the bound) of every fixture. */
  readonly measured: ReadonlyMap<string, { readonly depth: number; readonly count: number }>;
  /** Each rejected fixture, the rule and why, in the order the walk finds them. */
  readonly problems: readonly (readonly [string, LintRule, string])[];
}

/**
 * The walk of section 2.2: depth first from each fixture in code point order of their names,
 * following the fixtures a value uses in document order; a cycle is reported at the fixture
 * the walk reaches a second time.
 */
export function measureFixtures(fixtures: Readonly<Record<string, unknown>>): FixtureMeasures {
  const names = Object.keys(fixtures).sort(compareCodePoints);
  const shapes = new Map(names.map((name) => [name, shapeOf(fixtures[name])]));
  const measured = new Map<string, { depth: number; count: number }>();
  const problems: [string, LintRule, string][] = [];
  for (const first of names) {
    const trail: string[] = [];
    const onTrail = new Set<string>();
    const pending: [string, boolean][] = [[first, false]];
    while (pending.length > 0) {
      const [name, finished] = pending.pop()!;
      const shape = shapes.get(name);
      if (finished) {
        trail.pop();
        onTrail.delete(name);
        let { depth, count } = shape!;
        for (const [used, level] of shape!.uses) {
          const inner = measured.get(used) ?? { depth: 0, count: 1 };
          depth = Math.max(depth, level - 1 + inner.depth);
          count = Math.min(count + inner.count, MAX_FIXTURE_VALUES + 1);
        }
        measured.set(name, { depth, count });
        continue;
      }
      if (measured.has(name) || shape === undefined) continue;
      if (onTrail.has(name)) {
        const cycle = trail.slice(trail.indexOf(name));
        problems.push([name, "fixture-cycle", `fixture refers to itself: ${[...cycle, name].join(" -> ")}`]);
        measured.set(name, { depth: 0, count: 1 });
        continue;
      }
      trail.push(name);
      onTrail.add(name);
      pending.push([name, true]);
      for (let index = shape.uses.length - 1; index >= 0; index -= 1) pending.push([shape.uses[index]![0], false]);
    }
  }
  for (const name of names) {
    const { depth, count } = measured.get(name)!;
    if (depth > MAX_DEPTH) problems.push([name, "fixture-bounds", `expanded, the fixture nests more than ${MAX_DEPTH} deep`]);
    else if (count > MAX_FIXTURE_VALUES) problems.push([name, "fixture-bounds", `expanded, the fixture holds more than ${MAX_FIXTURE_VALUES} values`]);
  }
  return { measured, problems };
}

/** The fixtures name uses, directly or not, each after every fixture it uses (name last); throws on a cycle. */
export function usesFirst(fixtures: Readonly<Record<string, unknown>>, name: string, cycle: (trail: string[]) => Error): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const trail: string[] = [];
  const onTrail = new Set<string>();
  const pending: [string, boolean][] = [[name, false]];
  while (pending.length > 0) {
    const [current, finished] = pending.pop()!;
    if (finished) {
      onTrail.delete(trail.pop()!);
      done.add(current);
      order.push(current);
      continue;
    }
    if (done.has(current) || !Object.hasOwn(fixtures, current)) continue;
    if (onTrail.has(current)) throw cycle([...trail.slice(trail.indexOf(current)), current]);
    trail.push(current);
    onTrail.add(current);
    pending.push([current, true]);
    const uses = shapeOf(fixtures[current]).uses;
    for (let index = uses.length - 1; index >= 0; index -= 1) pending.push([uses[index]![0], false]);
  }
  return order;
}
