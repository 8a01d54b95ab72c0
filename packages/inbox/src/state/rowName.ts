/**
 * What a screen reader says for a row of the list: who, how many unread, when, and the start of
 * the last message — not the whole message, which the row's full text would be. Who handles it
 * is the row's description instead.
 */

/** Enough of a message to recognise it by. */
export const GIST_LENGTH = 60;

/** The start of `text` on one line, cut at a word where one is near, with an ellipsis. */
export function gist(text: string, max = GIST_LENGTH): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, "")}…`;
}

export interface RowFacts {
  visitor: string;
  unread: number;
  time: string;
  /** The preview as shown, e.g. "You: On its way" or "typing…". */
  preview: string;
}

export function rowName({ visitor, unread, time, preview }: RowFacts): string {
  return [visitor, unread > 0 ? `${unread} unread` : "", time, gist(preview)]
    .filter((part) => part !== "")
    .join(", ");
}

/**
 * The last message as the row's name says it: its author, then its text, marked (§16) when it
 * came as an answer by email (`byEmail` wraps the text in the language's words for that).
 */
export function rowPreview(
  message: { author: string; text: string; viaEmail: boolean },
  byEmail: (text: string) => string,
): string {
  const text = message.viaEmail ? byEmail(message.text) : message.text;
  return message.author === "" ? text : `${message.author}: ${text}`;
}
