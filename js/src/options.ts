/**
 * The command line's options, per command (as the Python runner's argparse
 * subcommands): each command accepts only its own options, and anything else
 * is an option error naming the option.
 */

import { parseArgs } from "node:util";

import { SpecError } from "./errors.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./timeouts.js";

export const TOOL = "checkpoint-spec-js";

interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  readonly short?: string;
  /** The value names a file or a folder, so it cannot be empty. */
  readonly names?: "file" | "folder";
}

interface CommandSpec {
  readonly synopsis: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly required: readonly string[];
}

const TARGET: OptionSpec = { type: "string" };
const TARGET_ARG: OptionSpec = { type: "string" };
const SPEC: OptionSpec = { type: "string", names: "folder" };
const TIMEOUT: OptionSpec = { type: "string" };
const CASE: OptionSpec = { type: "string", multiple: true };

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  run: {
    synopsis:
      "run --target T [--target-arg VALUE] [--spec DIR] [--case GLOB]... [--level LEVEL] [--json FILE] [--known FILE] [--update-known] [--timeout SECONDS] [-v]",
    options: {
      target: TARGET,
      "target-arg": TARGET_ARG,
      spec: SPEC,
      case: CASE,
      level: { type: "string" },
      json: { type: "string", names: "file" },
      known: { type: "string", names: "file" },
      "update-known": { type: "boolean" },
      timeout: TIMEOUT,
      verbose: { type: "boolean", short: "v" },
    },
    required: ["target"],
  },
  record: {
    synopsis: "record --target T [--target-arg VALUE] [--spec DIR] [--case GLOB]... [--timeout SECONDS] [--overwrite]   write the expectations steps lack",
    options: { target: TARGET, "target-arg": TARGET_ARG, spec: SPEC, case: CASE, timeout: TIMEOUT, overwrite: { type: "boolean" } },
    required: ["target"],
  },
  lint: { synopsis: "lint [--spec DIR]", options: { spec: SPEC }, required: [] },
  driver: {
    synopsis: "driver --target T [--target-arg VALUE] [--timeout SECONDS]   serve spec/protocol.md on standard input and output",
    options: { target: TARGET, "target-arg": TARGET_ARG, timeout: TIMEOUT },
    required: ["target"],
  },
};

const HELP: OptionSpec = { type: "boolean", short: "h" };

/** What the Python runner has and this one does not (spec/README.md 7.2), and why. */
const PYTHON_ONLY_COMMANDS: Readonly<Record<string, string>> = {
  parity: "a command of the Python runner (checkpoint-spec parity), which drives this one through its driver",
};
const PYTHON_ONLY_OPTIONS: Readonly<Record<string, string>> = {
  async: "an option of the Python runner: a TypeScript saver has one API, the async one",
};
// A word that cannot be an option's value (7.2 rule 7): it looks like an option itself.
const OPTION_LIKE = /^--?[A-Za-z]/;

/** The usage of one command, or of all of them. */
export function usage(command: string | null, targets: readonly string[]): string {
  if (command !== null) return `usage: ${TOOL} ${COMMANDS[command]!.synopsis}\n(${TOOL} --help describes every command)`;
  const lines = Object.values(COMMANDS).map((spec) => `  ${spec.synopsis}`);
  return `usage: ${TOOL} COMMAND [options]
       ${TOOL} --help | --version

commands:
${lines.join("\n")}

T is a built-in target (${targets.join(", ")}) or ./path/to/module.js:exportName,
an export returning a fresh BaseCheckpointSaver (or a promise of one) per call;
--target-arg VALUE calls it with VALUE as its one argument (a connection string, say).
--level LEVEL judges the contract, reference or all cases; the others run and are shown beside
(default: all for a built-in target, contract for a user's).
--timeout is the longest one step of a case may take, making and closing its saver included
(default: ${DEFAULT_TIMEOUT_SECONDS}).`;
}

/** A bad command line: `where` is the option (or argument) to blame; `command` picks the usage hint. */
export class UsageError extends SpecError {
  constructor(
    where: string,
    message: string,
    readonly command: string | null,
  ) {
    super(where, message);
    this.name = "UsageError";
  }
}

export interface Values {
  target?: string;
  "target-arg"?: string;
  spec?: string;
  case?: string[];
  level?: string;
  json?: string;
  known?: string;
  "update-known"?: boolean;
  overwrite?: boolean;
  timeout: number;
  verbose?: boolean;
}

/** What the command line asks for: a command's usage (all of them when command is null), the version, or a command to run. */
export type CommandLine =
  | { readonly help: true; readonly command: string | null }
  | { readonly help: false; readonly command: "--version" }
  | { readonly help: false; readonly command: string; readonly values: Values };

function optionName(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** A positive, finite number of seconds, written as 7.2 says: no sign, no `_`, no `inf`. */
export function parseTimeout(text: string): number {
  const seconds = /^\s*(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isFinite(seconds) && seconds > 0)) {
    throw new SpecError("--timeout", `must be a positive number of seconds, not ${JSON.stringify(text)}`);
  }
  return seconds;
}

/** Which of the other commands take an option, for saying where it belongs. */
function ownersOf(name: string): string[] {
  return Object.entries(COMMANDS)
    .filter(([, spec]) => Object.hasOwn(spec.options, name) || Object.values(spec.options).some((o) => o.short === name))
    .map(([command]) => command);
}

function notAnOption(name: string, command: string): string {
  const pythonOnly = Object.hasOwn(PYTHON_ONLY_OPTIONS, name) ? PYTHON_ONLY_OPTIONS[name] : undefined;
  if (pythonOnly !== undefined) return pythonOnly;
  const owners = ownersOf(name);
  return owners.length > 0 ? `an option of ${owners.join(" and ")}, not of ${command}` : `not an option of ${command}`;
}

/** Rules 1 to 3 of spec/README.md 7.2: the command itself. */
function commandOf(argv: readonly string[]): CommandLine | CommandSpec {
  const names = Object.keys(COMMANDS).join(", ");
  const first = argv[0];
  if (first === undefined) throw new UsageError("COMMAND", `missing: give one of ${names}`, null);
  if (first === "-h" || first === "--help") return { help: true, command: null };
  if (first === "--version") return { help: false, command: "--version" };
  if (first.startsWith("-")) {
    throw new UsageError(first.split("=")[0]!, `comes before the command: options follow one of ${names}`, null);
  }
  const spec = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (spec !== undefined) return spec;
  const pythonOnly = Object.hasOwn(PYTHON_ONLY_COMMANDS, first) ? PYTHON_ONLY_COMMANDS[first] : undefined;
  throw new UsageError(first, pythonOnly ?? `unknown command (the commands are ${names})`, null);
}

/** Rules 4 to 8 of 7.2 on the words after the command: the values found, or null when --help comes first. */
function optionValues(command: string, spec: CommandSpec, words: readonly string[]): Record<string, unknown> | null {
  const options: Readonly<Record<string, OptionSpec>> = { ...spec.options, help: HELP };
  // Not strict: the tokens are checked here, so that every error names its option.
  const { tokens } = parseArgs({ args: [...words], options, strict: false, allowPositionals: true, tokens: true });
  const found = Object.create(null) as Record<string, unknown>;
  for (const token of tokens) {
    if (token.kind === "positional") throw new UsageError(token.value, `unexpected argument to ${command}`, command);
    if (token.kind === "option-terminator") continue;
    // One option per word: parseArgs reads `-vx` as -v and -x, which 7.2 does not.
    const word = words[token.index]!;
    if (!token.rawName.startsWith("--") && word !== token.rawName) throw new UsageError(word, notAnOption(word, command), command);
    const known = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    const shown = token.rawName;
    if (known === undefined) throw new UsageError(shown, notAnOption(token.name, command), command);
    if (token.name === "help") return null;
    found[token.name] = optionValue(command, known, shown, token.value, token.inlineValue === true, found[token.name]);
  }
  return found;
}

function optionValue(command: string, known: OptionSpec, shown: string, value: string | undefined, inline: boolean, before: unknown): unknown {
  if (known.type === "boolean") {
    if (value !== undefined) throw new UsageError(shown, "takes no value", command);
    return true;
  }
  if (value === undefined || (!inline && OPTION_LIKE.test(value))) throw new UsageError(shown, "needs a value", command);
  if (value === "" && known.names !== undefined) throw new UsageError(shown, `needs a ${known.names} name`, command);
  return known.multiple === true ? [...((before as string[] | undefined) ?? []), value] : value;
}

/** The command line read as spec/README.md 7.2 says; a UsageError (or a SpecError for --timeout's value) when it is bad. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const spec = commandOf(argv);
  if ("help" in spec) return spec;
  const command = argv[0]!;
  const found = optionValues(command, spec, argv.slice(1));
  if (found === null) return { help: true, command };
  for (const name of spec.required) {
    if (found[name] === undefined) throw new UsageError(optionName(name), `required by ${command}`, command);
  }
  const timeout = found.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : parseTimeout(found.timeout as string);
  return { help: false, command, values: { ...(found as Omit<Values, "timeout">), timeout } };
}
