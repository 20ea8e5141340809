/** Where the spec is when nothing says otherwise; a leaf every command may import (as roots.py). */

import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's spec/ when run from a checkout, else ./spec. */
export function defaultSpecRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(folder, "spec");
    if (existsSync(join(candidate, "cases")) && statSync(join(candidate, "cases")).isDirectory()) return candidate;
    if (dirname(folder) === folder) return resolvePath("spec");
    folder = dirname(folder);
  }
}
