/**
 * The type of a file from its bytes alone: file-type's signatures for the binary formats, and
 * for everything else a strict plain-text test. Markup (HTML, SVG, XML) is refused as text:
 * it is the kind of file a browser might be tricked into rendering.
 */
import { readFile } from "node:fs/promises";
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";
import { isAllowedType, type AllowedType } from "./fileTypes.js";

/** What the WHATWG MIME sniffing algorithm treats as HTML, plus XML and SVG. */
const MARKUP_START =
  /^<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--|\?xml|svg)(?=[\s>/]|$)/i;
/** Tab, line feed, form feed and carriage return: the only controls plain text has. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !TEXT_CONTROLS.has(code)) || code === 0x7f) return true;
  }
  return false;
}

/** file-type (and its tokenizers) loads with the first upload, not at boot. */
const loadFileType = loadOnce(() => importPackage<typeof import("file-type")>("file-type"));

export type Sniffed = { kind: "allowed"; type: AllowedType } | { kind: "refused"; detected: string };

export async function sniffFile(path: string): Promise<Sniffed> {
  const { fileTypeFromFile } = await loadFileType();
  const binary = await fileTypeFromFile(path);
  if (binary !== undefined) {
    return isAllowedType(binary.mime) && binary.mime !== "text/plain"
      ? { kind: "allowed", type: binary.mime }
      : { kind: "refused", detected: binary.mime };
  }
  return isPlainText(await readFile(path))
    ? { kind: "allowed", type: "text/plain" }
    : { kind: "refused", detected: "unknown" };
}

export function isPlainText(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  if (hasControlCharacters(text)) return false;
  return !MARKUP_START.test(text.replace(/^\ufeff/, "").trimStart());
}
