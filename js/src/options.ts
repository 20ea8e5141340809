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
const SPEC: OptionSpec = { type: "string", names: "folder" };
const TIMEOUT: OptionSpec = { type: "string" };

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  run: {
    synopsis:
      "run --target T [--spec DIR] [--case GLOB]... [--json FILE] [--known FILE] [--update-known] [--timeout SECONDS] [-v]",
    options: {
      target: TARGET,
      spec: SPEC,
      case: { type: "string", multiple: true },
      json: { type: "string", names: "file" },
      known: { type: "string", names: "file" },
      "update-known": { type: "boolean" },
      timeout: TIMEOUT,
      verbose: { type: "boolean", short: "v" },
    },
    required: ["target"],
  },
  lint: { synopsis: "lint [--spec DIR]", options: { spec: SPEC }, required: [] },
  driver: {
    synopsis: "driver --target T [--timeout SECONDS]   serve spec/protocol.md on standard input and output",
    options: { target: TARGET, timeout: TIMEOUT },
    required: ["target"],
  },
};

const HELP: OptionSpec = { type: "boolean", short: "h" };

/** The usage of one command, or of all of them. */
export function usage(command: string | null, targets: readonly string[]): string {
  if (command !== null) return `usage: ${TOOL} ${COMMANDS[command]!.synopsis}\n(${TOOL} --help describes every command)`;
  const lines = Object.values(COMMANDS).map((spec) => `  ${spec.synopsis}`);
  return `usage: ${TOOL} COMMAND [options]

commands:
${lines.join("\n")}

T is a built-in target (${targets.join(", ")}) or ./path/to/module.js:exportName,
an export returning a fresh BaseCheckpointSaver (or a promise of one) per call.
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
  spec?: string;
  case?: string[];
  json?: string;
  known?: string;
  "update-known"?: boolean;
  timeout: number;
  verbose?: boolean;
}

/** What the command line asks for: a command's usage (all of them when command is null), or a command to run. */
export type CommandLine =
  | { readonly help: true; readonly command: string | null }
  | { readonly help: false; readonly command: string; readonly values: Values };

function optionName(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** A positive, finite number of seconds. */
export function parseTimeout(text: string, command: string | null = null): number {
  const seconds = /^\s*(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isFinite(seconds) && seconds > 0)) {
    throw new UsageError("--timeout", `must be a positive number of seconds, not '${text}'`, command);
  }
  return seconds;
}

/** Which of the other commands take an option, for saying where it belongs. */
function ownersOf(name: string): string[] {
  return Object.entries(COMMANDS)
    .filter(([, spec]) => Object.hasOwn(spec.options, name) || Object.values(spec.options).some((o) => o.short === name))
    .map(([command]) => command);
}

// eslint-disable-next-line complexity -- over the limit, to be split
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const first = argv[0];
  if (first === undefined) throw new UsageError("COMMAND", "missing: give one of " + Object.keys(COMMANDS).join(", "), null);
  if (first === "-h" || first === "--help") return { help: true, command: null };
  if (first.startsWith("-")) {
    throw new UsageError(first.split("=")[0]!, `comes before the command: options follow one of ${Object.keys(COMMANDS).join(", ")}`, null);
  }
  const spec = COMMANDS[first];
  if (spec === undefined) throw new UsageError(first, `unknown command (the commands are ${Object.keys(COMMANDS).join(", ")})`, null);
  const options: Readonly<Record<string, OptionSpec>> = { ...spec.options, help: HELP };
  // Not strict: the tokens are checked here, so that every error names its option.
  const { tokens } = parseArgs({ args: [...argv.slice(1)], options, strict: false, allowPositionals: true, tokens: true });
  const found = Object.create(null) as Record<string, unknown>;
  for (const token of tokens) {
    if (token.kind === "positional") throw new UsageError(token.value, `unexpected argument to ${first}`, first);
    if (token.kind === "option-terminator") continue;
    const known = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    const shown = token.rawName;
    if (known === undefined) {
      const owners = ownersOf(token.name);
      const why = owners.length > 0 ? `an option of ${owners.join(" and ")}, not of ${first}` : `not an option of ${first}`;
      throw new UsageError(shown, why, first);
    }
    if (token.name === "help") return { help: true, command: first };
    if (known.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(shown, "takes no value", first);
      found[token.name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && /^--?[A-Za-z]/.test(value))) {
      throw new UsageError(shown, "needs a value", first);
    }
    if (value === "" && known.names !== undefined) throw new UsageError(shown, `needs a ${known.names} name`, first);
    if (known.multiple === true) found[token.name] = [...((found[token.name] as string[] | undefined) ?? []), value];
    else found[token.name] = value;
  }
  for (const name of spec.required) {
    if (found[name] === undefined) throw new UsageError(optionName(name), `required by ${first}`, first);
  }
  const timeout = found.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : parseTimeout(found.timeout as string, first);
  return { help: false, command: first, values: { ...(found as Omit<Values, "timeout">), timeout } };
}
