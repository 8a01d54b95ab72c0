/**
 * The two emails a visitor gets about a conversation (protocol §16), put together from their
 * words (texts/) and the conversation's messages: reply emails (the replies not seen yet, then
 * the conversation so far, and the button back to the chat) and transcripts (every message).
 * The layout (layout.ts) turns them into the text and HTML parts, with the site's name and colour.
 */
import { EMAIL_LOCALES, type EmailLocale } from "@parley/protocol";
import type { StoredAttachment, StoredMessage, StoredSite } from "../store/store.js";
import { emailedMessages, type EmailedMessage } from "./emailedMessages.js";
import { TRANSCRIPT_TEXTS } from "./texts/transcript.js";
import { VISITOR_REPLIES_TEXTS } from "./texts/visitorReplies.js";

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
  locale: EmailLocale;
}

export interface RepliesInput {
  site: StoredSite;
  /** The contact's `locale` (BCP 47) or null. */
  locale: string | null;
  /** The agents' messages not emailed nor seen yet, oldest first. */
  replies: readonly StoredMessage[];
  /** The conversation's last messages, oldest first. */
  recent: readonly StoredMessage[];
  attachments: readonly StoredAttachment[];
  /** The button's URL: the site's page with `#parley=<link>`. */
  resumeUrl: string;
  /** Answers to this email reach the conversation (receiving is on). */
  answersByEmail: boolean;
}

export interface TranscriptInput {
  site: StoredSite;
  locale: string | null;
  messages: readonly StoredMessage[];
  attachments: readonly StoredAttachment[];
}

/** The language an email is written in: the locale's language when emails have it, else English. */
export function emailLocaleOf(locale: string | null | undefined): EmailLocale {
  const language = (locale ?? "").toLowerCase().split(/[-_]/)[0];
  return (EMAIL_LOCALES as readonly string[]).includes(language ?? "") ? (language as EmailLocale) : "en";
}

/** What an email says, before the layout: its parts in order. */
export type EmailBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "messages"; messages: EmailedMessage[]; filesLabel: string; highlight?: ReadonlySet<number> }
  | { kind: "button"; label: string; url: string };

export interface EmailContent {
  subject: string;
  locale: EmailLocale;
  blocks: EmailBlock[];
}

export function repliesContent(input: RepliesInput): EmailContent {
  const locale = emailLocaleOf(input.locale);
  const texts = VISITOR_REPLIES_TEXTS[locale];
  const names = { visitor: texts.you, team: input.site.name };
  const agents = [
    ...new Set(input.replies.map((reply) => reply.agentName).filter((name) => !!name)),
  ] as string[];
  const replies = emailedMessages(input.replies, input.attachments, names);
  const recent = emailedMessages(input.recent, input.attachments, names);
  const blocks: EmailBlock[] = [
    { kind: "paragraph", text: texts.intro(agents, input.site.name) },
    { kind: "heading", text: texts.newReplies },
    { kind: "messages", messages: replies, filesLabel: texts.files },
    { kind: "button", label: texts.continueButton, url: input.resumeUrl },
  ];
  if (input.answersByEmail) blocks.push({ kind: "paragraph", text: texts.answerByEmail });
  blocks.push(
    { kind: "heading", text: texts.conversationSoFar },
    {
      kind: "messages",
      messages: recent,
      filesLabel: texts.files,
      highlight: new Set(replies.map((reply) => reply.id)),
    },
  );
  return { subject: texts.subject(input.site.name), locale, blocks };
}

export function transcriptContent(input: TranscriptInput): EmailContent {
  const locale = emailLocaleOf(input.locale);
  const texts = TRANSCRIPT_TEXTS[locale];
  const messages = emailedMessages(input.messages, input.attachments, {
    visitor: texts.you,
    team: texts.team(input.site.name),
  });
  return {
    subject: texts.subject(input.site.name),
    locale,
    blocks: [
      { kind: "paragraph", text: texts.intro(input.site.name) },
      messages.length === 0
        ? { kind: "paragraph", text: texts.empty }
        : { kind: "messages", messages, filesLabel: texts.files },
    ],
  };
}

export function composeReplies(input: RepliesInput): ComposedEmail {
  return render(repliesContent(input), input.site);
}

export function composeTranscript(input: TranscriptInput): ComposedEmail {
  return render(transcriptContent(input), input.site);
}

// Until the shared layout (layout.ts) is merged: plain text and simple HTML of the blocks.
function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}

function render(content: EmailContent, site: StoredSite): ComposedEmail {
  const text: string[] = [site.name, ""];
  const html: string[] = [`<h1 style="color:${escape(site.widget.color)}">${escape(site.name)}</h1>`];
  for (const block of content.blocks) {
    if (block.kind === "paragraph") {
      text.push(block.text, "");
      html.push(`<p>${escape(block.text)}</p>`);
    } else if (block.kind === "heading") {
      text.push(block.text, "-".repeat(block.text.length), "");
      html.push(`<h2>${escape(block.text)}</h2>`);
    } else if (block.kind === "button") {
      text.push(`${block.label}: ${block.url}`, "");
      html.push(`<p><a href="${escape(block.url)}">${escape(block.label)}</a></p>`);
    } else {
      for (const message of block.messages) {
        text.push(`${message.who}, ${message.at}:`, message.text);
        if (message.files.length > 0) text.push(`${block.filesLabel}: ${message.files.join(", ")}`);
        text.push("");
        const files =
          message.files.length === 0
            ? ""
            : `<br>${escape(block.filesLabel)}: ${escape(message.files.join(", "))}`;
        html.push(
          `<p><b>${escape(message.who)}</b>, ${escape(message.at)}<br>${escape(message.text)}${files}</p>`,
        );
      }
    }
  }
  return { subject: content.subject, text: text.join("\n"), html: html.join("\n"), locale: content.locale };
}
