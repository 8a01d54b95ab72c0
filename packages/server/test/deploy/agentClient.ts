/**
 * An agent for the zero-downtime test: logs in over REST, subscribes to `AdminChannel` over a
 * plain `ws` socket, and sends replies whose stored echo (`new_message` with its client_id) it
 * waits for.
 */
import WebSocket from "ws";
import type { Message } from "@parley/protocol";
import { frameText } from "./visitorClient.js";

const IDENTIFIER = JSON.stringify({ channel: "AdminChannel" });

export async function logIn(
  base: string,
  origin: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await fetch(`${base}/auth/login`, {
    signal: AbortSignal.timeout(10_000),
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

export class Agent {
  private readonly unconfirmed = new Set<string>();
  private sequence = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (raw) => {
      const frame = JSON.parse(frameText(raw)) as {
        identifier?: string;
        message?: { type?: string; message?: Message };
      };
      if (frame.identifier !== IDENTIFIER || frame.message?.type !== "new_message") return;
      const clientId = frame.message.message?.client_id;
      if (clientId !== undefined) this.unconfirmed.delete(clientId);
    });
  }

  static connect(url: string, origin: string, cookie: string): Promise<Agent> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, ["actioncable-v1-json", "actioncable-unsupported"], {
        headers: { origin, cookie },
      });
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error("AdminChannel: no confirmation within 10 s"));
      }, 10_000);
      socket.on("message", (raw) => {
        const frame = JSON.parse(frameText(raw)) as { type?: string; identifier?: string };
        if (frame.type === "welcome")
          socket.send(JSON.stringify({ command: "subscribe", identifier: IDENTIFIER }));
        if (frame.type === "confirm_subscription" && frame.identifier === IDENTIFIER) {
          clearTimeout(timer);
          resolve(new Agent(socket));
        }
        if (frame.type === "reject_subscription") reject(new Error("AdminChannel rejected the agent"));
      });
      socket.on("error", reject);
    });
  }

  reply(conversationId: number, content: string): void {
    const clientId = `agent-${++this.sequence}`;
    this.unconfirmed.add(clientId);
    const data = JSON.stringify({
      action: "send_message",
      conversation_id: conversationId,
      content,
      client_id: clientId,
    });
    this.socket.send(JSON.stringify({ command: "message", identifier: IDENTIFIER, data }));
  }

  get pending(): number {
    return this.unconfirmed.size;
  }

  close(): void {
    this.socket.close();
  }
}
