/**
 * A conversation's messages as its emails show them: who wrote, when (UTC, with the date), the
 * text and the names of the files. Notes are never here: they are another table, and nothing
 * here reads it.
 */
import type { StoredAttachment, StoredMessage } from "../store/store.js";

export interface EmailedMessage {
  id: number;
  /** The agent's name as the message kept it, or the visitor's word ("You") in the email's language. */
  who: string;
  fromVisitor: boolean;
  /** `2026-12-01 14:05 UTC`: the same in every language, and in every reader's time zone. */
  at: string;
  text: string;
  files: string[];
}

export function utcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function emailedMessages(
  messages: readonly StoredMessage[],
  attachments: readonly StoredAttachment[],
  names: { visitor: string; team: string },
): EmailedMessage[] {
  const files = new Map<number, string[]>();
  for (const attachment of attachments) {
    if (attachment.messageId === null) continue;
    const list = files.get(attachment.messageId) ?? [];
    list.push(attachment.filename);
    files.set(attachment.messageId, list);
  }
  return messages.map((message) => {
    const fromVisitor = message.sender === "visitor";
    return {
      id: message.id,
      who: fromVisitor ? names.visitor : message.agentName || names.team,
      fromVisitor,
      at: utcTime(message.createdAt),
      text: message.content,
      files: files.get(message.id) ?? [],
    };
  });
}
