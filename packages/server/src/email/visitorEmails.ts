/**
 * The two emails a visitor gets about a conversation (protocol §16), put together from their
 * words (texts/) and the conversation's messages, in the layout every email shares (layout.ts,
 * with the site's name and colour): reply emails (the conversation so far with the new replies
 * marked, and the button back to the chat) and transcripts (every message, times in UTC).
 */
import type { EmailLocale } from "@parley/protocol";
import type { StoredAttachment, StoredMessage, StoredSite } from "../store/store.js";
import { emailedMessages } from "./emailedMessages.js";
import { renderEmail } from "./layout.js";
import { emailLocaleOf } from "./locale.js";
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
  /** The contact's one-click unsubscribe link, in the footer. */
  unsubscribeUrl: string;
}

export interface TranscriptInput {
  site: StoredSite;
  locale: string | null;
  messages: readonly StoredMessage[];
  attachments: readonly StoredAttachment[];
}

export function composeReplies(input: RepliesInput): ComposedEmail {
  const locale = emailLocaleOf(input.locale);
  const texts = VISITOR_REPLIES_TEXTS[locale];
  const agents = [
    ...new Set(input.replies.map((reply) => reply.agentName).filter((name): name is string => !!name)),
  ];
  // The last messages, and every new reply even if more came since than the last ones hold.
  const byId = new Map([...input.replies, ...input.recent].map((message) => [message.id, message]));
  const shown = [...byId.values()].sort((a, b) => a.id - b.id);
  const messages = emailedMessages(
    shown,
    input.attachments,
    { visitor: texts.you, team: input.site.name, files: texts.files, newMark: texts.newMark },
    new Set(input.replies.map((reply) => reply.id)),
  );
  const rendered = renderEmail({
    locale,
    siteName: input.site.name,
    color: input.site.widget.color,
    title: texts.newReplies,
    paragraphs: [
      texts.intro(agents, input.site.name),
      ...(input.answersByEmail ? [texts.answerByEmail] : []),
      texts.conversationSoFar,
    ],
    messages,
    button: { label: texts.continueButton, url: input.resumeUrl },
    unsubscribeUrl: input.unsubscribeUrl,
  });
  return { subject: texts.subject(input.site.name), ...rendered, locale };
}

export function composeTranscript(input: TranscriptInput): ComposedEmail {
  const locale = emailLocaleOf(input.locale);
  const texts = TRANSCRIPT_TEXTS[locale];
  const messages = emailedMessages(input.messages, input.attachments, {
    visitor: texts.you,
    team: texts.team(input.site.name),
    files: texts.files,
    newMark: "",
  });
  const rendered = renderEmail({
    locale,
    siteName: input.site.name,
    color: input.site.widget.color,
    title: texts.title,
    paragraphs: [texts.intro(input.site.name), ...(messages.length === 0 ? [texts.empty] : [])],
    messages,
    // Times in UTC, with the date: the same for every reader.
    timeZone: "UTC",
  });
  return { subject: texts.subject(input.site.name), ...rendered, locale };
}
