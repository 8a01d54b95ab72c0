/**
 * The text of a conversation's `last_message` (protocol §5). The seed's admin page renders that
 * field as text, so it is always a string: the message's own text, or, for a message of files
 * alone, their names ("photo.png", or "photo.png +2" for three files). The server makes it from
 * the store; the inbox makes it from a live message; both call this, so the two always agree.
 */
import type { Message } from "./wire.js";

/** `firstFileName`: the name of the message's first attachment (in upload order), if any. */
export function previewText(content: string, firstFileName: string | null, fileCount: number): string {
  if (content !== "" || firstFileName === null || fileCount <= 0) return content;
  return fileCount === 1 ? firstFileName : `${firstFileName} +${fileCount - 1}`;
}

export function messagePreview(message: Pick<Message, "content" | "attachments">): string {
  const files = message.attachments ?? [];
  return previewText(message.content, files[0]?.filename ?? null, files.length);
}
