/** Choosing which cases of a spec to run. */

import { SpecError } from "./errors.js";
import type { Case, Spec } from "./loading.js";

/** The longest --case glob accepted (case ids are at most 100 characters). */
export const MAX_GLOB_LENGTH = 1000;

/** One character of the id: a literal, `?`, or a set (`[seq]`, `[!seq]`) of literals and ranges. */
type Single =
  | { readonly kind: "literal"; readonly char: string }
  | { readonly kind: "any" }
  | { readonly kind: "set"; readonly negated: boolean; readonly chars: ReadonlySet<string>; readonly ranges: readonly (readonly [string, string])[] };

type Token = Single | { readonly kind: "star" };

/**
 * The literals and ranges of a bracket's body (between `[` and `]`), read as Python's
 * fnmatch does: a `-` between two characters makes a range, except right after
 * the opening bracket (or `!`) and right after a range; a range whose ends are out
 * of order is dropped, its two ends with it.
 */
function bracket(body: string[]): Single {
  const negated = body[0] === "!";
  const chunks: string[][] = [];
  let start = 0;
  let k = negated ? 2 : 1;
  for (;;) {
    const hyphen = body.indexOf("-", k);
    if (hyphen < 0) break;
    chunks.push(body.slice(start, hyphen));
    start = hyphen + 1;
    k = hyphen + 3;
  }
  const last = body.slice(start);
  if (last.length > 0) chunks.push(last);
  else chunks[chunks.length - 1]!.push("-");
  for (let i = chunks.length - 1; i > 0; i -= 1) {
    const before = chunks[i - 1]!;
    const after = chunks[i]!;
    if (before.length > 0 && after.length > 0 && before.at(-1)! > after[0]!) {
      chunks[i - 1] = [...before.slice(0, -1), ...after.slice(1)];
      chunks.splice(i, 1);
    }
  }
  if (negated) chunks[0]!.shift();
  const chars = new Set<string>();
  const ranges: [string, string][] = [];
  chunks.forEach((chunk, i) => {
    // Chunk i ends where range i begins, and begins where range i - 1 ends.
    const first = i > 0 ? 1 : 0;
    const end = i < chunks.length - 1 ? chunk.length - 1 : chunk.length;
    for (const char of chunk.slice(first, end)) chars.add(char);
    if (i < chunks.length - 1) ranges.push([chunk.at(-1)!, chunks[i + 1]![0]!]);
  });
  return { kind: "set", negated, chars, ranges };
}

/** A shell-style glob (`*`, `?`, `[seq]`, `[!seq]`, as Python's fnmatchcase) as tokens. */
export function parseGlob(glob: string): Token[] {
  const chars = Array.from(glob);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i]!;
    if (c === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (c === "?") tokens.push({ kind: "any" });
    else if (c === "[") {
      let j = i + 1;
      if (chars[j] === "!") j += 1;
      if (chars[j] === "]") j += 1;
      while (j < chars.length && chars[j] !== "]") j += 1;
      if (j >= chars.length) tokens.push({ kind: "literal", char: c });
      else {
        tokens.push(bracket(chars.slice(i + 1, j)));
        i = j;
      }
    } else tokens.push({ kind: "literal", char: c });
  }
  return tokens;
}

function matchesOne(token: Single, char: string): boolean {
  if (token.kind === "literal") return token.char === char;
  if (token.kind === "any") return true;
  const inside = token.chars.has(char) || token.ranges.some(([low, high]) => low <= char && char <= high);
  return inside !== token.negated;
}

/**
 * Whether the whole of text matches the glob's tokens. No regular expression: a
 * backtracking matcher that retries only from the last star, so its work is at
 * most the product of the two lengths, whatever the glob.
 */
export function globMatches(tokens: readonly Token[], text: string): boolean {
  const chars = Array.from(text);
  let t = 0;
  let c = 0;
  let star = -1;
  let resume = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token?.kind === "star") {
      star = t;
      resume = c;
      t += 1;
    } else if (token !== undefined && matchesOne(token, chars[c]!)) {
      t += 1;
      c += 1;
    } else if (star >= 0) {
      // Let the last star take one more character and try again from there.
      resume += 1;
      c = resume;
      t = star + 1;
    } else return false;
  }
  while (tokens[t]?.kind === "star") t += 1;
  return t === tokens.length;
}

/** Cases whose id matches any glob; every glob must match something. */
export function selectCases(spec: Spec, patterns: readonly string[] | null | undefined): Case[] {
  if (!patterns || patterns.length === 0) return [...spec.cases];
  const compiled = patterns.map((pattern) => {
    if (pattern.length > MAX_GLOB_LENGTH) {
      throw new SpecError("--case", `a glob of ${pattern.length} characters; at most ${MAX_GLOB_LENGTH} are accepted`);
    }
    return { pattern, tokens: parseGlob(pattern) };
  });
  for (const { pattern, tokens } of compiled) {
    if (!spec.cases.some((c) => globMatches(tokens, c.id))) {
      throw new SpecError("--case", `${JSON.stringify(pattern)} matches no case id in ${spec.root}`);
    }
  }
  return spec.cases.filter((c) => compiled.some(({ tokens }) => globMatches(tokens, c.id)));
}
