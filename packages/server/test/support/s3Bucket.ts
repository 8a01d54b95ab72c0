/**
 * A real S3 bucket for a test file: s3rver (an S3-protocol server) on a loopback port, a fresh
 * bucket, an SDK client to look inside it, the S3_* variables that point a server at it, and its
 * teardown registered with the test runner.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** s3rver accepts only its own fixed credentials. */
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface TestBucket {
  bucket: string;
  client: S3Client;
  /** What a server needs to keep its files in this bucket. */
  env: Record<string, string>;
}

export async function startTestBucket(prefix: string): Promise<TestBucket> {
  const directory = mkdtempSync(join(tmpdir(), "parley-s3rver-"));
  const s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const { port } = await s3rver.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = `${prefix}-${Date.now().toString(36)}`;
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
  return {
    bucket,
    client,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
  };
}
