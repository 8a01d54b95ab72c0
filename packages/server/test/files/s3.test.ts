/**
 * The attachment suite with files in an S3 bucket: s3rver (an S3-protocol server) on a loopback
 * port, a fresh bucket per run, the real AWS SDK in the server.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { ageInSqlite } from "./blobCounts.js";
import { uploadSuite } from "./uploadSuite.js";

// The SDK warns once per process when its Node is older than the one its next releases need
// (Node 22 from January 2027). Parley runs on 22.13+, so there must be none.
const warnings: Error[] = [];
process.on("warning", (warning) => warnings.push(warning));

/** s3rver accepts only its own fixed credentials. */
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const directory = mkdtempSync(join(tmpdir(), "parley-s3rver-"));
const s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
const { port } = await s3rver.run();
const endpoint = `http://127.0.0.1:${port}`;
const bucket = `parley-test-${Date.now().toString(36)}`;
const client = new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: CREDENTIALS,
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
});
await client.send(new CreateBucketCommand({ Bucket: bucket }));

after(async () => {
  client.destroy();
  await s3rver.close();
  rmSync(directory, { recursive: true, force: true });
});

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
  env: {
    S3_BUCKET: bucket,
    S3_ENDPOINT: endpoint,
    S3_REGION: "us-east-1",
    S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
  },
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
