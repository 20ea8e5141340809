/** The `$regex` subset of spec/README.md section 2.3: its grammar and bounds, and matching with RE2 (re2js). */

import { RE2JS, RE2JSException } from "re2js";

export const MAX_LENGTH = 1000;
export const MAX_GROUP_DEPTH = 32;
export const MAX_COUNT = 1000;

const SYNTAX = new Set("\\.[](){}*+?|^$/");
const NOT_LITERAL = new Set("\\.[](){}*+?|^$");
const CLASS_ESCAPES = new Set("dDwW");
const ESCAPES = new Set([...CLASS_ESCAPES, ...Array.from("nrt"), ...SYNTAX]);
const SINGLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
  ["-", "-"],
  ...[...SYNTAX].map((char): [string, string] => [char, char]),
]);

/** The pattern leaves the subset; the message says where and how. */
class Outside extends Error {}

/** A recursive-descent parser of the grammar; it recurses only into groups, at most MAX_GROUP_DEPTH deep. */
class Parser {
  /** The pattern's characters (code points), which positions count. */
  private readonly chars: readonly string[];
  private at = 0;

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  get done(): boolean {
    return this.at === this.chars.length;
  }

  private peek(ahead = 0): string {
    return this.chars[this.at + ahead] ?? "";
  }

  fail(message: string): Outside {
    return new Outside(`${message} at position ${this.at + 1}`);
  }

  /** pattern = branch *("|" branch); the largest product of counts along a chain of counted quantifiers inside it. */
  pattern(depth: number): number {
    let product = this.branch(depth);
    while (this.peek() === "|") {
      this.at += 1;
      product = Math.max(product, this.branch(depth));
    }
    return product;
  }

  private branch(depth: number): number {
    let product = 1;
    while (!["", "|", ")"].includes(this.peek())) product = Math.max(product, this.piece(depth));
    return product;
  }

  private piece(depth: number): number {
    const product = this.atom(depth) * this.quantifier();
    if (product > MAX_COUNT) throw this.fail(`nested counted repetitions multiply to more than ${MAX_COUNT}`);
    return product;
  }

  /**
   * The factor this quantifier multiplies nested counts by: 1 for none and for * + ?.
   * A count of 0 also counts as 1: the chain around it, without it, is a chain too.
   */
  private quantifier(): number {
    const char = this.peek();
    let count: number;
    if (char === "*" || char === "+" || char === "?") {
      this.at += 1;
      count = 1;
    } else if (char === "{") {
      this.at += 1;
      const low = this.count();
      let high = low;
      if (this.peek() === ",") {
        this.at += 1;
        high = this.peek() === "}" ? low : this.count();
        if (high < low) throw this.fail("a {n,m} quantifier needs n <= m");
      }
      if (this.peek() !== "}") throw this.fail("a { that does not make a {n}, {n,} or {n,m} quantifier must be escaped");
      this.at += 1;
      count = Math.max(low, high, 1);
    } else {
      return 1;
    }
    if (this.peek() === "?") this.at += 1;
    if (["*", "+", "?", "{"].includes(this.peek())) {
      throw this.fail("a quantifier may not follow a quantifier (possessive and repeated ones are outside)");
    }
    return count;
  }

  private count(): number {
    const start = this.at;
    while (/^[0-9]$/.test(this.peek())) this.at += 1;
    const digits = this.chars.slice(start, this.at).join("");
    if (digits === "" || (digits.length > 1 && digits.startsWith("0"))) {
      throw this.fail("a repetition count is a decimal number without leading zeros");
    }
    if (digits.length > 4 || Number(digits) > MAX_COUNT) throw this.fail(`a repetition count is at most ${MAX_COUNT}`);
    return Number(digits);
  }

  private atom(depth: number): number {
    const char = this.peek();
    if (char === "(") {
      if (depth >= MAX_GROUP_DEPTH) throw this.fail(`groups nest at most ${MAX_GROUP_DEPTH} deep`);
      this.at += 1;
      if (this.peek() === "?") {
        if (this.peek(1) !== ":") throw this.fail("only ( ) and (?: ) groups are in the subset");
        this.at += 2;
      }
      const product = this.pattern(depth + 1);
      if (this.peek() !== ")") throw this.fail("a group is not closed");
      this.at += 1;
      return product;
    }
    if (char === "[") {
      this.characterClass();
      return 1;
    }
    if (char === "\\") {
      const escaped = this.peek(1);
      if (!ESCAPES.has(escaped)) throw this.fail(`the escape \\${escaped} is outside the subset`);
      this.at += 2;
      return 1;
    }
    if (char !== "." && NOT_LITERAL.has(char)) throw this.fail(`${char} must be escaped to be literal here`);
    // "." or a literal
    this.at += 1;
    return 1;
  }

  private characterClass(): void {
    this.at += 1;
    if (this.peek() === "^") this.at += 1;
    let items = 0;
    while (this.peek() !== "]") {
      if (this.peek() === "") throw this.fail("a character class is not closed");
      if (this.peek() === "\\" && CLASS_ESCAPES.has(this.peek(1))) {
        this.at += 2;
      } else {
        const low = this.single();
        if (this.peek() === "-") {
          this.at += 1;
          const high = this.single();
          if (high.codePointAt(0)! < low.codePointAt(0)!) throw this.fail("a range's ends must be in code point order");
        }
      }
      items += 1;
    }
    if (items === 0) throw this.fail("a character class may not be empty");
    this.at += 1;
  }

  private single(): string {
    const char = this.peek();
    if (char === "\\") {
      const escaped = SINGLE_ESCAPES.get(this.peek(1));
      if (escaped === undefined) throw this.fail(`the escape \\${this.peek(1)} is outside the subset inside a class`);
      this.at += 2;
      return escaped;
    }
    if (["", "[", "]", "-"].includes(char)) throw this.fail(`${char || "the end"} is not a class member here ([ ] and - are escaped)`);
    this.at += 1;
    return char;
  }
}

/** Why pattern is outside the subset of spec/README.md section 2.3, or null. */
export function regexProblem(pattern: string): string | null {
  if (Array.from(pattern).length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  const parser = new Parser(pattern);
  try {
    parser.pattern(0);
    if (!parser.done) throw parser.fail("a lone ) must be escaped");
    compiled(pattern);
  } catch (error) {
    if (error instanceof Outside) return error.message;
    // The grammar keeps to what RE2 accepts; should the engine still refuse, the lint says so rather than the run.
    if (error instanceof RE2JSException) return `RE2 does not compile it: ${error.message}`;
    throw error;
  }
  return null;
}

const cache = new Map<string, RE2JS>();

function compiled(pattern: string): RE2JS {
  let found = cache.get(pattern);
  if (found === undefined) {
    // DOTALL: `.` matches line terminators too (2.3); \d and \w are ASCII in RE2.
    found = RE2JS.compile(pattern, RE2JS.DOTALL);
    cache.set(pattern, found);
  }
  return found;
}

/** Whether pattern (inside the subset) matches all of text, in time linear in its length. */
export function fullMatch(pattern: string, text: string): boolean {
  // Not Unicode text (a lone surrogate): no pattern matches it, as in the Python runner, which cannot encode it for RE2.
  if (!text.isWellFormed()) return false;
  return compiled(pattern).matches(text);
}
