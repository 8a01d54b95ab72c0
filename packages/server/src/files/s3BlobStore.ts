/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, R2, …) through the AWS SDK v3. S3 writes are
 * atomic per object, which gives the contract's all-or-nothing put for free. The bucket stays
 * private: browsers never talk to it, the server streams blobs out through its signed URLs so
 * every file gets the same safety headers whatever the backend.
 */
import type { Readable } from "node:stream";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { checkBlobKey, type BlobInfo, type BlobStore } from "./blobStore.js";

export interface S3Options {
  bucket: string;
  region: string;
  /** For S3-compatible services; unset: AWS. */
  endpoint: string | undefined;
  /** Unset: the SDK's own credential chain (environment, instance role, …). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Bucket in the path (`host/bucket/key`), as MinIO and most self-hosted services want. */
  forcePathStyle: boolean;
  /** Prepended to every key, so one bucket can hold more than Parley's files. */
  prefix?: string;
}

/** S3's DeleteObjects takes at most this many keys per request. */
const DELETE_BATCH = 1000;

export class S3BlobStore implements BlobStore {
  readonly kind = "s3";
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly options: S3Options) {
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      // Checksums only where S3 requires them: several S3-compatible servers do not accept the
      // SDK's default streaming checksum trailers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    this.prefix = options.prefix ?? "uploads/";
  }

  async put(key: string, body: Buffer | Readable, info: BlobInfo): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.keyOf(key),
        Body: body,
        ContentLength: info.byteSize,
        ContentType: info.contentType,
        // Should the bucket ever be exposed directly, it still never renders a file inline.
        ContentDisposition: "attachment",
      }),
    );
  }

  async get(key: string): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }),
      );
      return object.Body as Readable | undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const result = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.options.bucket,
          Delete: { Objects: batch.map((key) => ({ Key: this.keyOf(key) })), Quiet: true },
        }),
      );
      const failed = result.Errors?.filter((error) => error.Code !== "NoSuchKey") ?? [];
      if (failed.length > 0) {
        throw new Error(
          `S3 refused to delete ${failed.length} blob(s): ${failed[0]?.Code ?? "unknown error"}`,
        );
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    checkBlobKey(key);
    return `${this.prefix}${key}`;
  }
}
