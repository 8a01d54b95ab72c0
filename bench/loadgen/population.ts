/**
 * Everyone connected to one server, with their incoming messages routed to whichever
 * DeliveryTracker is current: the traffic of one run at a time.
 */
import type { CableClient, ChannelMessage } from "./cableClient.js";
import type { DeliveryTracker } from "./deliveries.js";
import type { Visitor } from "./visitors.js";

export class Population {
  tracker: DeliveryTracker | undefined;
  /** Sockets the server closed while the run was on. */
  dropped = 0;

  constructor(
    readonly visitors: Visitor[],
    readonly agents: CableClient[],
  ) {
    for (const { client } of visitors) {
      client.onMessage = (message, at) => this.visitorMessage(message, at);
      client.socket.on("close", () => this.dropped++);
    }
    for (const agent of agents) {
      agent.onMessage = (message, at) => this.agentMessage(message, at);
      agent.socket.on("close", () => this.dropped++);
    }
  }

  close(): void {
    for (const { client } of this.visitors) client.close();
    for (const agent of this.agents) agent.close();
  }

  private visitorMessage(message: ChannelMessage, at: number): void {
    if (message.type === "message") {
      const clientId = (message.message as { client_id?: unknown } | undefined)?.client_id;
      if (typeof clientId === "string") this.tracker?.echoed(clientId, at);
    } else if (message.type === "error" || message.type === "too_fast") {
      this.tracker?.refused(JSON.stringify(message).slice(0, 200));
    }
  }

  private agentMessage(message: ChannelMessage, at: number): void {
    if (message.type !== "new_message") return;
    const clientId = (message.message as { client_id?: unknown } | undefined)?.client_id;
    if (typeof clientId === "string") this.tracker?.reachedAgent(clientId, at);
  }
}
