/** The codec against spec/selftest/codec.json, plus the TypeScript-specific encodings. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { CodecError, decode, encode, parseDatetime } from "../codec.js";
import { readJson } from "../loading.js";
import { SELFTEST } from "./helpers.js";

interface Vector {
  description: string;
  value: unknown;
  typescript?: unknown;
  encoded?: unknown;
}

const vectors = (readJson(join(SELFTEST, "codec.json")) as { vectors: Vector[] }).vectors;

describe("codec.json", () => {
  for (const vector of vectors) {
    test(vector.description, () => {
      const expected = Object.hasOwn(vector, "typescript") ? vector.typescript : Object.hasOwn(vector, "encoded") ? vector.encoded : vector.value;
      // Strict deep equality is JSON equality here: encoding leaves no -0 and no undefined, and 2.0 is 2.
      assert.deepStrictEqual(encode(decode(vector.value)), expected);
    });
  }
});

describe("native types", () => {
  test("$int decodes to bigint, $bytes to Uint8Array, $datetime to Date", () => {
    assert.equal(decode({ $int: "9007199254740993" }), 9007199254740993n);
    assert.deepStrictEqual(decode({ $bytes: "AAEC/w==" }), new Uint8Array([0, 1, 2, 255]));
    const when = decode({ $datetime: "2024-05-01T12:00:00.123456+02:00" });
    assert.ok(when instanceof Date);
    assert.equal(when.toISOString(), "2024-05-01T10:00:00.123Z");
    assert.ok(Object.is(decode({ $float: "-0.0" }), -0));
    assert.deepStrictEqual(decode({ $tuple: [1, { $int: "-9007199254740992" }] }), [1, -9007199254740992n]);
  });

  test("a bigint that fits encodes as a plain number", () => {
    assert.equal(encode(5n), 5);
    assert.equal(encode(-9007199254740991n), -9007199254740991);
    assert.deepStrictEqual(encode(9007199254740992n), { $int: "9007199254740992" });
  });

  test("a Buffer encodes as $bytes", () => {
    assert.deepStrictEqual(encode(Buffer.from("hi")), { $bytes: "aGk=" });
    assert.deepStrictEqual(encode(new Uint8Array(Buffer.from("xhiy")).subarray(1, 3)), { $bytes: "aGk=" });
  });

  test("undefined members are left out, undefined items are null", () => {
    assert.deepStrictEqual(encode({ a: undefined, b: 1 }), { b: 1 });
    assert.deepStrictEqual(encode([undefined]), [null]);
  });

  test("values of other types are $opaque", () => {
    class Foo {}
    assert.deepStrictEqual(encode(new Foo()), { $opaque: "Foo" });
    assert.deepStrictEqual(encode(new Set([1])), { $opaque: "Set" });
    assert.deepStrictEqual(encode(new Map([[1, 2]])), { $opaque: "Map" });
    assert.deepStrictEqual(encode(new Map([["a", 2n]])), { a: 2 });
    assert.deepStrictEqual(encode(() => 1), { $opaque: "Function" });
    assert.deepStrictEqual(encode(new Date(Number.NaN)), { $opaque: "Date" });
  });

  test("the dispatch table of section 2.1", () => {
    class Thing {}
    class Bytes extends Uint8Array {}
    assert.deepStrictEqual(encode([true, 1, false, 0]), [true, 1, false, 0]);
    assert.deepStrictEqual(encode(new Bytes([104, 105])), { $bytes: "aGk=" });
    assert.deepStrictEqual(encode(new Int16Array([1])), { $opaque: "Int16Array" });
    assert.deepStrictEqual(encode(new ArrayBuffer(1)), { $opaque: "ArrayBuffer" });
    assert.deepStrictEqual(encode(new Thing()), { $opaque: "Thing" });
    assert.deepStrictEqual(encode(Object.assign(Object.create(null) as object, { a: 1 })), { a: 1 });
    assert.deepStrictEqual(encode(new Map([["$x", 1]])), { $object: { $x: 1 } });
    assert.deepStrictEqual(encode(new Map<unknown, number>([["a", 1], [2, 2]])), { $opaque: "Map" });
    assert.deepStrictEqual(encode(Symbol("s")), { $opaque: "symbol" });
    assert.deepStrictEqual(encode(Object("s") as object), { $opaque: "String" });
  });

  test("datetimes are written by toISOString: three fraction digits and Z", () => {
    assert.deepStrictEqual(encode(new Date(Date.UTC(2024, 0, 1, 12))), { $datetime: "2024-01-01T12:00:00.000Z" });
    assert.deepStrictEqual(encode(decode({ $datetime: "2024-01-01T12:00:00.999999+00:00" })), { $datetime: "2024-01-01T12:00:00.999Z" });
  });

  test("a plain number is never negative zero", () => {
    const decoded = decode(JSON.parse("[-0, -0.0, 0]")) as number[];
    assert.ok(decoded.every((item) => Object.is(item, 0)));
    assert.ok(Object.is(decode({ $float: "-0.0" }), -0));
  });

  test("a __proto__ member survives decoding and encoding as a member", () => {
    const decoded = decode(JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    assert.ok(Object.hasOwn(decoded, "__proto__"));
    assert.deepStrictEqual(Object.getPrototypeOf(decoded), Object.prototype);
    assert.equal(JSON.stringify(encode(decoded)), '{"__proto__":{"x":1}}');
  });

  test("malformed tags do not decode", () => {
    assert.throws(() => decode({ $bytes: "a" }), CodecError);
    assert.throws(() => decode({ $float: "nan" }), CodecError);
    assert.throws(() => decode({ $opaque: "Foo" }), CodecError);
    assert.throws(() => decode({ $any: true }), CodecError);
  });

  test("datetimes parse to the microsecond, with or without an offset", () => {
    assert.equal(parseDatetime("2024-01-01T12:00:00.000001+00:00")!.micros! - parseDatetime("2024-01-01T12:00:00Z")!.micros!, 1);
    assert.equal(parseDatetime("2024-01-01T12:00:00")!.micros, null);
    assert.equal(parseDatetime("2024-02-30T12:00:00Z"), null);
    assert.equal(parseDatetime("not a date"), null);
  });
});
