/**
 * Images are never served as uploaded: each is decoded and encoded again, upright, in its own
 * format, which drops EXIF (GPS positions, camera serials) and anything else riding along in the
 * file (a polyglot's script, trailing bytes). The thumbnail is a 320 px WebP of the first frame.
 */
import type { Sharp } from "sharp";
import type { ImageType } from "./fileTypes.js";
import { loadSharp } from "./loadSharp.js";

export const THUMBNAIL_SIZE = 320;
/** Decompression bombs: a small file that decodes to billions of pixels is refused. */
const MAX_INPUT_PIXELS = 50_000_000;

export interface ProcessedImage {
  original: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
}

const FORMAT_OF: Record<ImageType, "png" | "jpeg" | "gif" | "webp"> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/** Why an image is refused: sharp's error, or what it decoded instead of `type`. */
export type DecodedImage = { ok: true; image: ProcessedImage } | { ok: false; error: Error };

/** Refused when the bytes only looked like an image: sharp cannot decode them as `type`. */
export async function processImage(path: string, type: ImageType): Promise<DecodedImage> {
  const format = FORMAT_OF[type];
  const animated = format === "gif" || format === "webp";
  const sharp = await loadSharp();
  const open = (all: boolean): Sharp =>
    sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, animated: all, failOn: "error" });
  try {
    const metadata = await open(animated).metadata();
    if (metadata.format !== format || metadata.width === undefined || metadata.height === undefined) {
      return {
        ok: false,
        error: new Error(
          `decoded as ${metadata.format} (${metadata.width}x${metadata.height}), not ${format}`,
        ),
      };
    }
    const frames = metadata.pages ?? 1;
    // Opened as animated, a multi-frame image is all its frames stacked: one frame is pageHeight.
    const upright =
      frames > 1
        ? { width: metadata.width, height: metadata.pageHeight ?? metadata.height }
        : (metadata.autoOrient ?? { width: metadata.width, height: metadata.height });
    // Rotating a multi-frame image is not supported, and only JPEG and WebP carry orientation.
    const needsTurn = (metadata.orientation ?? 1) > 1 && frames === 1;
    const source = needsTurn ? open(animated).autoOrient() : open(animated);
    const [original, thumbnail] = await Promise.all([
      reencode(source, format).toBuffer(),
      open(false)
        .autoOrient()
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer(),
    ]);
    return { ok: true, image: { original, thumbnail, width: upright.width, height: upright.height } };
  } catch (error) {
    // sharp's errors here mean "not a decodable image of this type" (corrupt, truncated, too
    // many pixels), or a failing libvips: the caller refuses the upload and logs which.
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** sharp writes no metadata unless asked to, so this is where EXIF is left behind. */
function reencode(image: Sharp, format: "png" | "jpeg" | "gif" | "webp"): Sharp {
  switch (format) {
    case "png":
      return image.png();
    case "jpeg":
      return image.jpeg({ quality: 90 });
    case "gif":
      return image.gif();
    case "webp":
      return image.webp({ quality: 90 });
  }
}
