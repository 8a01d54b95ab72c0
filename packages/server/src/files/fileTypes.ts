/**
 * The types Parley accepts, and whether what a client said about a file (its name's extension,
 * its part's Content-Type) agrees with what its bytes are. The bytes decide (sniff.ts); a claim
 * only ever causes a refusal, never a different type.
 */
export type ImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";
export type AllowedType = ImageType | "application/pdf" | "text/plain";

const EXTENSIONS: Record<AllowedType, readonly string[]> = {
  "image/png": ["png"],
  "image/jpeg": ["jpg", "jpeg", "jpe", "jfif"],
  "image/gif": ["gif"],
  "image/webp": ["webp"],
  "application/pdf": ["pdf"],
  "text/plain": ["txt", "text", "log", "md", "markdown", "csv", "tsv"],
};

/** What browsers and tools put in Content-Type for these, beside the canonical name. */
const ALIASES: Record<string, AllowedType> = {
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "image/x-png": "image/png",
  "application/x-pdf": "application/pdf",
  "text/markdown": "text/plain",
  "text/x-markdown": "text/plain",
  "text/csv": "text/plain",
  "text/tab-separated-values": "text/plain",
  "text/x-log": "text/plain",
};

/** Content-Types that say nothing about the file. */
const NO_CLAIM = new Set(["", "application/octet-stream", "binary/octet-stream", "application/unknown"]);

export function isImageType(type: AllowedType): type is ImageType {
  return type.startsWith("image/");
}

export function isAllowedType(value: string): value is AllowedType {
  return value in EXTENSIONS;
}

function extensionOf(filename: string): string | undefined {
  const dot = filename.lastIndexOf(".");
  return dot <= 0 ? undefined : filename.slice(dot + 1).toLowerCase();
}

/** False when the client named or labelled the file as another type than its bytes are. */
export function claimAgrees(
  detected: AllowedType,
  claimedType: string | undefined,
  filename: string,
): boolean {
  const claimed = (claimedType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!NO_CLAIM.has(claimed)) {
    const canonical = isAllowedType(claimed) ? claimed : ALIASES[claimed];
    if (canonical !== detected) return false;
  }
  const extension = extensionOf(filename);
  if (extension === undefined || EXTENSIONS[detected].includes(extension)) return true;
  // An extension of another accepted type is a mislabelled file; an unknown one is fixed by
  // servedFilename instead.
  return !Object.values(EXTENSIONS).some((extensions) => extensions.includes(extension));
}

/**
 * The name a file is served under: its extension always matches its type, so a file saved from
 * the chat opens as what it is (an HTML page named `.txt` stays `.txt`; `notes.html` of plain
 * text becomes `notes.html.txt`).
 */
export function servedFilename(detected: AllowedType, filename: string): string {
  const extension = extensionOf(filename);
  if (extension !== undefined && EXTENSIONS[detected].includes(extension)) return filename;
  return `${filename}.${EXTENSIONS[detected][0]!}`;
}
