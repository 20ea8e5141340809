/** The table of operations (operations.ts) is what the case-file schema says: names, arguments, capabilities. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { main } from "../cli.js";
import { readJson } from "../loading.js";
import { GROUPS, OPERATIONS, type Operation } from "../operations.js";
import { METHODS } from "../targets/saver.js";
import { PUT_STEP, SPEC_ROOT, capture, caseFile, scratchSpec } from "./helpers.js";

interface Arguments {
  type: string;
  required: string[];
  additionalProperties: boolean;
  properties: Record<string, unknown>;
}

const schema = readJson(join(SPEC_ROOT, "schema", "case-file.schema.json")) as {
  properties: { operation: { enum: string[] } };
  $defs: { arguments: { $defs: Record<string, Arguments> }; case: { properties: { requires: { items: { enum: string[] } } } } };
};
const NOT_NULL = { not: { type: "null" } };
const isNotNull = (value: unknown): boolean => JSON.stringify(value) === JSON.stringify(NOT_NULL);

function fromSchema(name: string, found: Arguments, extended: ReadonlySet<string>): Operation {
  const names = Object.keys(found.properties);
  return {
    name,
    required: found.required,
    optional: names.filter((arg) => !found.required.includes(arg)),
    extended: extended.has(name),
    notNull: names.filter((arg) => isNotNull(found.properties[arg])),
  };
}

test("every operation and its arguments are the schema's", () => {
  const extended = new Set(schema.$defs.case.properties.requires.items.enum);
  const found = Object.entries(schema.$defs.arguments.$defs).map(([name, args]) => fromSchema(name, args, extended));
  assert.deepStrictEqual(found, [...OPERATIONS.values()]);
  assert.deepStrictEqual(extended, new Set([...OPERATIONS.values()].filter((op) => op.extended).map((op) => op.name)));
});

test("a case file's operation is an operation or a group", () => {
  assert.deepStrictEqual(schema.properties.operation.enum, [...OPERATIONS.keys(), ...GROUPS]);
});

test("the argument schemas hold nothing the table cannot say", () => {
  for (const found of Object.values(schema.$defs.arguments.$defs)) {
    assert.deepStrictEqual(Object.keys(found).sort(), ["additionalProperties", "properties", "required", "type"]);
    assert.ok(found.type === "object" && !found.additionalProperties);
    assert.ok(Object.values(found.properties).every((value) => value === true || isNotNull(value)));
  }
});

test("the saver adapter has a method for every operation", () => {
  assert.deepStrictEqual(Object.keys(METHODS), [...OPERATIONS.keys()]);
});

test("the lint command reports each argument problem at its pointer", async () => {
  const args: Record<string, unknown> = { ...PUT_STEP.args, extra: 1 };
  delete args.metadata;
  const put = { ...PUT_STEP, args };
  const writes = { op: "put_writes", args: { config: { $ref: "saved" }, writes: [["a", 1], ["b"]], task_id: "t", task_path: null } };
  const root = scratchSpec({ "a.json": caseFile([{ id: "c1", title: "t", steps: [put, writes] }]) });
  const { err, output } = capture();
  assert.equal(await main(["lint", "--spec", root], output), 2);
  const where = `error: ${join(root, "cases", "a.json")}#/cases/0/steps`;
  assert.deepStrictEqual(err, [
    `${where}/0/args: put needs argument "metadata" [missing-argument]`,
    `${where}/0/args/extra: put takes no argument "extra" [unknown-argument]`,
    `${where}/1/args/task_path: put_writes argument "task_path" is not null; leave it out for its default [null-argument]`,
    `${where}/1/args/writes/1: a write is a [channel, value] pair [writes-form]`,
  ]);
});
