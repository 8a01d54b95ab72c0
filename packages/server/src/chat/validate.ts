/**
 * Checks of what strangers send, shared by both channels and the REST routes. Each returns the
 * clean value or throws a ChatError whose text the client sees. The seed's texts are kept.
 */
import {
  MAX_ATTACHMENTS,
  MAX_CLIENT_ID_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_VISITOR_NAME_LENGTH,
  VISITOR_TOKEN_PATTERN,
} from "@parley/protocol";
import { invalid } from "./errors.js";

/**
 * Invisible characters that reorder or hide text: the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C), with which "gpj.exe" can
 * be shown as "exe.jpg"; zero-width space, word joiner and invisible operators (U+200B,
 * U+2060–U+2064), the BOM (U+FEFF), the Mongolian vowel separator (U+180E), deprecated format
 * controls (U+206A–U+206F) and interlinear annotations (U+FFF9–U+FFFB). ZWJ and ZWNJ stay:
 * emoji sequences and several scripts need them.
 */
const HIDDEN_FORMATTING =
  /[\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/gu;
/** C0 and C1 controls and DEL, except tab and newline. */
const CONTROLS_BUT_TAB_AND_NEWLINE = /(?![\t\n])\p{Cc}/gu;
/** Half a surrogate pair (JSON can carry one): the engines would store it differently. */
const LONE_SURROGATE = /\p{Cs}/gu;

/** What people write, made plain: a message keeps its lines and tabs (U+2028/9 become "\n"). */
export function plainText(value: string): string {
  return value
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u2028\u2029]/g, "\n")
    .replace(CONTROLS_BUT_TAB_AND_NEWLINE, "")
    .replace(HIDDEN_FORMATTING, "");
}

/** A name on one line: plainText, with every run of white space (tabs, newlines) one space. */
export function plainName(value: string): string {
  return plainText(value).replace(/\s+/gu, " ").trim();
}

export function messageContent(value: unknown): string {
  if (typeof value !== "string") throw invalid("Message must be text");
  const content = plainText(value).trim();
  if (content === "") throw invalid("Message is empty");
  if ([...content].length > MAX_MESSAGE_LENGTH) throw invalid(`Message too long (max ${MAX_MESSAGE_LENGTH})`);
  return content;
}

/** Beside attachments a message's text may be empty (absent, null or blank). */
export function captionContent(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string" && plainText(value).trim() === "") return "";
  return messageContent(value);
}

/** Distinct upload ids, at most MAX_ATTACHMENTS; absent or null: none. */
export function attachmentIds(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  const problem = `attachment_ids must be a list of up to ${MAX_ATTACHMENTS} ids`;
  if (!Array.isArray(value) || value.length > MAX_ATTACHMENTS) throw invalid(problem);
  const ids = value.map((entry: unknown) => {
    if (typeof entry !== "number" || !Number.isSafeInteger(entry) || entry <= 0) throw invalid(problem);
    return entry;
  });
  if (new Set(ids).size !== ids.length) throw invalid(problem);
  return ids;
}

/** undefined: not given (keep the stored name); null: cleared. */
export function visitorName(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== "string") throw invalid("Name must be text");
  const name = plainName(value);
  if ([...name].length > MAX_VISITOR_NAME_LENGTH)
    throw invalid(`Name too long (max ${MAX_VISITOR_NAME_LENGTH})`);
  return name === "" ? null : name;
}

export function clientId(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value === "" || value.length > MAX_CLIENT_ID_LENGTH) {
    throw invalid(`client_id must be 1-${MAX_CLIENT_ID_LENGTH} characters`);
  }
  return value;
}

export function id(value: unknown, what: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === "string" && /^[1-9]\d{0,15}$/.test(value)) return Number(value);
  throw invalid(`${what} must be a positive integer`);
}

export function optionalId(value: unknown, what: string): number | undefined {
  return value === undefined || value === null ? undefined : id(value, what);
}

export function isVisitorToken(value: unknown): value is string {
  return typeof value === "string" && VISITOR_TOKEN_PATTERN.test(value);
}

export function typingFlag(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== "boolean") throw invalid("typing must be true or false");
  return value;
}
