/**
 * Case id globs (spec/README.md 7.1): a glob compiled once into a matcher of whole ids.
 *
 * No regular expression: a class is a set of characters and ranges, and the
 * matcher retries only from the last `*`, so matching costs at most the product
 * of the two lengths whatever the glob. Characters are code points (Array.from).
 */

/** The longest glob accepted, in characters (code points); case ids are at most 100. */
export const MAX_GLOB_LENGTH = 1000;

/** A glob outside the grammar of 7.1; the message quotes the glob. */
export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GlobError";
  }
}

interface CharClass {
  readonly kind: "class";
  readonly negated: boolean;
  readonly chars: ReadonlySet<string>;
  readonly ranges: readonly (readonly [string, string])[];
}

type Token = { readonly kind: "literal"; readonly char: string } | { readonly kind: "any" } | { readonly kind: "star" } | CharClass;

/** Code point order; JavaScript's `<` on strings compares UTF-16 units, which misorders astral characters. */
function codePoint(char: string): number {
  return char.codePointAt(0)!;
}

function accepts(token: CharClass, char: string): boolean {
  const point = codePoint(char);
  const inside = token.chars.has(char) || token.ranges.some(([low, high]) => codePoint(low) <= point && point <= codePoint(high));
  return inside !== token.negated;
}

function one(token: Token, char: string): boolean {
  if (token.kind === "literal") return token.char === char;
  if (token.kind === "class") return accepts(token, char);
  return token.kind === "any";
}

/** A compiled glob; `matches` says whether a whole id matches it. */
export class Glob {
  constructor(
    readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  matches(text: string): boolean {
    const tokens = this.tokens;
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
      } else if (token !== undefined && one(token, chars[c]!)) {
        t += 1;
        c += 1;
      } else if (star >= 0) {
        // Let the last star take one more character and go on from there.
        resume += 1;
        c = resume;
        t = star + 1;
      } else return false;
    }
    while (tokens[t]?.kind === "star") t += 1;
    return t === tokens.length;
  }
}

function quoted(glob: string): string {
  return JSON.stringify(glob);
}

/** The class of a bracket's body (what lies between `[` or `[!` and the closing `]`), read left to right. */
function charClass(glob: string, negated: boolean, body: readonly string[]): CharClass {
  const chars = new Set<string>();
  const ranges: [string, string][] = [];
  let k = 0;
  while (k < body.length) {
    if (k + 2 < body.length && body[k + 1] === "-") {
      const low = body[k]!;
      const high = body[k + 2]!;
      if (codePoint(high) < codePoint(low)) throw new GlobError(`${quoted(glob)}: the range ${low}-${high} ends before it starts`);
      ranges.push([low, high]);
      k += 3;
    } else {
      chars.add(body[k]!);
      k += 1;
    }
  }
  return { kind: "class", negated, chars, ranges };
}

/** Where the class whose body starts at `start` closes; chars.length when it does not. */
function bracketEnd(chars: readonly string[], start: number): number {
  // A `]` first in the class is one of its characters, not its end.
  let close = chars[start] === "]" ? start + 1 : start;
  while (close < chars.length && chars[close] !== "]") close += 1;
  return close;
}

/** The matcher of a glob; GlobError when it is longer than MAX_GLOB_LENGTH or outside the grammar. */
export function compileGlob(glob: string): Glob {
  const chars = Array.from(glob);
  if (chars.length > MAX_GLOB_LENGTH) throw new GlobError(`a glob of ${chars.length} characters; at most ${MAX_GLOB_LENGTH} are accepted`);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i]!;
    if (char === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (char === "?") tokens.push({ kind: "any" });
    else if (char === "[") {
      const negated = chars[i + 1] === "!";
      const start = negated ? i + 2 : i + 1;
      const close = bracketEnd(chars, start);
      if (close >= chars.length) throw new GlobError(`${quoted(glob)}: the [ at character ${i + 1} is not closed`);
      tokens.push(charClass(glob, negated, chars.slice(start, close)));
      i = close;
    } else tokens.push({ kind: "literal", char });
  }
  return new Glob(glob, tokens);
}
