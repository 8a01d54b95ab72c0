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
  | "unsupported"
  /** Well-formed but impossible as things are (a transcript with no address to go to). */
  | "unprocessable"
  /** Over a limit; TooManyError says when to try again. */
  | "too_many";

export class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ChatError";
  }
}

/** A limit refused the request; `retryAfterMs` is when trying again can succeed. */
export class TooManyError extends ChatError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super("too_many", message);
    this.name = "TooManyError";
  }
}

export const invalid = (message: string): ChatError => new ChatError("invalid", message);
export const notFound = (what: string): ChatError => new ChatError("not_found", `${what} not found`);
