/**
 * One POST of one delivery: the address guard (again, at send time), the signature headers, a
 * hard timeout over the whole exchange, and trust in the extra CA certificates of
 * WEBHOOK_CA_FILE beside the usual roots. Redirects are not followed: a 3xx is a failure.
 *
 * The requests go through undici, the HTTP client Node's own fetch is built on, loaded on the
 * first delivery (most deployments send none). A delivery through node:http's ClientRequest and
 * its agent cost the sender 70–130 µs of CPU on the bench machine, more than its signature or
 * its store writes; through undici's handler interface about 0.6 times as much
 * (docs/benchmarks.md, thirteenth pass).
 *
 * Connections are kept open between deliveries (a pool per receiver): a connection per delivery
 * cost a TCP handshake, and on https a TLS handshake, for every event, which at a busy site's
 * message rate was most of a delivery's CPU. A kept connection was made to an address the guard
 * passed when it was opened, so reusing it reaches nothing the guard would refuse. Idle ones
 * close after IDLE_CONNECTION_MS, or sooner when the receiver's Keep-Alive header says it closes
 * them sooner; a kept connection the receiver closed, without an answer, just as it was reused
 * is retried once on a new one, within the same timeout. The receiver may have read it: delivery
 * is at least once, and the retry carries the same event id. A new connection closed without an
 * answer is the receiver's failure, and is not sent again.
 */
import type { LookupFunction } from "node:net";
import { rootCertificates } from "node:tls";
import type { Agent, Dispatcher } from "undici";
import { WEBHOOK_HEADERS, type WebhookFormat } from "@parley/protocol";
import { importPackage } from "../importPackage.js";
import { loadOnce } from "../loadOnce.js";
import type { OutboundPolicy } from "./addressGuard.js";
import { signatureHeader } from "./signature.js";

const loadUndici = loadOnce(() => importPackage<typeof import("undici")>("undici"));

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
/**
 * Connections kept per receiver (origin); requests past them wait for one. undici reuses a
 * connection a turn of the event loop after its answer (a server that said it keeps the
 * connection may still close it), so a webhook's REQUESTS_AT_ONCE requests, each sent as the one
 * before is answered, use up to twice as many connections.
 */
const CONNECTIONS_PER_RECEIVER = 16;
/** How long a closed connection is remembered, for a request that failed on it (closedAsReused). */
const FORGET_CLOSED_MS = 1000;

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
  /** A pool of kept connections per lookup: the guarded one, and none for exempt hosts. */
  private readonly agents = new Map<LookupFunction | undefined, Promise<Agent>>();
  /** Kept connections by their ends, with what each had read when it was opened. */
  private readonly opened = new Map<string, number>();
  private readonly now: () => Date;

  constructor(private readonly options: HttpWebhookSenderOptions) {
    this.ca = options.extraCa === undefined ? undefined : [...rootCertificates, options.extraCa];
    this.now = options.now ?? (() => new Date());
  }

  /** Closes the kept connections (at shutdown; idle ones would not hold the process anyway). */
  close(): void {
    for (const agent of this.agents.values())
      void agent.then((each) => each.destroy()).catch(() => undefined);
    this.agents.clear();
  }

  async send(delivery: WebhookRequest): Promise<WebhookResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const problem = this.options.policy.formProblem(delivery.url);
    if (problem !== undefined) return { ok: false, status: null, error: problem, durationMs: 0 };
    const url = new URL(delivery.url);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": this.options.userAgent ?? "Parley-Webhooks/1",
    };
    if (delivery.format === "parley") {
      headers[WEBHOOK_HEADERS.eventId] = delivery.eventId;
      headers[WEBHOOK_HEADERS.eventType] = delivery.eventType;
      headers[WEBHOOK_HEADERS.signature] = signatureHeader(delivery.secret, delivery.body, this.now());
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
    const agent = await this.agentFor(url);
    // One timeout over the whole exchange, the retry included: the delivery's claim outlasts it.
    const deadline = performance.now() + this.options.timeoutMs;
    const timedOut = () => new Error(`no answer within ${this.options.timeoutMs} ms`);
    const request: Dispatcher.DispatchOptions = {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      headers,
      body,
    };
    try {
      return await postOnce(agent, request, deadline, timedOut);
    } catch (error) {
      if (!this.closedAsReused(error) || performance.now() >= deadline) throw error;
      return postOnce(agent, request, deadline, timedOut);
    }
  }

  /** Whether the request failed, unanswered, on a kept connection that had answered before. */
  private closedAsReused(error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== "UND_ERR_SOCKET" && code !== "ECONNRESET" && code !== "EPIPE") return false;
    const socket = (error as { socket?: SocketInfo }).socket;
    if (socket === undefined) return false;
    const readAtOpen = this.opened.get(connectionKey(socket));
    return readAtOpen !== undefined && (socket.bytesRead ?? 0) > readAtOpen;
  }

  private agentFor(url: URL): Promise<Agent> {
    const lookup = this.options.policy.lookupFor(url) as LookupFunction | undefined;
    let agent = this.agents.get(lookup);
    if (agent === undefined) {
      agent = this.newAgent(lookup);
      this.agents.set(lookup, agent);
      agent.catch(() => this.agents.delete(lookup));
    }
    return agent;
  }

  private async newAgent(lookup: LookupFunction | undefined): Promise<Agent> {
    const undici = await loadUndici();
    const connect = undici.buildConnector({
      timeout: this.options.timeoutMs,
      ...(lookup === undefined ? {} : { lookup }),
      ...(this.ca === undefined ? {} : { ca: this.ca }),
    });
    return new undici.Agent({
      connections: CONNECTIONS_PER_RECEIVER,
      keepAliveTimeout: IDLE_CONNECTION_MS,
      keepAliveMaxTimeout: IDLE_CONNECTION_MS,
      // Each connection noted as it opens, for closedAsReused; forgotten a while after it
      // closes, once its last request has seen the close.
      connect: (options, callback) =>
        connect(options, (...result) => {
          const socket = result[1];
          if (socket !== null) {
            const key = connectionKey(socket);
            this.opened.set(key, socket.bytesRead);
            socket.once("close", () => setTimeout(() => this.opened.delete(key), FORGET_CLOSED_MS).unref());
          }
          callback(...result);
        }),
    });
  }
}

/**
 * One request and its answer, of which the first MAX_ANSWER_BYTES are kept for the log, through
 * undici's handler interface and a timer of its own: `request()` with an AbortSignal cost about
 * 20 µs more per delivery than the rest of the request (the signal's listeners), and its answer
 * as a stream more again.
 */
function postOnce(
  agent: Agent,
  request: Dispatcher.DispatchOptions,
  deadline: number,
  timedOut: () => Error,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let late: Error | undefined;
    let status = 0;
    const chunks: Buffer[] = [];
    let kept = 0;
    const timer = setTimeout(
      () => {
        late = timedOut();
        // A request still waiting for a connection is given up at once, and aborted when it starts.
        if (controller === undefined) reject(late);
        else controller.abort(late);
      },
      Math.max(deadline - performance.now(), 0),
    );
    agent.dispatch(request, {
      onRequestStart(started) {
        controller = started;
        if (late !== undefined) started.abort(late);
      },
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      // Read to the end, so the connection can carry the next delivery.
      onResponseData(_controller, chunk) {
        if (kept < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - kept));
        kept += chunk.length;
      },
      onResponseEnd() {
        clearTimeout(timer);
        resolve({ status, text: Buffer.concat(chunks).toString("utf8") });
      },
      onResponseError(_controller, error) {
        clearTimeout(timer);
        reject(late ?? error);
      },
    });
  });
}

interface Answer {
  status: number;
  text: string;
}

/** What undici tells of the connection a request failed on. */
interface SocketInfo {
  localAddress?: string;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
  bytesRead?: number;
}

function connectionKey(socket: SocketInfo): string {
  return `${socket.localAddress}:${socket.localPort}>${socket.remoteAddress}:${socket.remotePort}`;
}
