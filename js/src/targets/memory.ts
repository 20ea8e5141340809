/** The reference target: LangGraph JS's MemorySaver. */

import { MemorySaver } from "@langchain/langgraph";

import { libraryVersions } from "../versions.js";
import { SaverTarget } from "./saver.js";

export function jsMemory(): Promise<SaverTarget> {
  return SaverTarget.create("js-memory", () => new MemorySaver(), libraryVersions());
}
