/**
 * A visitor of one site (§10), as a widget on that site's page connects: ActionCable JSON over
 * `ws` with the page's Origin, the site's key in the VisitorChannel identifier. Just enough to
 * start a conversation on a chosen site.
 */
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { VISITOR_CHANNEL } from "@parley/protocol";
import { waitFor } from "./wait.js";

export interface SiteVisitor {
  send(content: string): void;
  close(): void;
}

export async function connectSiteVisitor(
  serverUrl: string,
  options: { name: string; origin: string; site?: string },
): Promise<SiteVisitor> {
  const token = `visitor-${randomUUID()}`;
  const socket = new WebSocket(`${serverUrl.replace(/^http/, "ws")}/cable`, ["actioncable-v1-json"], {
    headers: { origin: options.origin },
  });
  const identifier = JSON.stringify({
    channel: VISITOR_CHANNEL,
    token,
    ...(options.site === undefined ? {} : { site: options.site }),
  });
  const answer: { to?: "confirm_subscription" | "reject_subscription" } = {};
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
  return {
    send(content) {
      const data = JSON.stringify({ action: "send_message", content, visitor_name: options.name });
      socket.send(JSON.stringify({ command: "message", identifier, data }));
    },
    close: () => socket.close(),
  };
}
