/**
 * An agent's photo (protocol §14) made from an upload: the bytes decide the type (sniff.ts), and
 * only PNG, JPEG, WebP and GIF are taken. The image is decoded (decompression bombs refused, as
 * for attachments: images.ts), turned upright, its first frame centre-cropped to a square of
 * AVATAR_SIZE pixels and encoded as WebP. Nothing of the upload rides along: sharp writes no
 * metadata unless asked to, so EXIF (GPS positions, camera serials) stays behind.
 */
import { createHash } from "node:crypto";
import { AVATAR_SIZE } from "@parley/protocol";
import { isImageType } from "./fileTypes.js";
import { loadSharp } from "./loadSharp.js";
import { sniffFile } from "./sniff.js";

/** As images.ts: a small file that decodes to billions of pixels is refused. */
const MAX_INPUT_PIXELS = 50_000_000;

const FORMAT_OF = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
} as const;

/**
 * `not_image`: the bytes are no image, or not the image they look like (400); `unsupported`: an
 * image of another type, such as BMP, TIFF or HEIC (415).
 */
export type AvatarRefusal = "not_image" | "unsupported";

export type ProcessedAvatar =
  | { ok: true; webp: Buffer; hash: string }
  /** `cause`: what went wrong inside, for the log. */
  | { ok: false; refusal: AvatarRefusal; cause?: Error };

export type AvatarProcessor = (path: string) => Promise<ProcessedAvatar>;

export const processAvatar: AvatarProcessor = async (path) => {
  const sniffed = await sniffFile(path);
  if (sniffed.kind === "refused") {
    return { ok: false, refusal: sniffed.detected.startsWith("image/") ? "unsupported" : "not_image" };
  }
  if (!isImageType(sniffed.type)) return { ok: false, refusal: "not_image" };
  const format = FORMAT_OF[sniffed.type];
  const sharp = await loadSharp();
  const open = () => sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", pages: 1 });
  try {
    const metadata = await open().metadata();
    if (metadata.format !== format) {
      return {
        ok: false,
        refusal: "not_image",
        cause: new Error(`decoded as ${metadata.format}, not ${format}`),
      };
    }
    const webp = await open()
      .autoOrient()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "centre" })
      .webp({ quality: 85 })
      .toBuffer();
    return { ok: true, webp, hash: createHash("sha256").update(webp).digest("hex").slice(0, 16) };
  } catch (error) {
    // Corrupt, truncated, too many pixels: not a decodable image of this type.
    return {
      ok: false,
      refusal: "not_image",
      cause: error instanceof Error ? error : new Error(String(error)),
    };
  }
};
