/**
 * Export and erasure with files in an S3 bucket: s3rver on a loopback port, a fresh bucket, the
 * real AWS SDK in the server. An erased person's originals and thumbnails are gone from the bucket.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { CreateBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { privacySuite } from "./suite.js";

/** s3rver accepts only its own fixed credentials. */
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const directory = mkdtempSync(join(tmpdir(), "parley-s3rver-"));
const s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
const { port } = await s3rver.run();
const endpoint = `http://127.0.0.1:${port}`;
const bucket = `parley-privacy-${Date.now().toString(36)}`;
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

async function inBucket(key: string): Promise<boolean> {
  try {
    // The server keeps its files under "uploads/" in the bucket (s3BlobStore.ts).
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `uploads/${key}` }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return false;
    throw error;
  }
}

privacySuite("SQLite, S3", async () =>
  Promise.resolve({
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
    blobExists: (_world, key) => inBucket(key),
  }),
);
