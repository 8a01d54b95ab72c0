/**
 * The agent's session cookie: HttpOnly, signed with SECRET_KEY_BASE, holding the session's
 * random secret. `SameSite=None; Secure` over HTTPS so an inbox on another site can use it,
 * `Lax` over plain HTTP (where browsers refuse SameSite=None).
 */
import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import { SESSION_TTL_MS } from "../chat/sessions.js";

export const SESSION_COOKIE = "parley_session";

export function sessionCookieOptions(request: FastifyRequest): CookieSerializeOptions {
  const secure = request.protocol === "https";
  return {
    path: "/",
    httpOnly: true,
    signed: true,
    secure,
    sameSite: secure ? "none" : "lax",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string): void {
  reply.setCookie(SESSION_COOKIE, secret, sessionCookieOptions(request));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const { maxAge: _maxAge, signed: _signed, ...options } = sessionCookieOptions(request);
  reply.clearCookie(SESSION_COOKIE, options);
}

/** The session secret from a Cookie header, if present and correctly signed. */
export function sessionSecretFrom(
  cookieHeader: string | undefined,
  cookies: {
    parse(header: string): Record<string, string | undefined>;
    unsign(value: string): string | null;
  },
): string | undefined {
  if (cookieHeader === undefined) return undefined;
  const raw = cookies.parse(cookieHeader)[SESSION_COOKIE];
  if (raw === undefined) return undefined;
  return cookies.unsign(raw) ?? undefined;
}
