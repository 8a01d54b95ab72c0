/**
 * A conversation's messages as its emails show them (layout.ts's message lines): who wrote, when,
 * the text and the names of the files. Notes are never here: they are another table, and nothing
 * here reads it.
 */
import type { StoredAttachment, StoredMessage } from "../store/store.js";
import type { EmailMessageLine } from "./layout.js";

export interface EmailedMessagesWords {
  /** How the visitor is named beside their own messages ("You"). */
  visitor: string;
  /** An agent's message whose name was not kept: the site's name. */
  team: string;
  /** Before the names of a message's files. */
  files: string;
  /** Beside the sender of a message the email is about (a new reply). */
  newMark: string;
}

export function emailedMessages(
  messages: readonly StoredMessage[],
  attachments: readonly StoredAttachment[],
  words: EmailedMessagesWords,
  marked: ReadonlySet<number> = new Set(),
): EmailMessageLine[] {
  const files = new Map<number, string[]>();
  for (const attachment of attachments) {
    if (attachment.messageId === null) continue;
    const list = files.get(attachment.messageId) ?? [];
    list.push(attachment.filename);
    files.set(attachment.messageId, list);
  }
  return messages.map((message) => {
    const who = message.sender === "visitor" ? words.visitor : message.agentName || words.team;
    const names = files.get(message.id) ?? [];
    const text = [message.content, ...(names.length === 0 ? [] : [`${words.files}: ${names.join(", ")}`])]
      .filter((part) => part !== "")
      .join("\n");
    return {
      sender: marked.has(message.id) ? `${who} · ${words.newMark}` : who,
      at: message.createdAt,
      text,
    };
  });
}
