/** Reading JSON text under spec/README.md 1.1, one problem with its place; and one-line error messages. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { SpecError } from "../errors.js";
import { InvalidSpec, caseFromObject } from "../loading.js";
import { lineColumn, parseJson, tooDeep } from "../spec-json.js";

function problem(text: string): SpecError {
  try {
    parseJson(text, "f");
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  assert.fail(`${JSON.stringify(text)} was accepted`);
}

describe("parseJson", () => {
  test("pointers escape ~ and / and follow indices and members in document order", () => {
    assert.equal(problem('{"a/b": [1, {"x~": -99999999999999999}], "c": 1e400}').pointer, "/a~1b/1/x~0");
    assert.equal(problem('[[1], {"k": [[[1e999]]]}]').pointer, "/1/k/0/0/0");
  });

  test("the first problem in document order is the one reported", () => {
    assert.equal(problem('[1e400, "\\ud800", 9007199254740992]').pointer, "/0");
    assert.equal(problem('{"a": [9007199254740992], "\\udc00": 1}').pointer, "/a/0");
    assert.equal(problem('{"a": {"b": 1, "\\udc00": 1}}').pointer, "/a");
  });

  test("a text that is not JSON is reported by line and column, never with its bytes", () => {
    assert.equal(problem('{"a": 1,\r\n "b": tru}').message, "f: not JSON: expected a value at line 2 column 7 [json-reading]");
    assert.equal(problem("[1]\u0000").message, "f: not JSON: unexpected text after the JSON value at line 1 column 4 [json-reading]");
    assert.equal(problem('"\\x"').message, "f: not JSON: invalid escape at line 1 column 2 [json-reading]");
    assert.equal(problem('"abc').message, "f: not JSON: unterminated string at line 1 column 1 [json-reading]");
    assert.equal(problem("[" + "[".repeat(10_000)).message, "f: not JSON: unexpected end of text at line 1 column 10002 [json-reading]");
  });

  test("JSON's own spelling only: -0 and 1E5 are numbers, 01 and +1 are not", () => {
    assert.deepStrictEqual(parseJson("[-0, 1E5, 0.5e-3]", "f"), [-0, 1e5, 0.5e-3]);
    assert.match(problem("[01]").message, /expected ',' or '\]' at line 1 column 3/);
    assert.match(problem("[+1]").message, /expected a value at line 1 column 2/);
  });
});

describe("lineColumn", () => {
  test("columns count characters and lines end at \\n", () => {
    assert.equal(lineColumn("😀😀x", 4), "at line 1 column 3");
    assert.equal(lineColumn("a\rb\nc", 4), "at line 2 column 1");
  });
});

describe("parseJson of a driver message", () => {
  test("takes integer literals outside ±(2^53-1) up to 1000 digits, and the other rules as a file does", () => {
    assert.deepStrictEqual(parseJson('{"a":18446744073709552000}', "m", true), { a: 18446744073709552000 });
    // Read, though no double holds it (a seq this large is no protocol request).
    assert.deepStrictEqual(parseJson(`[-${"9".repeat(400)}]`, "m", true), [-Infinity]);
    assert.throws(() => parseJson(`[1${"0".repeat(1000)}]`, "m", true), /#\/0: integer literal of more than 1000 digits/);
    assert.throws(() => parseJson('{"a":18446744073709552000}', "f"), /outside/);
    assert.throws(() => parseJson("[".repeat(101) + "]".repeat(101), "m", true), /nest more than 100 deep/);
  });
});

describe("nesting of a value that arrives parsed", () => {
  test("tooDeep names the first array or object past 100, in document order", () => {
    const deep = (levels: number): unknown => JSON.parse("[".repeat(levels) + "]".repeat(levels)) as unknown;
    assert.equal(tooDeep(deep(100)), null);
    assert.equal(tooDeep({ a: deep(99), b: deep(100) }), "/b" + "/0".repeat(99));
  });

  test("a case the driver receives that nests 5000 deep is one problem, not a stack overflow", () => {
    const raw = { id: "c", steps: [{ op: "get", args: { config: JSON.parse("[".repeat(5000) + "]".repeat(5000)) as unknown } }] };
    assert.throws(
      () => caseFromObject(raw, {}),
      (error: unknown) => error instanceof InvalidSpec && error.problems[0]!.pointer === "/steps/0/args/config" + "/0".repeat(96),
    );
  });
});

describe("SpecError", () => {
  test("is one line: control characters, line separators and lone surrogates are escaped", () => {
    const error = new SpecError("f", "bad \u2028 x", "/a\nb/\ud800/\u0085");
    assert.equal(error.message, "f#/a\\u000Ab/\\uD800/\\u0085: bad \\u2028 x");
  });
});
