/**
 * Every email's look, as a plain-text part and an HTML part built from the same pieces: a title,
 * paragraphs, an optional list of chat messages, an optional button, and a footer with the
 * site's name and (for visitors) the unsubscribe link. The HTML is inline-styled tables (what
 * mail clients render), coloured with the site's colour, with no images: it reads the same when
 * a client blocks them. Whatever comes from people (names, messages, the site's name) is
 * escaped text, never HTML.
 */
import type { EmailLocale } from "@parley/protocol";
import { COMMON_TEXTS } from "./texts/common.js";

export interface EmailMessageLine {
  /** The sender's name as shown (the visitor's name, an agent's name). */
  sender: string;
  at: string | Date;
  text: string;
  /** A note beside the sender (e.g. "new conversation"). */
  note?: string;
  /** An http(s) link under the message (e.g. to the conversation in the inbox). */
  link?: { label: string; url: string };
}

export interface EmailLayoutInput {
  locale: EmailLocale;
  siteName: string;
  /** The site's colour (#rgb or #rrggbb): the header bar and the button. */
  color: string;
  title: string;
  paragraphs: string[];
  messages?: EmailMessageLine[];
  /** An http(s) link; anything else is left out. */
  button?: { label: string; url: string };
  /** A visitor's unsubscribe link (unsubscribe.ts), shown in the footer. */
  unsubscribeUrl?: string;
  /** The footer's line under the site's name; default: why a visitor gets the email. */
  footerNote?: string;
  /** IANA zone for the messages' times; UTC when absent. */
  timeZone?: string;
}

export interface RenderedEmail {
  text: string;
  html: string;
}

const DEFAULT_COLOR = "#2563eb";
const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Escaped, line breaks kept. */
function htmlText(value: string): string {
  return escapeHtml(value).replace(/\r?\n/g, "<br>");
}

function safeColor(color: string): string {
  return /^#(?:[0-9a-fA-F]{3}){1,2}$/.test(color) ? color : DEFAULT_COLOR;
}

/** Black or white, whichever reads better on the site's colour (WCAG relative luminance). */
function textOn(color: string): string {
  const hex = color.length === 4 ? [...color.slice(1)].map((c) => c + c).join("") : color.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = parseInt(hex.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  return luminance > 0.4 ? "#111111" : "#ffffff";
}

function isWebLink(url: string): boolean {
  return URL.canParse(url) && ["http:", "https:"].includes(new URL(url).protocol);
}

export function formatEmailTime(at: string | Date, locale: EmailLocale, timeZone = "UTC"): string {
  const date = typeof at === "string" ? new Date(at) : at;
  try {
    return new Intl.DateTimeFormat(locale, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
      timeZoneName: "short",
    }).format(date);
  } catch {
    return date.toISOString();
  }
}

export function renderEmail(input: EmailLayoutInput): RenderedEmail {
  return { text: renderText(input), html: renderHtml(input) };
}

function renderText(input: EmailLayoutInput): string {
  const texts = COMMON_TEXTS[input.locale];
  const lines: string[] = [input.title, "=".repeat(Math.min(input.title.length, 60)), ""];
  for (const paragraph of input.paragraphs) lines.push(paragraph, "");
  for (const message of input.messages ?? []) {
    const note = message.note === undefined ? "" : ` [${message.note}]`;
    lines.push(`${message.sender} (${formatEmailTime(message.at, input.locale, input.timeZone)})${note}:`);
    lines.push(...message.text.split(/\r?\n/).map((line) => `  ${line}`));
    if (message.link !== undefined && isWebLink(message.link.url))
      lines.push(`  ${message.link.label}: ${message.link.url}`);
    lines.push("");
  }
  if (input.button !== undefined && isWebLink(input.button.url)) {
    lines.push(`${input.button.label}: ${input.button.url}`, "");
  }
  lines.push("-- ", input.siteName, input.footerNote ?? texts.footerReason(input.siteName));
  if (input.unsubscribeUrl !== undefined) lines.push(`${texts.unsubscribeHint} ${input.unsubscribeUrl}`);
  return `${lines.join("\n")}\n`;
}

function renderHtml(input: EmailLayoutInput): string {
  const texts = COMMON_TEXTS[input.locale];
  const color = safeColor(input.color);
  const onColor = textOn(color);
  const site = escapeHtml(input.siteName);
  const paragraphs = input.paragraphs
    .map((paragraph) => `<p style="margin:0 0 16px;line-height:1.5">${htmlText(paragraph)}</p>`)
    .join("");
  const messages = (input.messages ?? [])
    .map(
      (message) =>
        `<tr><td style="padding:10px 12px;border-left:3px solid ${color};background:#f6f7f9">` +
        `<div style="font-size:13px;color:#555"><strong style="color:#222">${escapeHtml(message.sender)}</strong>` +
        ` &middot; ${escapeHtml(formatEmailTime(message.at, input.locale, input.timeZone))}` +
        (message.note === undefined ? "" : ` &middot; ${escapeHtml(message.note)}`) +
        `</div><div style="margin-top:4px;line-height:1.5;color:#222">${htmlText(message.text)}</div>` +
        (message.link !== undefined && isWebLink(message.link.url)
          ? `<div style="margin-top:6px"><a href="${escapeHtml(message.link.url)}" style="color:${color}">` +
            `${escapeHtml(message.link.label)}</a></div>`
          : "") +
        `</td></tr>` +
        `<tr><td style="height:8px;line-height:8px;font-size:0">&nbsp;</td></tr>`,
    )
    .join("");
  const button =
    input.button !== undefined && isWebLink(input.button.url)
      ? `<p style="margin:24px 0"><a href="${escapeHtml(input.button.url)}" style="display:inline-block;` +
        `padding:12px 20px;background:${color};color:${onColor};text-decoration:none;border-radius:6px;` +
        `font-weight:600">${escapeHtml(input.button.label)}</a></p>`
      : "";
  const unsubscribe =
    input.unsubscribeUrl === undefined
      ? ""
      : `<br>${escapeHtml(texts.unsubscribeHint)} <a href="${escapeHtml(input.unsubscribeUrl)}" ` +
        `style="color:#666">${escapeHtml(texts.unsubscribe)}</a>`;
  return (
    `<!DOCTYPE html><html lang="${input.locale}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(input.title)}</title></head>` +
    `<body style="margin:0;padding:0;background:#f1f2f4;font-family:${FONT};color:#222">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f2f4">` +
    `<tr><td align="center" style="padding:24px 12px">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;overflow:hidden">` +
    `<tr><td style="background:${color};color:${onColor};padding:16px 24px;font-size:16px;font-weight:600">${site}</td></tr>` +
    `<tr><td style="padding:24px">` +
    `<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${escapeHtml(input.title)}</h1>` +
    paragraphs +
    (messages === ""
      ? ""
      : `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${messages}</table>`) +
    button +
    `</td></tr>` +
    `<tr><td style="padding:16px 24px;border-top:1px solid #e5e7eb;font-size:12px;color:#666;line-height:1.5">` +
    `${site}<br>${escapeHtml(input.footerNote ?? texts.footerReason(input.siteName))}${unsubscribe}</td></tr>` +
    `</table></td></tr></table></body></html>`
  );
}
