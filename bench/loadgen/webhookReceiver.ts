/**
 * The webhook receiver a deployment would run, in the load generator's process (its core, not
 * the server's): it answers every delivery 204 at once, as docs/api.md asks receivers to, and
 * counts them by event type, with the ids seen so a retried delivery is counted once. It does
 * not check signatures: that is the receiver's CPU, not the server's, and the bench measures the
 * server.
 */
import { createServer, type Server } from "node:http";

export interface WebhookCounts {
  /** Requests received, retries included. */
  requests: number;
  /** Distinct events (by `Parley-Event-Id`), per event type. */
  events: Record<string, number>;
}

export class WebhookReceiver {
  private readonly seen = new Set<string>();
  private readonly counts: WebhookCounts = { requests: 0, events: {} };
  private readonly server: Server;
  private url_ = "";

  private constructor() {
    this.server = createServer((request, response) => {
      // The body is not needed; reading it to the end lets the connection be kept alive.
      request.resume();
      request.on("end", () => {
        this.count(request.headers["parley-event-id"], request.headers["parley-event-type"]);
        response.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(host = "127.0.0.1"): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, host, resolve));
    const address = receiver.server.address();
    if (typeof address !== "object" || address === null) throw new Error("webhook receiver has no port");
    receiver.url_ = `http://${host}:${address.port}/parley-webhook`;
    return receiver;
  }

  /** Where Parley delivers. */
  get url(): string {
    return this.url_;
  }

  /** A copy of the counts so far. */
  snapshot(): WebhookCounts {
    return { requests: this.counts.requests, events: { ...this.counts.events } };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private count(id: string | string[] | undefined, type: string | string[] | undefined): void {
    this.counts.requests++;
    if (typeof id !== "string" || typeof type !== "string" || this.seen.has(id)) return;
    this.seen.add(id);
    this.counts.events[type] = (this.counts.events[type] ?? 0) + 1;
  }
}
