/**
 * The words of a conversation's transcript email (protocol §16), in each language emails are
 * written in. Times are written by the transcript itself (UTC, with the date), the same in every
 * language.
 */
import type { EmailLocale } from "@parley/protocol";

export interface TranscriptTexts {
  subject(siteName: string): string;
  /** The email's title. */
  title: string;
  /** The opening line. */
  intro(siteName: string): string;
  /** How the visitor is named beside their own messages. */
  you: string;
  /** An agent's message whose agent has no name left. */
  team(siteName: string): string;
  /** Before the names of a message's files. */
  files: string;
  /** Said instead of messages when there are none. */
  empty: string;
}

export const TRANSCRIPT_TEXTS: Record<EmailLocale, TranscriptTexts> = {
  en: {
    subject: (site) => `Your conversation with ${site}`,
    title: "Conversation transcript",
    intro: (site) => `Here is the transcript of your conversation with ${site}. Times are in UTC.`,
    you: "You",
    team: (site) => site,
    files: "Files",
    empty: "No messages yet.",
  },
  fr: {
    subject: (site) => `Votre conversation avec ${site}`,
    title: "Transcription de la conversation",
    intro: (site) => `Voici la transcription de votre conversation avec ${site}. Les heures sont en UTC.`,
    you: "Vous",
    team: (site) => site,
    files: "Fichiers",
    empty: "Aucun message pour l’instant.",
  },
  ja: {
    subject: (site) => `${site}との会話`,
    title: "会話の記録",
    intro: (site) => `${site}との会話の記録です。時刻はUTCです。`,
    you: "あなた",
    team: (site) => site,
    files: "ファイル",
    empty: "まだメッセージはありません。",
  },
};
