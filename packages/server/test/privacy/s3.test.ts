/**
 * Export and erasure with files in an S3 bucket: s3rver on a loopback port, a fresh bucket, the
 * real AWS SDK in the server. An erased person's originals and thumbnails are gone from the bucket.
 */
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { startTestBucket } from "../support/s3Bucket.js";
import { privacySuite } from "./suite.js";

const { bucket, client, env } = await startTestBucket("parley-privacy");

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
    env,
    blobExists: (_world, key) => inBucket(key),
  }),
);
