/**
 * One POST of one delivery: the address guard (again, at send time), the signature headers, a
 * hard timeout over the whole exchange, and trust in the extra CA certificates of
 * WEBHOOK_CA_FILE beside the usual roots. Redirects are not followed: a 3xx is a failure.
 *
 * Connections are kept open between deliveries (a keep-alive agent per scheme): a connection per
 * delivery cost a TCP handshake, and on https a TLS handshake, for every event, which at a busy
 * site's message rate was most of a delivery's CPU. A kept connection was made to an address the
 * guard passed when it was opened, so reusing it reaches nothing the guard would refuse. Idle
 * ones close after IDLE_CONNECTION_MS, before the common servers' own keep-alive timeout (Node's
 * is 5 s); a kept connection the receiver closed, without an answer, just as it was reused is
 * retried once on a new one, as Node's documentation advises, within the same timeout. The
 * receiver may have read it: delivery is at least once, and the retry carries the same event id.
 */
import type { ClientRequest, IncomingMessage } from "node:http";
import { rootCertificates } from "node:tls";
import { WEBHOOK_HEADERS, type WebhookFormat } from "@parley/protocol";
import { http, https } from "../httpModules.js";
import type { OutboundPolicy } from "./addressGuard.js";
import { signatureHeader } from "./signature.js";

export interface WebhookRequest {
  url: string;
  format: WebhookFormat;
  secret: string;
  eventId: string;
  eventType: string;
  body: string;
}

export type WebhookResult =
  | { ok: true; status: number; durationMs: number }
  | { ok: false; status: number | null; error: string; durationMs: number };

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResult>;
}

/** What of a receiver's answer is kept for the log. */
const MAX_ANSWER_BYTES = 1024;
/** How long an idle kept connection stays open. */
const IDLE_CONNECTION_MS = 4000;
/** Idle connections kept per receiver. */
const IDLE_CONNECTIONS_PER_HOST = 16;

export interface HttpWebhookSenderOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  /** PEM text of extra CA certificates (WEBHOOK_CA_FILE). */
  extraCa?: string;
  userAgent?: string;
  now?: () => Date;
}

export class HttpWebhookSender implements WebhookSender {
  private readonly ca: string[] | undefined;
  private readonly agents = {
    http: new http.Agent(KEPT_CONNECTIONS),
    https: new https.Agent(KEPT_CONNECTIONS),
  };

  constructor(private readonly options: HttpWebhookSenderOptions) {
    this.ca = options.extraCa === undefined ? undefined : [...rootCertificates, options.extraCa];
  }

  /** Closes the kept connections (at shutdown; idle ones would not hold the process anyway). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async send(delivery: WebhookRequest): Promise<WebhookResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const problem = this.options.policy.formProblem(delivery.url);
    if (problem !== undefined) return { ok: false, status: null, error: problem, durationMs: 0 };
    const url = new URL(delivery.url);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(delivery.body)),
      "user-agent": this.options.userAgent ?? "Parley-Webhooks/1",
    };
    if (delivery.format === "parley") {
      headers[WEBHOOK_HEADERS.eventId] = delivery.eventId;
      headers[WEBHOOK_HEADERS.eventType] = delivery.eventType;
      headers[WEBHOOK_HEADERS.signature] = signatureHeader(
        delivery.secret,
        delivery.body,
        (this.options.now ?? (() => new Date()))(),
      );
    }
    try {
      const answer = await this.post(url, headers, delivery.body);
      const durationMs = elapsed();
      if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status, durationMs };
      const said = answer.text.trim() === "" ? "" : `: ${answer.text.trim().slice(0, 200)}`;
      return {
        ok: false,
        status: answer.status,
        error: `receiver answered ${answer.status}${said}`,
        durationMs,
      };
    } catch (error) {
      return {
        ok: false,
        status: null,
        error: error instanceof Error ? error.message : String(error),
        durationMs: elapsed(),
      };
    }
  }

  private async post(url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
    // One timeout over the whole exchange, the retry included: the delivery's claim outlasts it.
    const deadline = performance.now() + this.options.timeoutMs;
    try {
      return await this.postOnce(url, headers, body, deadline);
    } catch (error) {
      if (!(error instanceof ClosedKeptConnection)) throw error;
      return this.postOnce(url, headers, body, deadline);
    }
  }

  private postOnce(
    url: URL,
    headers: Record<string, string>,
    body: string,
    deadline: number,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const lookup = this.options.policy.lookupFor(url);
      const options = {
        method: "POST",
        headers,
        ...(lookup === undefined ? {} : { lookup }),
      };
      const request: ClientRequest =
        url.protocol === "https:"
          ? https.request(url, {
              ...options,
              agent: this.agents.https,
              ...(this.ca === undefined ? {} : { ca: this.ca }),
            })
          : http.request(url, { ...options, agent: this.agents.http });
      let answered = false;
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)),
        Math.max(deadline - performance.now(), 0),
      );
      const settle = () => clearTimeout(timer);
      request.on("error", (error: NodeJS.ErrnoException) => {
        settle();
        const closedUnderUs =
          request.reusedSocket && !answered && (error.code === "ECONNRESET" || error.code === "EPIPE");
        reject(closedUnderUs ? new ClosedKeptConnection(error) : error);
      });
      request.on("response", (response: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on("data", (chunk: Buffer) => {
          if (kept < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - kept));
          kept += chunk.length;
        });
        response.on("end", () => {
          settle();
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", (error) => {
          settle();
          reject(error);
        });
      });
      request.end(body);
    });
  }
}

interface Answer {
  status: number;
  text: string;
}

const KEPT_CONNECTIONS = {
  keepAlive: true,
  maxFreeSockets: IDLE_CONNECTIONS_PER_HOST,
  // The agent closes a kept connection idle this long (a request in flight has its own timer).
  timeout: IDLE_CONNECTION_MS,
};

/** A kept connection the receiver closed, without an answer, as it was reused. */
class ClosedKeptConnection extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}
