/**
 * The visitor's new words in an answer by email (protocol §16): the plain part (else the HTML's
 * text), without the quoted conversation under or above it and without the signature.
 *
 * email-reply-parser knows the common quote headers and signatures; the mail clients visitors use
 * also write some it misses, so those cut the text first: a Gmail "On … wrote:" or Thunderbird
 * "Le … a écrit :" that wrapped across lines, Outlook's "-----Original Message-----" and
 * "From: … Sent: …" block (in French too), Gmail's and Apple Mail's Japanese headers
 * ("2026年12月1日(火) 10:00 Parley <…>:", "…のメッセージ:", "…書きました:") and their
 * "sent from my phone" lines.
 */
import { MAX_MESSAGE_LENGTH } from "@parley/protocol";
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";

/** What a mail parser (mailparser's ParsedMail) gives of a mail's body. */
export interface MailBody {
  text?: string | undefined;
  html?: string | false | undefined;
}

/** Ends a message cut to fit MAX_MESSAGE_LENGTH (agents read it, so English like other notes). */
export const CUT_NOTE = "… [the rest of this email was cut]";

/** A line that starts the quoted history: everything from it on goes. */
const HISTORY_LINES: RegExp[] = [
  /^-{2,}\s*(Original Message|Message d'origine|Message original|元のメッセージ|転送メッセージ)\s*-{2,}$/i,
  // Outlook's rule above its header block.
  /^_{10,}$/,
  // Gmail (ja): "2026年12月1日(火) 10:00 Parley <replies+…@example.com>:"
  /^\d{4}年\d{1,2}月\d{1,2}日.*[:：]$/,
  // Apple Mail (ja): "2026/12/01 10:00、Parley <…>のメッセージ:"; Thunderbird (ja): "…さんは書きました:"
  /(のメッセージ|書きました|書きました。)\s*[:：]$/,
];

/** Outlook's header block: "From:" (or "De :") then, within a few lines, "Sent:"/"Date:"/"Envoyé :". */
const OUTLOOK_FROM = /^\*?(From|De|差出人|送信者)\s*[:：]/i;
const OUTLOOK_FOLLOWERS = /^\*?(Sent|Date|Envoyé|To|À|送信日時|日時|宛先)\s*[:：]/i;

/** A quote header that mail clients wrap over up to three lines: its start and its end. */
const WRAPPED_HEADERS: { start: RegExp; end: RegExp }[] = [
  { start: /^On\s/, end: /wrote\s*:$/ },
  { start: /^Le\s/, end: /a\s+écrit\s*:$/ },
  { start: /^\d{4}[/年]/, end: /(のメッセージ|書きました)\s*[:：]$|>\s*[:：]$/ },
];

/** Phone and webmail signatures in French and Japanese that the parser misses. */
const SIGNATURE_LINES: RegExp[] = [
  /^Envoyé (de|depuis) (mon|ma) .+$/i,
  /^(iPhone|iPad|Android|スマートフォン|携帯)から送信$/,
  /^Sent from my .+$/i,
];

/** Loaded with the first answer by email, not at boot: most deployments take none (loadOnce.ts). */
const loadParser = loadOnce(
  async () => new (await importPackage<typeof import("email-reply-parser")>("email-reply-parser")).default(),
);

/** The body's text, as the visitor would read it, without the quoted history and signature. */
export async function replyText(body: MailBody): Promise<string> {
  const parser = await loadParser();
  const raw = body.text !== undefined && body.text.trim() !== "" ? body.text : htmlText(body.html);
  // No-break spaces (HTML's &nbsp;, French punctuation) read as spaces; lines end as \n.
  const lines = raw
    .replace(/\r\n?/g, "\n")
    .replace(/\u00a0/g, " ")
    .split("\n");
  const kept = lines.slice(0, historyStart(lines)).filter((line) => !isSignatureLine(line.trim()));
  const stripped = parser.parseReply(kept.join("\n"));
  // The parser keeps a lone ">"-quoted block when nothing else is left: that is history, not words.
  const unquoted = stripped
    .split("\n")
    .filter((line) => !line.startsWith(">"))
    .join("\n");
  return unquoted.replace(/\n{3,}/g, "\n\n").trim();
}

/** The index of the first line of quoted history (the length when there is none). */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? "").trim();
    if (HISTORY_LINES.some((pattern) => pattern.test(line))) return i;
    if (OUTLOOK_FROM.test(line)) {
      const next = lines.slice(i + 1, i + 4).map((following) => following.trim());
      if (next.some((following) => OUTLOOK_FOLLOWERS.test(following))) return i;
    }
    for (const { start, end } of WRAPPED_HEADERS) {
      if (!start.test(line)) continue;
      for (let length = 1; length <= 3; length += 1) {
        const candidate = lines
          .slice(i, i + length)
          .map((part) => part.trim())
          .join(" ");
        if (end.test(candidate)) return i;
      }
    }
  }
  return lines.length;
}

function isSignatureLine(line: string): boolean {
  return SIGNATURE_LINES.some((pattern) => pattern.test(line));
}

/** The text of an HTML part, for mail without a plain one: blocks become lines, tags go. */
function htmlText(html: string | false | undefined): string {
  if (typeof html !== "string") return "";
  return decodeEntities(
    html
      .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, "")
      // Quoted history in HTML mail is a blockquote (Gmail, Apple Mail, Thunderbird).
      .replace(/<blockquote[\s\S]*<\/blockquote>/gi, "")
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/(p|div|li|tr|h[1-6])>/gi, "\n")
      .replace(/<[^>]*>/g, ""),
  );
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return safeCodePoint(parseInt(name.slice(2), 16), entity);
    if (name.startsWith("#")) return safeCodePoint(parseInt(name.slice(1), 10), entity);
    return named[name.toLowerCase()] ?? entity;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/**
 * The message's content: the text, then each note on its own line; the text is cut (with
 * CUT_NOTE) so the whole fits MAX_MESSAGE_LENGTH, the notes always stay.
 */
export function messageContent(text: string, notes: string[] = []): string {
  const tail = notes.length === 0 ? "" : `${text === "" ? "" : "\n\n"}${notes.join("\n")}`;
  const room = MAX_MESSAGE_LENGTH - [...tail].length;
  if ([...text].length <= room) return `${text}${tail}`;
  // By code points, so a cut never splits a surrogate pair (emoji, rare kanji).
  const cut = [...text]
    .slice(0, Math.max(0, room - CUT_NOTE.length))
    .join("")
    .trimEnd();
  return [...`${cut}${CUT_NOTE}${tail}`].slice(0, MAX_MESSAGE_LENGTH).join("");
}
