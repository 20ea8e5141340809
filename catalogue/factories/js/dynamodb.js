// @rwai/langgraphjs-checkpoint-dynamodb against the dynalite emulator (--target-arg: its http://127.0.0.1:PORT):
// each case makes its own two tables, with the keys the saver's README gives, and deletes them in close.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";

import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

import { timed } from "./timed.js";

// Its ES module build imports "./saver" without an extension, which Node refuses; its CommonJS build loads.
const { DynamoDBSaver } = createRequire(import.meta.url)("@rwai/langgraphjs-checkpoint-dynamodb");

// The emulator takes any credentials; the region is only needed by the client.
const clientConfig = (endpoint) => ({ endpoint, region: "us-east-1", credentials: { accessKeyId: "spec", secretAccessKey: "spec" } });

function table(name, hash, range) {
  return new CreateTableCommand({
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: [
      { AttributeName: hash, KeyType: "HASH" },
      { AttributeName: range, KeyType: "RANGE" },
    ],
    AttributeDefinitions: [
      { AttributeName: hash, AttributeType: "S" },
      { AttributeName: range, AttributeType: "S" },
    ],
  });
}

async function make(endpoint) {
  const prefix = `spec-${randomUUID()}`;
  const checkpointsTableName = `${prefix}-checkpoints`;
  const writesTableName = `${prefix}-writes`;
  const client = new DynamoDBClient(clientConfig(endpoint));
  await client.send(table(checkpointsTableName, "thread_id", "checkpoint_id"));
  await client.send(table(writesTableName, "thread_id_checkpoint_id_checkpoint_ns", "task_id_idx"));
  const saver = new DynamoDBSaver({ clientConfig: clientConfig(endpoint), checkpointsTableName, writesTableName });
  const close = async () => {
    try {
      for (const name of [checkpointsTableName, writesTableName]) await client.send(new DeleteTableCommand({ TableName: name }));
    } finally {
      client.destroy();
    }
  };
  return { saver, close };
}

export const factory = timed(make);
