/**
 * File names from strangers: kept for display and downloads, never used as a path. Cleaned of
 * directories and control characters, and put into Content-Disposition in both RFC 6266 forms.
 */
export const MAX_FILENAME_LENGTH = 200;

export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? "").split(/[/\\]/).pop() ?? "";
  const cleaned = [...base.normalize("NFC")]
    .filter((char) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"*:<>?|]/u.test(char))
    .join("")
    .trim()
    .replace(/^\.+/, "");
  const name = [...cleaned].slice(0, MAX_FILENAME_LENGTH).join("");
  return name === "" ? "file" : name;
}

/** `inline` for images shown in place, `attachment` (download) for everything else. */
export function contentDisposition(kind: "inline" | "attachment", filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
