/** Picks the blob store once, for server.ts: S3 when S3_BUCKET is set, else STORAGE_DIR/uploads. */
import { join } from "node:path";
import type { S3Config } from "../config.js";
import type { BlobStore } from "./blobStore.js";
import { DiskBlobStore } from "./diskBlobStore.js";
import { S3BlobStore } from "./s3BlobStore.js";

export function openBlobStore(options: { storageDir: string; s3: S3Config | undefined }): BlobStore {
  if (options.s3 === undefined) return new DiskBlobStore(join(options.storageDir, "uploads"));
  const { bucket, region, endpoint, credentials, forcePathStyle } = options.s3;
  return new S3BlobStore({ bucket, region, endpoint, credentials, forcePathStyle });
}
