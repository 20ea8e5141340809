/** Which level a run judges (spec/README.md 6.4); each case's own level is in its file (1.2). */

import { SpecError } from "./errors.js";

export type Level = "contract" | "reference";
export type Judging = Level | "all";
export const LEVELS: readonly Level[] = ["contract", "reference"];
export const JUDGINGS: readonly Judging[] = ["contract", "reference", "all"];

/** The level a run judges: the option's, else all for a built-in target and the contract for a user's. */
export function parseLevel(text: string | undefined, builtin: boolean, option = "--level"): Judging {
  if (text === undefined) return builtin ? "all" : "contract";
  const judging = JUDGINGS.find((candidate) => candidate === text);
  if (judging === undefined) throw new SpecError(option, `must be contract, reference or all, not ${JSON.stringify(text)}`);
  return judging;
}

export function isJudged(level: Level, judging: Judging): boolean {
  return judging === "all" || level === judging;
}
