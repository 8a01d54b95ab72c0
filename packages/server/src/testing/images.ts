/** Images made in the test with sharp. */
import sharp from "sharp";

/** A PNG of noise (so it does not compress to nothing) cut in half: a PNG by its first bytes, unreadable past them. */
export async function truncatedPng(): Promise<Buffer> {
  const noise = { type: "gaussian" as const, mean: 128, sigma: 60 };
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#808080", noise } })
    .png()
    .toBuffer();
  return png.subarray(0, png.length / 2);
}
