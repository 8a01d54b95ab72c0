/**
 * Files for the attachment tests, made here rather than checked in: a small PNG drawn byte by
 * byte (zlib and a CRC are all a PNG needs), a one-page PDF, and files the server must refuse.
 * Also the file inputs of the widget and the inbox, and a way to drop or paste files on an
 * element as a browser would.
 */
import { deflateSync } from "node:zlib";
import type { Locator, Page } from "playwright-core";
import { pdfWithText } from "../../packages/server/test/files/fixtures.js";

export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGB PNG of `width`×`height`: a diagonal gradient, so it is not one flat colour. */
export function makePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) {
      rows.set([(x * 255) / width, (y * 255) / height, 160], row + 1 + x * 3);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export const png = (name: string, width = 64, height = 48): FilePayload => ({
  name,
  mimeType: "image/png",
  buffer: makePng(width, height),
});

export const pdf = (name: string): FilePayload => ({
  name,
  mimeType: "application/pdf",
  buffer: pdfWithText("Invoice 42"),
});

/** SVG can carry script: never accepted. */
export const svg = (name: string): FilePayload => ({
  name,
  mimeType: "image/svg+xml",
  buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
});

/** An HTML page dressed up as an image. */
export const htmlAsPng = (name: string): FilePayload => ({
  name,
  mimeType: "image/png",
  buffer: Buffer.from("<!doctype html><h1>not a picture</h1><script>alert(1)</script>"),
});

/** The widget's hidden file input, inside its open shadow root. */
export const widgetFileInput = (page: Page): Locator => page.locator("parley-widget input[type=file]");

/** The inbox composer's hidden file input. */
export const inboxFileInput = (page: Page): Locator => page.locator(".composer input[type=file]");

/** Whether an image has loaded, decoded, with pixels. */
export async function imageLoaded(image: Locator): Promise<boolean> {
  return image.evaluate(
    (element) => element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
  );
}

/** Dispatches `drop` (with files) or `paste` on the element, as dragging or pasting would. */
export async function dropOrPaste(target: Locator, kind: "drop" | "paste", file: FilePayload): Promise<void> {
  await target.evaluate(
    (element, { kind, name, type, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      if (kind === "paste") {
        element.dispatchEvent(
          new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }),
        );
        return;
      }
      for (const type of ["dragenter", "dragover", "drop"]) {
        element.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true, composed: true }),
        );
      }
    },
    { kind, name: file.name, type: file.mimeType, base64: file.buffer.toString("base64") },
  );
}
