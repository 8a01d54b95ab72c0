/**
 * A Parley server that sends email to a real SMTP server in the test process (support/
 * smtpServer.ts), with short retries; on SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import type { StoredContact, StoredConversation } from "../../src/store/store.js";
import { databaseFor, POSTGRES_SKIP } from "../support/postgres.js";
import { startSmtpServer, type TestSmtpServer } from "../support/smtpServer.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

export { POSTGRES_SKIP };

export const MAIL_FROM = "Acme Help <help@acme.test>";
/** Not where the test server listens: links are checked by their path and token. */
export const PUBLIC_URL = "http://parley.test/chat";

export interface EmailTestBed {
  server: TestServer;
  smtp: TestSmtpServer;
  cookie: string;
  call(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** A conversation on the default site with a contact who left `email`. */
  conversationWithContact(
    email?: string,
  ): Promise<{ conversation: StoredConversation; contact: StoredContact }>;
  dispose(): Promise<void>;
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: string };
}

/** Retries every 0.2 s, 50 times: an outage of a few seconds is waited out. */
export const QUICK_RETRIES = Array.from({ length: 50 }, () => "0.2").join(",");

export async function startEmailTestBed(
  options: { env?: Record<string, string>; engine?: "sqlite" | "postgres" } = {},
): Promise<EmailTestBed | undefined> {
  const database = await databaseFor(options.engine);
  if (database === undefined) return undefined;
  const smtp = await startSmtpServer();
  const server = await startTestServer({
    SMTP_URL: smtp.url,
    MAIL_FROM,
    PUBLIC_URL,
    MAIL_RETRY_SCHEDULE: QUICK_RETRIES,
    ...database.env,
    ...options.env,
  });
  const cookie = await login(server.url);
  return {
    server,
    smtp,
    cookie,
    async call(method, path, json, headers = {}) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          cookie,
          ...(json === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Answer["body"]) };
    },
    async conversationWithContact(email = "vee@example.com") {
      const token = visitorToken();
      const at = new Date().toISOString();
      const { conversation } = await server.store.createConversation({
        token,
        visitorName: "Vee",
        createdIp: null,
        siteId: 1,
        at,
      });
      const contact = await server.store.createContact({
        siteId: 1,
        externalId: null,
        verified: false,
        name: "Vee",
        email,
        attributes: {},
        sessionToken: token,
        locale: "fr-CA",
        at,
      });
      return { conversation, contact };
    },
    async dispose() {
      await server.dispose();
      await smtp.stop();
      await database.drop();
    },
  };
}

/** Polls until `check` holds; fails with `what` after the deadline. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
