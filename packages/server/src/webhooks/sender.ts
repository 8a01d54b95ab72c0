/**
 * One POST of one delivery: the address guard (again, at send time), the signature headers, a
 * hard timeout over the whole exchange, and trust in the extra CA certificates of
 * WEBHOOK_CA_FILE beside the usual roots. Redirects are not followed: a 3xx is a failure.
 */
import type { IncomingMessage } from "node:http";
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

  constructor(private readonly options: HttpWebhookSenderOptions) {
    this.ca = options.extraCa === undefined ? undefined : [...rootCertificates, options.extraCa];
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

  private post(
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const lookup = this.options.policy.lookupFor(url);
      const options = {
        method: "POST",
        headers,
        agent: false as const,
        ...(lookup === undefined ? {} : { lookup }),
      };
      const request =
        url.protocol === "https:"
          ? https.request(url, { ...options, ...(this.ca === undefined ? {} : { ca: this.ca }) })
          : http.request(url, options);
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      const settle = () => clearTimeout(timer);
      request.on("error", (error) => {
        settle();
        reject(error);
      });
      request.on("response", (response: IncomingMessage) => {
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
