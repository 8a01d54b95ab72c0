/**
 * Every REST error is `{"error": "<text>", "code": "<stable code>"}` with its status (protocol
 * §7, §11), whatever raised it: chat/'s ChatError, Fastify's validation and body parsing, a
 * guard's refusal, or a bug (500, details only in logs).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ErrorCode } from "@parley/protocol";
import { ChatError, TooManyError, type ChatErrorCode } from "../chat/errors.js";
import {
  DATABASE_UNREACHABLE_MESSAGE,
  isDatabaseUnreachable,
  isStorageFull,
  STORAGE_FULL_MESSAGE,
} from "../store/errors.js";

const STATUS: Record<ChatErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported: 415,
  unprocessable: 422,
  too_many: 429,
};

export async function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof TooManyError)
    void reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
  if (error instanceof ChatError) return reply.code(STATUS[error.code]).send({ error: error.message });
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    return reply.code(400).send({ error: `Invalid request: ${fastifyError.message}` });
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const text =
      fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? "Request body too large"
        : fastifyError.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
            fastifyError.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
          ? "Request body is not valid JSON"
          : fastifyError.message;
    return reply.code(status).send({ error: text });
  }
  // 507 Insufficient Storage: nothing was kept, and the same request can work once space returns.
  if (isStorageFull(error)) {
    request.log.error({ err: error }, "request failed: storage is full");
    return reply.code(507).send({ error: STORAGE_FULL_MESSAGE });
  }
  // 503: the database is away (down, restarting, cut off); the same request can work once it is back.
  if (isDatabaseUnreachable(error)) {
    request.log.warn({ err: { message: error.message } }, "request failed: database unreachable");
    return reply.code(503).send({ error: DATABASE_UNREACHABLE_MESSAGE });
  }
  request.log.error({ err: error }, "request failed");
  return reply.code(500).send({ error: "Internal server error" });
}

export async function handleNotFound(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ error: "Not found" });
}

/** 429 for password guessing (chat/passwordChecks.ts), with Retry-After in seconds. */
export async function tooManyLoginAttempts(reply: FastifyReply, retryAfterMs: number) {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return reply
    .code(429)
    .header("retry-after", String(seconds))
    .send({ error: `Too many login attempts, try again in ${seconds} s` });
}

/** The stable code of each error status; `error` stays the text for people (protocol §11). */
const CODES: Record<number, ErrorCode> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "rate_limited",
  500: "internal",
};

/**
 * Adds `code` beside `error` on every error answer, including those routes and guards write
 * themselves, so a program never parses the text. Old clients read `error` and ignore the rest.
 */
export function addErrorCodes(app: FastifyInstance): void {
  app.addHook("preSerialization", async (_request, reply, payload: unknown) => {
    if (reply.statusCode < 400 || typeof payload !== "object" || payload === null) return payload;
    const body = payload as { error?: unknown; code?: unknown };
    if (typeof body.error !== "string" || body.code !== undefined) return payload;
    const code = CODES[reply.statusCode] ?? (reply.statusCode >= 500 ? "internal" : "invalid_request");
    return { ...body, code };
  });
}
