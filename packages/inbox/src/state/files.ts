/** How a file is described to an agent: its size and type in words, not bytes and MIME types. */

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

const TYPE_NAMES: Record<string, string> = {
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/gif": "GIF image",
  "image/webp": "WebP image",
  "application/pdf": "PDF document",
  "text/plain": "Text file",
};

export function fileTypeName(contentType: string): string {
  return TYPE_NAMES[contentType.split(";")[0]?.trim().toLowerCase() ?? ""] ?? (contentType || "File");
}
