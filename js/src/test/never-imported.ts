/** A plug-in module whose import never finishes (`--target ./dist/test/never-imported.js:make`). */

import { MemorySaver } from "@langchain/langgraph";

await new Promise<void>(() => {});

export function make(): MemorySaver {
  return new MemorySaver();
}
