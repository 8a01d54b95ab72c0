/**
 * The attachment suite with files in an S3 bucket: s3rver (an S3-protocol server) on a loopback
 * port, a fresh bucket per run, the real AWS SDK in the server.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { startTestBucket } from "../support/s3Bucket.js";
import { ageInSqlite } from "./blobCounts.js";
import { uploadSuite } from "./uploadSuite.js";

// The SDK warns once per process when its Node is older than the one its next releases need
// (Node 22 from January 2027). Parley runs on 22.13+, so there must be none.
const warnings: Error[] = [];
process.on("warning", (warning) => warnings.push(warning));

const { bucket, client, env } = await startTestBucket("parley-test");

async function countObjects(): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return count;
}

uploadSuite("S3 (s3rver), SQLite", async () => ({
  env,
  countBlobs: countObjects,
  age: ageInSqlite,
}));

test("the AWS SDK gives no warning about the Node version", () => {
  const fromSdk = warnings.filter((warning) => /NodeVersionSupport|AWS SDK/.test(warning.message));
  assert.deepEqual(
    fromSdk.map((warning) => warning.message),
    [],
  );
});
