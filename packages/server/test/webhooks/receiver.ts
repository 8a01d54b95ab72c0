/**
 * A webhook receiver over real TLS on loopback: its certificate is made for the run by the
 * `openssl` command (push's test CA), and the server under test trusts it through
 * WEBHOOK_CA_FILE, as a self-hoster's internal CA would be trusted. It records every request
 * and answers as the test says: a status, or silence (the server's timeout must cut it).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCertificate, type TestCertificate } from "../push/support/testCertificate.js";

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The answer given: a status, "hang", or "drop" (the connection closed without an answer). */
  answer: number | "hang" | "drop";
  /** The sender's port: requests on one connection share it. */
  port: number;
}

/** What to answer the nth request (0-based), with its body. */
export type Answerer = (index: number, body: string) => number | "hang" | "drop";

let certificate: TestCertificate | undefined;

/** One certificate per test process: openssl is slow enough to do it once. */
export function testCertificate(): TestCertificate {
  certificate ??= makeTestCertificate(mkdtempSync(join(tmpdir(), "parley-webhook-ca-")));
  return certificate;
}

export class Receiver {
  readonly received: Received[] = [];
  answer: Answerer = () => 200;
  /** The most requests it has had open at once (arrived, not yet answered or dropped). */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly server: Server;
  private readonly hanging = new Set<() => void>();

  private constructor(certificate: TestCertificate) {
    this.server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      response.once("close", () => (this.inFlight -= 1));
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const answer = this.answer(this.received.length, body);
        this.received.push({ headers: request.headers, body, answer, port: request.socket.remotePort ?? 0 });
        if (answer === "drop") {
          request.socket.destroy();
          return;
        }
        if (answer === "hang") {
          // Answered when the test ends, long after the server gave up.
          this.hanging.add(() => response.destroy());
          return;
        }
        response.writeHead(answer, { "content-type": "text/plain" }).end(answer === 200 ? "ok" : "nope");
      });
    });
  }

  static async start(): Promise<Receiver> {
    const receiver = new Receiver(testCertificate());
    await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/parley`;
  }

  /** The bodies answered 2xx, parsed, in the order they came. */
  accepted<T = Record<string, unknown>>(): T[] {
    return this.received
      .filter((entry) => typeof entry.answer === "number" && entry.answer < 300)
      .map((entry) => JSON.parse(entry.body) as T);
  }

  /** Closes the connections that wait for a next request, as a receiver's keep-alive timeout does. */
  closeIdleConnections(): void {
    this.server.closeIdleConnections();
  }

  async close(): Promise<void> {
    for (const end of this.hanging) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** What a receiver does with Parley-Signature (docs/api.md's recipe): true when it verifies. */
export function verifySignature(secret: string, header: string, body: string): boolean {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  if (parts.t === undefined || parts.v1 === undefined) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Waits for `check` to hold, looking every 50 ms (not a timed assertion: only a ceiling). */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
