/** How a file is described to an agent: its size and type in words, not bytes and MIME types. */
import { messages, type TextKey } from "../i18n/index.js";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // One decimal while it matters (1.5 MB), none once the number is big enough (12 MB).
  return `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)} ${units[unit]}`;
}

const TYPE_NAMES: Record<string, TextKey> = {
  "image/png": "typePng",
  "image/jpeg": "typeJpeg",
  "image/gif": "typeGif",
  "image/webp": "typeWebp",
  "application/pdf": "typePdf",
  "text/plain": "typeText",
};

export function fileTypeName(contentType: string): string {
  const key = TYPE_NAMES[contentType.split(";")[0]?.trim().toLowerCase() ?? ""];
  return key === undefined ? contentType || messages().typeFile : messages()[key];
}
