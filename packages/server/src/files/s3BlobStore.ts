/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, R2, …) through the AWS SDK v3. S3 writes are
 * atomic per object, which gives the contract's all-or-nothing put for free. The bucket stays
 * private: browsers never talk to it, the server streams blobs out through its signed URLs so
 * every file gets the same safety headers whatever the backend.
 *
 * The SDK is imported with the first request, not at boot: it is the heaviest dependency there
 * is, and a server that keeps its files on disk never loads it.
 */
import type { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";
import { checkBlobKey, type BlobInfo, type BlobStore } from "./blobStore.js";

const loadSdk = loadOnce(() => importPackage<typeof import("@aws-sdk/client-s3")>("@aws-sdk/client-s3"));
type Sdk = Awaited<ReturnType<typeof loadSdk>>;

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
  private readonly prefix: string;
  /** The SDK and its client, made with the first request. */
  private connection: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  constructor(private readonly options: S3Options) {
    this.prefix = options.prefix ?? "uploads/";
  }

  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    const { options } = this;
    this.connection ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: options.region,
        forcePathStyle: options.forcePathStyle,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        // Checksums only where S3 requires them: several S3-compatible servers do not accept the
        // SDK's default streaming checksum trailers.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
    }));
    return this.connection;
  }

  async put(key: string, body: Buffer | Readable, info: BlobInfo): Promise<void> {
    const { sdk, client } = await this.connect();
    await client.send(
      new sdk.PutObjectCommand({
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
    const { sdk, client } = await this.connect();
    try {
      const object = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }),
      );
      return object.Body as Readable | undefined;
    } catch (error) {
      if (error instanceof sdk.NoSuchKey) return undefined;
      if (error instanceof sdk.S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const { sdk, client } = await this.connect();
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const result = await client.send(
        new sdk.DeleteObjectsCommand({
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
    const connection = this.connection;
    this.connection = undefined;
    // A connection whose SDK never loaded has nothing to close.
    await connection?.then(
      ({ client }) => client.destroy(),
      () => undefined,
    );
  }

  private keyOf(key: string): string {
    checkBlobKey(key);
    return `${this.prefix}${key}`;
  }
}
