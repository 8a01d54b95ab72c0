/**
 * The words of the email a visitor gets when an agent answered and they were not there to see it
 * (protocol §16), in each language emails are written in. Names and the site's name come in as
 * arguments: a text never builds HTML (the layout escapes what it is given).
 */
import type { EmailLocale } from "@parley/protocol";

export interface VisitorRepliesTexts {
  /** The subject line: the site's name, so the visitor knows who wrote. */
  subject(siteName: string): string;
  /** The opening line: who answered (one agent, or the team when several did). */
  intro(agentNames: readonly string[], siteName: string): string;
  /** The email's title. */
  newReplies: string;
  /** Before the conversation's last messages, the new replies among them marked. */
  conversationSoFar: string;
  /** Beside the sender of each new reply. */
  newMark: string;
  /** How the visitor is named beside their own messages. */
  you: string;
  /** Before the names of a message's files. */
  files: string;
  /** The button back to the chat on the site. */
  continueButton: string;
  /** Under the button when answers by email are read. */
  answerByEmail: string;
}

function names(list: readonly string[], and: string): string {
  if (list.length <= 1) return list[0] ?? "";
  return `${list.slice(0, -1).join(", ")} ${and} ${list[list.length - 1]}`;
}

export const VISITOR_REPLIES_TEXTS: Record<EmailLocale, VisitorRepliesTexts> = {
  en: {
    subject: (site) => `New reply from ${site}`,
    intro: (agents, site) =>
      agents.length === 0
        ? `${site} replied to your message.`
        : `${names(agents, "and")} replied to your message.`,
    newReplies: "New replies",
    conversationSoFar: "The conversation so far:",
    newMark: "new",
    you: "You",
    files: "Files",
    continueButton: "Continue the conversation",
    answerByEmail: "You can also answer this email: your answer goes to the same conversation.",
  },
  fr: {
    subject: (site) => `Nouvelle réponse de ${site}`,
    intro: (agents, site) =>
      agents.length === 0
        ? `${site} a répondu à votre message.`
        : `${names(agents, "et")} ${agents.length > 1 ? "ont" : "a"} répondu à votre message.`,
    newReplies: "Nouvelles réponses",
    conversationSoFar: "La conversation jusqu’ici :",
    newMark: "nouveau",
    you: "Vous",
    files: "Fichiers",
    continueButton: "Continuer la conversation",
    answerByEmail: "Vous pouvez aussi répondre à cet e-mail : votre réponse rejoint la même conversation.",
  },
  ja: {
    subject: (site) => `${site}から新しい返信があります`,
    intro: (agents, site) =>
      agents.length === 0
        ? `${site}からあなたのメッセージに返信がありました。`
        : `${agents.join("、")}があなたのメッセージに返信しました。`,
    newReplies: "新しい返信",
    conversationSoFar: "これまでの会話：",
    newMark: "新着",
    you: "あなた",
    files: "ファイル",
    continueButton: "会話を続ける",
    answerByEmail: "このメールに返信することもできます。返信は同じ会話に届きます。",
  },
};
