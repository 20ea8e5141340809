/** The one protocol version constant is the version spec/protocol.md and the driver-message schema state. */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { PROTOCOL_VERSION } from "../driver.js";
import { SPEC_ROOT } from "./helpers.js";

test("PROTOCOL_VERSION is the version protocol.md's heading and the schema's start reply state", () => {
  const heading = readFileSync(join(SPEC_ROOT, "protocol.md"), "utf-8").split("\n")[0]!;
  const found = /^# The driver protocol \(version (\d+)\)$/.exec(heading);
  assert.ok(found !== null, heading);
  const schema = JSON.parse(readFileSync(join(SPEC_ROOT, "schema", "driver-message.schema.json"), "utf-8")) as {
    $defs: { startReply: { properties: { version: { const: number } } } };
  };
  assert.deepStrictEqual([Number(found[1]), schema.$defs.startReply.properties.version.const], [PROTOCOL_VERSION, PROTOCOL_VERSION]);
});
