/** Loading spec files: schema validation (ajv, JSON Schema 2020-12) and the semantic lint; reading the JSON text is spec-json.ts. */

import type { Level } from "./levels.js";
import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";

import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

import { ALL_TAGS, FLOAT_NAMES, INT_TEXT, MATCHER_TAGS, MAX_SAFE_INTEGER, REFERENCE_TAGS, isBase64, isDatetimeText, isPlainObject, tagOf } from "./codec.js";
import { SpecError } from "./errors.js";
import { measureFixtures } from "./fixtures.js";
import type { LintRule } from "./lint-rules.js";
import { OPERATIONS, argumentProblems, unknownOperation } from "./operations.js";
import { isPointer } from "./references.js";
import { regexProblem } from "./regex-subset.js";
import { Expander, lintScript, type Graph, type RawScenarioStep } from "./scenario-lint.js";
import { TOO_DEEP, escapeToken, readJson, tooDeep } from "./spec-json.js";

export { escapeToken, readJson };

export const POINTER_PROBLEM = "the part after # must be a JSON pointer (RFC 6901): empty, or tokens each after a /, ~ only as ~0 or ~1";
export const MERGE_OPERAND_PROBLEM = "a $merge operand is a plain object or a reference ($fixture, $ref, $merge)";
export const TYPE_NAMES = [
  "null", "boolean", "integer", "number", "string", "bytes", "array", "tuple", "object", "datetime",
] as const;

export type Expect = { result: unknown } | { error: string };

export interface Step {
  readonly index: number;
  readonly op: string;
  readonly args: Record<string, unknown>;
  readonly name: string | null;
  readonly expect: Expect | null;
  readonly note: string | null;
}

export interface Case {
  readonly id: string;
  readonly title: string;
  readonly operation: string;
  readonly requires: readonly string[];
  readonly steps: readonly Step[];
  /** contract or reference (spec/README.md 1.2); a driver's case (protocol.md) has none, its caller judges. */
  readonly level: Level;
  readonly file: string;
  readonly pointer: string;
  /** FILE#POINTER of the case. */
  readonly where: string;
  /** A scenario's graph (spec/README.md section 8), with named graphs expanded; null for a case. */
  readonly graph: Graph | null;
}

export interface Spec {
  readonly root: string;
  readonly cases: Case[];
  readonly fixtures: Record<string, unknown>;
}

export function caseIds(spec: Spec): Set<string> {
  return new Set(spec.cases.map((c) => c.id));
}

/** Every problem found in the spec files, each naming its file and pointer. */
export class InvalidSpec extends Error {
  readonly problems: SpecError[];

  constructor(problems: SpecError[]) {
    super(problems.map((problem) => problem.message).join("\n"));
    this.name = "InvalidSpec";
    this.problems = problems;
  }
}

// Not strict: any valid JSON Schema 2020-12 is accepted (the schema itself is still checked against the meta-schema).
const ajv = new Ajv2020({ allErrors: false, strict: false, validateSchema: true });
const validators = new Map<string, ValidateFunction>();

/** Throw SpecError, with the pointer inside the schema, unless schema is a valid JSON Schema 2020-12. */
export function checkSchema(schema: unknown, where: string): void {
  if (typeof schema !== "boolean" && !isPlainObject(schema)) throw new SpecError(where, "is not a JSON Schema 2020-12: a schema is an object or a boolean", null, "schema-file");
  let valid: unknown;
  try {
    valid = ajv.validateSchema(schema);
  } catch (error) {
    // A $schema naming a meta-schema ajv does not know.
    throw new SpecError(where, `is not a JSON Schema 2020-12: ${(error as Error).message}`, "/$schema", "schema-file");
  }
  if (valid === true) return;
  const error = (ajv.errors ?? [])[0];
  throw new SpecError(where, `is not a JSON Schema 2020-12: ${error === undefined ? "invalid" : describe(error)}`, error?.instancePath ?? "", "schema-file");
}

function validatorFor(schemaPath: string): ValidateFunction {
  let validator = validators.get(schemaPath);
  if (validator === undefined) {
    const schema = readJson(schemaPath) as { $id?: string };
    checkSchema(schema, schemaPath);
    const existing = schema.$id === undefined ? undefined : ajv.getSchema(schema.$id);
    try {
      validator = existing ?? ajv.compile(schema);
    } catch (error) {
      // Valid against the meta-schema, yet not usable (say, a $ref that resolves to nothing).
      throw new SpecError(schemaPath, `cannot be used as a schema: ${(error as Error).message}`, null, "schema-file");
    }
    validators.set(schemaPath, validator);
  }
  return validator;
}

/** The most useful of ajv's errors: inside a failed oneOf/anyOf, the deepest branch error. */
function bestError(errors: ErrorObject[]): ErrorObject {
  const last = errors[errors.length - 1]!;
  if (last.keyword !== "oneOf" && last.keyword !== "anyOf") return errors[0]!;
  const branches = errors.slice(0, -1);
  if (branches.length === 0) return last;
  return branches.reduce((best, error) => (error.instancePath.length > best.instancePath.length ? error : best));
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") return `member ${JSON.stringify(params.additionalProperty)} is not allowed`;
  if (error.keyword === "enum") return `${error.message ?? "is invalid"}: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  // A propertyNames failure is reported at the object: name the member.
  if (error.propertyName !== undefined) return `member name ${JSON.stringify(error.propertyName)} ${error.message ?? "is invalid"}`;
  return error.message ?? `fails ${error.keyword}`;
}

/** Throw SpecError with the JSON pointer of the first schema error. */
export function validate(document: unknown, schemaPath: string, where: string): void {
  const validator = validatorFor(schemaPath);
  if (validator(document)) return;
  const error = bestError(validator.errors ?? []);
  throw new SpecError(where, describe(error), error.instancePath, "schema");
}

interface ValueContext {
  /** Step names a $ref may use; null where no $ref may appear. */
  readonly names: ReadonlySet<string> | null;
  readonly matchers: boolean;
}

/** Reports a problem at a tag's argument. */
type Bad = (message: string, rule?: LintRule) => void;

/** $bytes, $int, $float and $datetime: the argument's text. */
function literalArgument(tag: string, arg: unknown, bad: Bad): void {
  if (tag === "$bytes") {
    if (typeof arg !== "string") bad("$bytes takes base64 text");
    else if (!isBase64(arg)) bad("$bytes is not valid base64");
  } else if (tag === "$int") {
    if (typeof arg !== "string" || !INT_TEXT.test(arg)) bad("$int takes decimal text of at most 1000 digits", "int-bounds");
    else if (BigInt(arg) <= BigInt(MAX_SAFE_INTEGER) && BigInt(arg) >= -BigInt(MAX_SAFE_INTEGER)) {
      bad("$int is only for integers outside ±(2^53−1); write a plain number", "int-bounds");
    }
  } else if (tag === "$float") {
    if (!(FLOAT_NAMES as readonly unknown[]).includes(arg)) bad(`$float takes one of ${FLOAT_NAMES.join(", ")}`);
  } else if (typeof arg !== "string" || !isDatetimeText(arg)) {
    bad("$datetime takes ISO 8601 text with a UTC offset (spec/README.md 2.1)", "datetime");
  }
}

/** $type, $regex and $any: the argument a matcher takes. */
function patternArgument(tag: string, arg: unknown, bad: Bad): void {
  if (tag === "$type") {
    if (!(TYPE_NAMES as readonly unknown[]).includes(arg)) bad(`$type takes one of ${TYPE_NAMES.join(", ")}`);
  } else if (tag === "$regex") {
    const why = typeof arg === "string" ? regexProblem(arg) : null;
    if (typeof arg !== "string") bad("$regex takes a pattern string");
    else if (why !== null) bad(`$regex is outside the subset of spec/README.md 2.3: ${why}`, "regex-grammar");
  } else if (arg !== true) {
    bad("$any takes true");
  }
}

/** Checks a schema cannot express; collects every problem it finds. */
export class Lint {
  readonly problems: SpecError[] = [];

  constructor(readonly fixtures: Readonly<Record<string, unknown>>) {}

  problem(where: string, pointer: string, rule: LintRule, message: string): void {
    this.problems.push(new SpecError(where, message, pointer, rule));
  }

  value(value: unknown, where: string, pointer: string, context: ValueContext): void {
    const tag = tagOf(value);
    if (tag !== null) {
      this.tag(tag, (value as Record<string, unknown>)[tag], where, pointer, context);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => this.value(item, where, `${pointer}/${index}`, context));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const child = `${pointer}/${escapeToken(key)}`;
        if (key.startsWith("$")) {
          this.problem(where, child, "dollar-member", `member ${JSON.stringify(key)} reads as a tag; wrap the object in $object`);
        }
        this.value(item, where, child, context);
      }
    }
  }

  tag(tag: string, arg: unknown, where: string, pointer: string, context: ValueContext): void {
    const inner = `${pointer}/${escapeToken(tag)}`;
    const bad: Bad = (message, rule = "tag-argument") => this.problem(where, inner, rule, message);
    if (!ALL_TAGS.has(tag)) bad(`unknown tag ${tag}`, "unknown-tag");
    else if (MATCHER_TAGS.has(tag) && !context.matchers) bad(`matcher ${tag} may appear only in an expectation`, "matcher-in-args");
    else if (["$bytes", "$int", "$float", "$datetime"].includes(tag)) literalArgument(tag, arg, bad);
    else if (["$type", "$regex", "$any"].includes(tag)) patternArgument(tag, arg, bad);
    else if (["$opaque", "$fixture", "$ref"].includes(tag)) this.referenceArgument(tag, arg, bad, context);
    else this.nestedArgument(tag, arg, where, inner, bad, context);
  }

  /** $opaque, $fixture and $ref: where they may appear and what they name. */
  private referenceArgument(tag: string, arg: unknown, bad: Bad, context: ValueContext): void {
    const { names, matchers } = context;
    if (tag === "$opaque") {
      if (!matchers) bad("$opaque may appear only in an expectation", "opaque-in-args");
    } else if (tag === "$fixture") {
      if (typeof arg !== "string") bad("$fixture takes a fixture name");
      else if (!Object.hasOwn(this.fixtures, arg)) bad(`no fixture named ${JSON.stringify(arg)} in fixtures/`, "unknown-fixture");
    } else {
      const name = typeof arg === "string" ? arg.split("#")[0]! : null;
      const after = typeof arg === "string" && arg.includes("#") ? arg.slice(arg.indexOf("#") + 1) : "";
      if (names === null) bad("$ref may appear only in a step", "ref-outside-step");
      else if (name === null || !names.has(name)) {
        bad(`$ref names ${JSON.stringify(name)}, which no earlier step of this case defines with "as"`, "ref-earlier-step");
      } else if (!isPointer(after)) bad(POINTER_PROBLEM, "ref-pointer");
    }
  }

  /** $tuple, $unordered, $object, $partial, $merge, $gt and $not: the argument's shape, then its values. */
  private nestedArgument(tag: string, arg: unknown, where: string, inner: string, bad: Bad, context: ValueContext): void {
    if (tag === "$tuple" || tag === "$unordered") {
      if (!Array.isArray(arg)) bad(`${tag} takes an array`);
      else this.value(arg, where, inner, context);
    } else if (tag === "$object" || tag === "$partial") {
      if (!isPlainObject(arg)) bad(`${tag} takes an object`);
      else for (const [key, item] of Object.entries(arg)) this.value(item, where, `${inner}/${escapeToken(key)}`, context);
    } else if (tag === "$merge") {
      if (!Array.isArray(arg) || arg.length < 2) bad("$merge takes an array of at least two objects");
      else {
        arg.forEach((item, index) => {
          const operandTag = tagOf(item);
          if (!isPlainObject(item) || (operandTag !== null && !REFERENCE_TAGS.has(operandTag))) {
            this.problem(where, `${inner}/${index}`, "merge-operand", MERGE_OPERAND_PROBLEM);
          }
        });
        this.value(arg, where, inner, context);
      }
    } else {
      this.value(arg, where, inner, { names: context.names, matchers: tag === "$not" });
    }
  }

  /** The value checks of a scenario's steps (references, tags, fixtures) and its unique `as` names. */
  scenarioSteps(steps: readonly RawScenarioStep[], where: string, pointer: string): void {
    const names = new Set<string>();
    steps.forEach((step, index) => {
      const at = `${pointer}/steps/${index}`;
      this.value(step.args, where, `${at}/args`, { names, matchers: false });
      if (step.expect !== undefined && "result" in step.expect) {
        this.value(step.expect.result, where, `${at}/expect/result`, { names, matchers: true });
      }
      if (step.as !== undefined) {
        if (names.has(step.as)) this.problem(where, `${at}/as`, "duplicate-as", `step name ${JSON.stringify(step.as)} is already used in this scenario`);
        names.add(step.as);
      }
    });
  }

  /** The checks of one raw case object (already valid against the schema's case definition). */
  caseObject(raw: RawCase, where: string, pointer: string): void {
    const names = new Set<string>();
    const requires = new Set(raw.requires ?? []);
    raw.steps.forEach((step, index) => {
      const at = `${pointer}/steps/${index}`;
      const op = OPERATIONS.get(step.op);
      if (op === undefined) {
        this.problem(where, `${at}/op`, "unknown-op", unknownOperation(step.op));
      } else {
        if (op.extended && !requires.has(op.name)) {
          this.problem(where, `${at}/op`, "requires-extended", `${op.name} is an extended capability; list it in the case's "requires"`);
        }
        for (const [below, rule, message] of argumentProblems(op, step.args)) this.problem(where, `${at}/args${below}`, rule, message);
      }
      this.value(step.args, where, `${at}/args`, { names, matchers: false });
      if (step.expect !== undefined && "result" in step.expect) {
        this.value(step.expect.result, where, `${at}/expect/result`, { names, matchers: true });
      }
      if (step.as !== undefined) {
        if (names.has(step.as)) this.problem(where, `${at}/as`, "duplicate-as", `step name ${JSON.stringify(step.as)} is already used in this case`);
        names.add(step.as);
      }
    });
  }
}

export interface RawStep {
  op: string;
  args: Record<string, unknown>;
  as?: string;
  note?: string;
  expect?: Expect;
}

export interface RawCase {
  id: string;
  title: string;
  level: Level;
  requires?: string[];
  steps: RawStep[];
}

interface CaseFile {
  operation: string;
  cases: RawCase[];
}

function jsonFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(folder, name));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function loadFixtures(root: string): Record<string, unknown> {
  const fixtures: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const problems: SpecError[] = [];
  const schema = join(root, "schema", "fixture.schema.json");
  const folder = join(root, "fixtures");
  for (const path of isDirectory(folder) ? jsonFiles(folder) : []) {
    try {
      const document = readJson(path);
      validate(document, schema, path);
      fixtures[basename(path, ".json")] = (document as { value: unknown }).value;
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new InvalidSpec(problems);
  const lint = new Lint(fixtures);
  for (const [name, value] of Object.entries(fixtures)) {
    lint.value(value, join(folder, `${name}.json`), "/value", { names: null, matchers: false });
  }
  lint.problems.push(...fixtureProblems(folder, fixtures));
  if (lint.problems.length > 0) throw new InvalidSpec(lint.problems);
  return fixtures;
}

/** The lint's problems with how fixtures use each other: cycles, expanded depth and size (2.2). */
export function fixtureProblems(folder: string, fixtures: Readonly<Record<string, unknown>>): SpecError[] {
  return measureFixtures(fixtures).problems.map(([name, rule, message]) => new SpecError(join(folder, `${name}.json`), message, "/value", rule));
}

/** The lint's problems with one value as an expectation's result (pointers inside the value). */
export function expectationProblems(value: unknown, names: readonly string[] = []): SpecError[] {
  const lint = new Lint({});
  lint.value(value, "value", "", { names: new Set(names), matchers: true });
  return lint.problems;
}

function toCase(raw: RawCase, operation: string, file: string, pointer: string, graph: Graph | null = null): Case {
  return {
    id: raw.id,
    title: raw.title,
    operation,
    requires: [...(raw.requires ?? [])],
    level: raw.level,
    steps: raw.steps.map((s, index) => ({
      index,
      op: s.op,
      args: s.args,
      name: s.as ?? null,
      expect: s.expect ?? null,
      note: s.note ?? null,
    })),
    file,
    pointer,
    where: `${file}#${pointer}`,
    graph,
  };
}

/** A case object received without its file (the driver protocol), linted like one in a file. */
/** A received case's first problem of shape (no steps, a malformed step or `requires`) (what the schema would reject first); null when none. */
function shapeProblem(raw: Record<string, unknown>, steps: unknown[]): { pointer: string; message: string } | null {
  if (steps.length === 0) return { pointer: "/steps", message: "steps must be a non-empty array" };
  for (const [index, step] of steps.entries()) {
    if (!isPlainObject(step) || typeof step.op !== "string" || !isPlainObject(step.args)) {
      return { pointer: `/steps/${index}`, message: "a step needs op and args" };
    }
    const expect = step.expect;
    if (expect !== undefined && expect !== null && !(isPlainObject(expect) && (Object.hasOwn(expect, "result") || Object.hasOwn(expect, "error")))) {
      return { pointer: `/steps/${index}/expect`, message: "a step's expect needs result or error" };
    }
  }
  const requires = raw.requires;
  if (requires !== undefined && !(Array.isArray(requires) && requires.every((item) => typeof item === "string"))) {
    return { pointer: "/requires", message: "requires must be an array of strings" };
  }
  return null;
}

export function caseFromObject(raw: unknown, fixtures: Readonly<Record<string, unknown>>, where = "case"): Case {
  if (!isPlainObject(raw) || typeof raw.id !== "string" || !Array.isArray(raw.steps)) {
    throw new InvalidSpec([new SpecError(where, "a case needs an id and steps", "", "schema")]);
  }
  // Received as a parsed object, not a file: its nesting (section 1.1 rule 5) is checked before the recursive lint.
  const deep = tooDeep(raw);
  if (deep !== null) throw new InvalidSpec([new SpecError(where, TOO_DEEP, deep, "json-reading")]);
  const steps = raw.steps as unknown[];
  const shape = shapeProblem(raw, steps);
  if (shape !== null) throw new InvalidSpec([new SpecError(where, shape.message, shape.pointer, "schema")]);
  const lint = new Lint(fixtures);
  const typed = raw as unknown as RawCase;
  const title = typeof raw.title === "string" ? raw.title : typed.id;
  // The protocol's case carries no level (protocol.md): its caller judges.
  const level: Level = "contract";
  if (Object.hasOwn(raw, "graph")) {
    // A scenario (spec/README.md section 8): its graph arrives expanded, so no graph name is left to resolve.
    if (!isPlainObject(raw.graph) || !isPlainObject(raw.graph.channels) || !isPlainObject(raw.graph.nodes)) {
      throw new InvalidSpec([new SpecError(where, "a scenario's graph needs channels and nodes", "/graph", "schema")]);
    }
    const problem = (pointer: string, rule: LintRule, message: string): void => lint.problem(where, pointer, rule, message);
    const graph = new Expander({}, problem).expand(raw.graph as unknown as Graph, "/graph");
    lintScript(graph, steps as RawScenarioStep[], "", problem);
    lint.scenarioSteps(steps as RawScenarioStep[], where, "");
    if (lint.problems.length > 0) throw new InvalidSpec(lint.problems);
    const operation = typeof raw.topic === "string" ? raw.topic : "";
    return toCase({ ...typed, title, level, requires: [] }, operation, where, "", graph);
  }
  lint.caseObject(typed, where, "");
  if (lint.problems.length > 0) throw new InvalidSpec(lint.problems);
  return toCase({ ...typed, title, level }, "", where, "");
}

/**
 * Load and check every file under root; throw InvalidSpec listing every problem.
 *
 * casesFolder defaults to root/cases; the self-test cases live elsewhere but
 * share the fixtures and schemas.
 */
/** A JSON file that satisfies its schema, or null with the problem added to the lint's. */
function validFile(path: string, schema: string, lint: Lint): unknown {
  try {
    const parsed = readJson(path);
    validate(parsed, schema, path);
    return parsed;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    lint.problems.push(error);
    return null;
  }
}

export function loadSpec(root: string, casesFolder: string | null = null): Spec {
  const folder = casesFolder ?? join(root, "cases");
  if (!isDirectory(folder)) {
    throw new InvalidSpec([new SpecError(root, "is not a spec folder (it has no cases/ folder)", null, "spec-folder")]);
  }
  const fixtures = loadFixtures(root);
  const spec: Spec = { root, cases: [], fixtures };
  const lint = new Lint(fixtures);
  const schema = join(root, "schema", "case-file.schema.json");
  const seen = new Map<string, string>();
  for (const path of jsonFiles(folder)) {
    const document = validFile(path, schema, lint) as CaseFile | null; // as the schema has just checked
    if (document === null) continue;
    document.cases.forEach((raw, position) => {
      const pointer = `/cases/${position}`;
      const earlier = seen.get(raw.id);
      if (earlier !== undefined) lint.problem(path, `${pointer}/id`, "duplicate-id", `id ${JSON.stringify(raw.id)} is already used at ${earlier}`);
      seen.set(raw.id, `${path}#${pointer}`);
      lint.caseObject(raw, path, pointer);
      spec.cases.push(toCase(raw, document.operation, path, pointer));
    });
  }
  if (folder === join(root, "cases")) loadScenarios(root, spec, lint, seen);
  if (lint.problems.length > 0) throw new InvalidSpec(lint.problems);
  return spec;
}

interface ScenarioFile {
  topic: string;
  graphs?: Record<string, Graph>;
  scenarios: { id: string; title: string; level: Level; graph: Graph | string; steps: RawScenarioStep[] }[];
}

/** scenarios/*.json (section 8), into the same Case objects as cases, each with its expanded graph. */
function loadScenarios(root: string, spec: Spec, lint: Lint, seen: Map<string, string>): void {
  const folder = join(root, "scenarios");
  if (!isDirectory(folder)) return;
  const schema = join(root, "schema", "scenario-file.schema.json");
  for (const path of jsonFiles(folder)) {
    const document = validFile(path, schema, lint) as ScenarioFile | null; // as the schema has just checked
    if (document === null) continue;
    const found: SpecError[] = [];
    const problem = (pointer: string, rule: LintRule, message: string): void => {
      const error = new SpecError(path, message, pointer, rule);
      if (found.every((other) => other.message !== error.message)) found.push(error);
    };
    const expander = new Expander(document.graphs ?? {}, problem);
    for (const name of Object.keys(document.graphs ?? {})) expander.expand(name, `/graphs/${escapeToken(name)}`);
    document.scenarios.forEach((raw, position) => {
      const pointer = `/scenarios/${position}`;
      const earlier = seen.get(raw.id);
      if (earlier !== undefined) lint.problem(path, `${pointer}/id`, "duplicate-id", `id ${JSON.stringify(raw.id)} is already used at ${earlier}`);
      seen.set(raw.id, `${path}#${pointer}`);
      const graph = expander.expand(raw.graph, `${pointer}/graph`);
      lintScript(graph, raw.steps, pointer, problem);
      lint.scenarioSteps(raw.steps, path, pointer);
      spec.cases.push(toCase({ id: raw.id, title: raw.title, level: raw.level, steps: raw.steps }, document.topic, path, pointer, graph));
    });
    lint.problems.push(...found);
  }
}

export const SELFTEST_SCHEMAS: Readonly<Record<string, string>> = {
  "matching.json": "selftest.schema.json",
  "codec.json": "selftest.schema.json",
  "driver.json": "selftest-driver.schema.json",
  "verdicts.json": "selftest-verdicts.schema.json",
  "known.json": "selftest-known.schema.json",
  "aliases.json": "selftest-aliases.schema.json",
  "writes.json": "selftest-writes.schema.json",
  "reading.json": "selftest-reading.schema.json",
  "values.json": "selftest-values.schema.json",
  "reasons.json": "selftest-reasons.schema.json",
  "command-lines.json": "selftest-command-lines.schema.json",
  "arguments.json": "selftest-arguments.schema.json",
  "references.json": "selftest-references.schema.json",
  "lint.json": "selftest-lint.schema.json",
  "globs.json": "selftest-globs.schema.json",
  "errors.json": "selftest-errors.schema.json",
  "levels.json": "selftest-levels.schema.json",
};

/** Validate spec/selftest (when the spec has one); the number of files checked. */
export function lintSelftest(root: string): number {
  const folder = join(root, "selftest");
  if (!isDirectory(folder)) return 0;
  const problems: SpecError[] = [];
  for (const [name, schema] of Object.entries(SELFTEST_SCHEMAS)) {
    try {
      validate(readJson(join(folder, name)), join(root, "schema", schema), join(folder, name));
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new InvalidSpec(problems);
  const cases = loadSpec(root, join(folder, "cases"));
  const where = join(folder, "verdicts.json");
  const verdicts = (readJson(where) as { verdicts: Record<string, unknown> }).verdicts;
  for (const testCase of cases.cases) {
    if (!(testCase.id in verdicts)) problems.push(new SpecError(where, `gives no verdict for self-test case ${JSON.stringify(testCase.id)}`, null, "missing-verdict"));
  }
  const ids = caseIds(cases);
  for (const caseId of Object.keys(verdicts).sort()) {
    if (!ids.has(caseId)) problems.push(new SpecError(where, "names no self-test case", `/verdicts/${escapeToken(caseId)}`, "unknown-case"));
  }
  if (problems.length > 0) throw new InvalidSpec(problems);
  return Object.keys(SELFTEST_SCHEMAS).length + new Set(cases.cases.map((c) => c.file)).size;
}
