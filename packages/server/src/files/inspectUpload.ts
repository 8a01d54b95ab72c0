/**
 * The checks an upload passes before it is kept, in order: its bytes are an allowed type, the
 * client's name and Content-Type for it agree, and an image decodes (and is re-encoded, see
 * images.ts). The result says what to store; a refusal says why, for the uploader to read.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { claimAgrees, isImageType, servedFilename, type AllowedType } from "./fileTypes.js";
import { cleanFilename } from "./filenames.js";
import { processImage } from "./images.js";
import { sniffFile } from "./sniff.js";

/** A received upload, whole, in a temporary file. */
export interface UploadCandidate {
  path: string;
  byteSize: number;
  /** As the client sent them: only checked against the bytes, never trusted. */
  filename: string | undefined;
  claimedType: string | undefined;
}

export interface InspectedFile {
  contentType: AllowedType;
  filename: string;
  byteSize: number;
  /** Opens the bytes to store (the re-encoded image, or the upload itself). */
  body: () => Buffer | Readable;
  thumbnail: Buffer | undefined;
  width: number | undefined;
  height: number | undefined;
}

export type Refusal = "empty" | "not_allowed" | "mismatch" | "unreadable";
export type Inspection =
  | { ok: true; file: InspectedFile }
  /** `cause`: what went wrong inside, for the log (the uploader reads only the refusal). */
  | { ok: false; refusal: Refusal; cause?: Error };

export type UploadInspector = (upload: UploadCandidate) => Promise<Inspection>;

export const inspectUpload: UploadInspector = async (upload) => {
  if (upload.byteSize === 0) return { ok: false, refusal: "empty" };
  const sniffed = await sniffFile(upload.path);
  if (sniffed.kind === "refused") return { ok: false, refusal: "not_allowed" };
  const type = sniffed.type;
  const filename = cleanFilename(upload.filename);
  if (!claimAgrees(type, upload.claimedType, filename)) return { ok: false, refusal: "mismatch" };
  const served = servedFilename(type, filename);

  if (!isImageType(type)) {
    return {
      ok: true,
      file: {
        contentType: type,
        filename: served,
        byteSize: upload.byteSize,
        body: () => createReadStream(upload.path),
        thumbnail: undefined,
        width: undefined,
        height: undefined,
      },
    };
  }
  const decoded = await processImage(upload.path, type);
  if (!decoded.ok) return { ok: false, refusal: "unreadable", cause: decoded.error };
  const { image } = decoded;
  return {
    ok: true,
    file: {
      contentType: type,
      filename: served,
      byteSize: image.original.length,
      body: () => image.original,
      thumbnail: image.thumbnail,
      width: image.width,
      height: image.height,
    },
  };
};
