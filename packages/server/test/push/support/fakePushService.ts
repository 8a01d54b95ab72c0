/**
 * A push service on loopback over HTTPS that checks what a real one and a browser would: the
 * VAPID token (RFC 8292: ES256 signature by the server's public key, `aud` = this origin, `exp`
 * within 24 hours, a `sub` contact) and the payload (RFC 8291 aes128gcm, decrypted with the
 * subscription's private key and auth secret by http_ece). Each endpoint's answers can be
 * scripted (503, 410, …); the default is 201 Created.
 */
import { createPublicKey, randomUUID, verify } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import ece from "http_ece";
import { browserSubscription, type BrowserSubscription } from "./browserSubscription.js";
import type { TestCertificate } from "./testCertificate.js";

export interface ReceivedPush {
  endpoint: string;
  /** What this service answered. */
  status: number;
  ttl: string | undefined;
  urgency: string | undefined;
  topic: string | undefined;
  /** The decrypted JSON. */
  payload: Record<string, unknown>;
  /** The decrypted size, against the 4 KB push services accept. */
  bytes: number;
}

interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
}

const DAY_SECONDS = 24 * 60 * 60;

export class FakePushService {
  readonly received: ReceivedPush[] = [];
  /** Requests that a real push service or browser would have refused, and why. */
  readonly problems: string[] = [];
  /** The VAPID public key the server is expected to sign with (from GET /push/vapid_public_key). */
  vapidPublicKey = "";
  private readonly subscriptions = new Map<string, BrowserSubscription>();
  private readonly scripts = new Map<string, ScriptedAnswer[]>();

  private constructor(private readonly server: Server) {}

  static async start(certificate: TestCertificate): Promise<FakePushService> {
    const server = createServer({ key: certificate.key, cert: certificate.cert });
    const service = new FakePushService(server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const answer = service.handle(request.url ?? "/", request.headers, Buffer.concat(chunks));
        response.writeHead(answer.status, answer.headers ?? {}).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return service;
  }

  get origin(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A new browser subscription on this service. */
  subscribe(): BrowserSubscription {
    const subscription = browserSubscription(`${this.origin}/push/${randomUUID()}`);
    this.subscriptions.set(subscription.endpoint, subscription);
    return subscription;
  }

  /** The next answers for this endpoint, in order; after them, 201. */
  script(endpoint: string, ...answers: (number | ScriptedAnswer)[]): void {
    this.scripts.set(
      endpoint,
      answers.map((answer) => (typeof answer === "number" ? { status: answer } : answer)),
    );
  }

  to(endpoint: string): ReceivedPush[] {
    return this.received.filter((push) => push.endpoint === endpoint);
  }

  delivered(endpoint: string): ReceivedPush[] {
    return this.to(endpoint).filter((push) => push.status === 201);
  }

  /** Waits until `count` requests reached the endpoint. */
  async waitFor(endpoint: string, count: number, timeoutMs = 10_000): Promise<ReceivedPush[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(endpoint).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} pushes to ${endpoint}, got ${this.to(endpoint).length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.to(endpoint);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): ScriptedAnswer {
    const endpoint = `${this.origin}${path}`;
    const subscription = this.subscriptions.get(endpoint);
    if (subscription === undefined) return this.refuse(404, `unknown endpoint ${path}`);
    const vapidProblem = this.checkVapid(String(headers.authorization ?? ""));
    if (vapidProblem !== undefined) return this.refuse(401, vapidProblem);
    if (headers["content-encoding"] !== "aes128gcm")
      return this.refuse(400, `content-encoding ${String(headers["content-encoding"])}`);
    let plain: Buffer;
    try {
      plain = ece.decrypt(body, {
        version: "aes128gcm",
        privateKey: subscription.keys,
        authSecret: subscription.auth,
      });
    } catch (error) {
      return this.refuse(400, `payload does not decrypt: ${String(error)}`);
    }
    const answer = this.scripts.get(endpoint)?.shift() ?? { status: 201 };
    this.received.push({
      endpoint,
      status: answer.status,
      ttl: headers.ttl as string | undefined,
      urgency: headers.urgency as string | undefined,
      topic: headers.topic as string | undefined,
      payload: JSON.parse(plain.toString("utf8")) as Record<string, unknown>,
      bytes: plain.length,
    });
    return answer;
  }

  private refuse(status: number, problem: string): ScriptedAnswer {
    this.problems.push(problem);
    return { status };
  }

  /** RFC 8292 §2–3: `vapid t=<JWT>, k=<public key>`. */
  private checkVapid(authorization: string): string | undefined {
    const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization);
    if (match === null) return `Authorization is not "vapid t=…, k=…": ${authorization.slice(0, 40)}`;
    const [, token = "", key = ""] = match;
    if (key !== this.vapidPublicKey) return "k is not the server's VAPID public key";
    const [header = "", claims = "", signature = ""] = token.split(".");
    const point = Buffer.from(key, "base64url");
    const publicKey = createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: point.subarray(1, 33).toString("base64url"),
        y: point.subarray(33, 65).toString("base64url"),
      },
      format: "jwk",
    });
    const signed = verify(
      "sha256",
      Buffer.from(`${header}.${claims}`),
      { key: publicKey, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );
    if (!signed) return "the JWT's ES256 signature does not verify with the server's key";
    const { alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string };
    if (alg !== "ES256") return `JWT alg ${alg}`;
    const { aud, exp, sub } = JSON.parse(Buffer.from(claims, "base64url").toString()) as {
      aud?: string;
      exp?: number;
      sub?: string;
    };
    if (aud !== this.origin) return `aud ${aud} is not ${this.origin}`;
    const now = Math.floor(Date.now() / 1000);
    if (typeof exp !== "number" || exp <= now || exp > now + DAY_SECONDS)
      return `exp ${exp} is not within 24 hours`;
    if (typeof sub !== "string" || !/^(mailto:|https:)/.test(sub)) return `sub ${sub}`;
    return undefined;
  }
}
