/**
 * Errors chat/ reports to its callers. The message is shown to the client as is (`{"error": …}`
 * on REST, an `error` event on the cable), so it is written for people and never leaks internals.
 */
export type ChatErrorCode =
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  /** A file whose type is not allowed, or not what it claims to be. */
  | "unsupported";

export class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ChatError";
  }
}

export const invalid = (message: string): ChatError => new ChatError("invalid", message);
export const notFound = (what: string): ChatError => new ChatError("not_found", `${what} not found`);
