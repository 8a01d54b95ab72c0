/**
 * A visitor whose browser says who it is (§12): a cable client whose upgrade request carries a
 * browser's User-Agent and Accept-Language, as a widget's does, that reports the pages it opens
 * with `page` and leaves its name, email or verified id over the widget's REST routes.
 */
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import {
  VISITOR_CHANNEL,
  type ContactDetailsRequest,
  type IdentifyRequest,
  type IdentifyResponse,
} from "@parley/protocol";
import { waitFor } from "./wait.js";

export const CHROME_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

export interface ContextVisitor {
  readonly token: string;
  page(url: string, title: string, extra?: { referrer?: string; time_zone?: string }): void;
  send(content: string): void;
  close(): void;
}

export async function connectContextVisitor(
  serverUrl: string,
  options: { name: string; origin?: string; userAgent?: string; language?: string; token?: string },
): Promise<ContextVisitor> {
  const token = options.token ?? `visitor-${randomUUID()}`;
  const socket = new WebSocket(`${serverUrl.replace(/^http/, "ws")}/cable`, ["actioncable-v1-json"], {
    headers: {
      origin: options.origin ?? serverUrl,
      "user-agent": options.userAgent ?? CHROME_ON_WINDOWS,
      "accept-language": options.language ?? "fr-FR,fr;q=0.9,en;q=0.8",
    },
  });
  const identifier = JSON.stringify({ channel: VISITOR_CHANNEL, token });
  const answer: { to?: string } = {};
  socket.on("message", (raw: Buffer) => {
    const frame = JSON.parse(raw.toString("utf8")) as { type?: string; identifier?: string };
    if (frame.type === "welcome") socket.send(JSON.stringify({ command: "subscribe", identifier }));
    if (
      frame.identifier === identifier &&
      (frame.type === "confirm_subscription" || frame.type === "reject_subscription")
    )
      answer.to = frame.type;
  });
  const to = await waitFor(`${options.name}'s VisitorChannel subscription`, () => answer.to);
  if (to === "reject_subscription") throw new Error(`${options.name}'s subscription was rejected`);
  const perform = (data: Record<string, unknown>): void =>
    socket.send(JSON.stringify({ command: "message", identifier, data: JSON.stringify(data) }));
  return {
    token,
    page: (url, title, extra = {}) => perform({ action: "page", url, title, ...extra }),
    send: (content) => perform({ action: "send_message", content, visitor_name: options.name }),
    close: () => socket.close(),
  };
}

/** POST /widget/contact, as the pre-chat form sends it. */
export async function leaveDetails(
  serverUrl: string,
  body: ContactDetailsRequest,
  origin = serverUrl,
): Promise<void> {
  const response = await fetch(`${serverUrl}/widget/contact`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify(body),
  });
  if (response.status !== 200)
    throw new Error(`POST /widget/contact: ${response.status} ${await response.text()}`);
}

/** POST /widget/identify: the status and the answer (or the error's text). */
export async function identify(
  serverUrl: string,
  body: IdentifyRequest,
  origin = serverUrl,
): Promise<{ status: number; body: IdentifyResponse & { error?: string } }> {
  const response = await fetch(`${serverUrl}/widget/identify`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as IdentifyResponse & { error?: string } };
}
