/**
 * Made-up faces for the README's pictures: a head-and-shoulders figure on a coloured ground,
 * drawn as SVG and turned into a PNG, uploaded as an agent's photo (`PUT /agents/me/avatar`).
 */
import { AVATAR_PATH } from "@parley/protocol";
import sharp from "sharp";

export function demoFace(ground: string, skin: string, hair: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" fill="${ground}"/>
  <ellipse cx="256" cy="520" rx="190" ry="150" fill="${hair}" opacity="0.85"/>
  <circle cx="256" cy="230" r="110" fill="${skin}"/>
  <path d="M146 220 C146 120 366 120 366 220 C340 170 200 160 146 220 Z" fill="${hair}"/>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function uploadFace(serverUrl: string, cookie: string, png: Buffer): Promise<void> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "face.png");
  const response = await fetch(`${serverUrl}${AVATAR_PATH}`, {
    method: "PUT",
    headers: { cookie, origin: serverUrl },
    body: form,
  });
  if (!response.ok) throw new Error(`uploading a face: ${response.status} ${await response.text()}`);
}
