/**
 * A Parley server that sends email to a real SMTP server in the test process, for the visitor's
 * emails (protocol §16): the owner's and the widget's REST calls, a visitor who writes over the
 * cable, and a way to bring a reply email's job forward so no test waits its minutes.
 */
import { randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { databaseFor, POSTGRES_SKIP } from "../support/postgres.js";
import { startSmtpServer, type TestSmtpServer } from "../support/smtpServer.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

export { POSTGRES_SKIP, WIDGET_ORIGIN, visitorToken };

/** SQLite always; Postgres when TEST_DATABASE_URL is set (each world in its own schema). */
export const ENGINES = ["sqlite", "postgres"] as const;
export type Engine = (typeof ENGINES)[number];

export function skipOf(engine: Engine): string | false {
  return engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : false;
}

export const MAIL_FROM = "Acme Help <help@acme.example>";
export const REPLY_MAILBOX = "replies@acme.example";
export const PUBLIC_URL = "http://chat.acme.example";

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: string };
}

export class EmailWorld {
  private constructor(
    readonly server: TestServer,
    readonly smtp: TestSmtpServer,
    readonly cookie: string,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  /** `receiving`: IMAP_URL is set, so reply emails carry the tagged Reply-To. */
  static async start(
    options: { receiving?: boolean; env?: Record<string, string>; engine?: Engine } = {},
  ): Promise<EmailWorld> {
    const database = await databaseFor(options.engine);
    if (database === undefined) throw new Error("Postgres asked for without TEST_DATABASE_URL");
    const smtp = await startSmtpServer();
    const server = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_FROM,
      PUBLIC_URL,
      RATE_LIMIT_PER_MINUTE: "1000",
      ...(options.receiving === false
        ? {}
        : {
            MAIL_REPLY_TO: REPLY_MAILBOX,
            IMAP_URL: "imap://u:p@127.0.0.1:9/INBOX",
            IMAP_POLL_SECONDS: "3600",
          }),
      ...database.env,
      ...options.env,
    });
    return new EmailWorld(server, smtp, await login(server.url), () => database.drop());
  }

  async dispose(): Promise<void> {
    await this.server.dispose();
    await this.smtp.stop();
    await this.dropDatabase();
  }

  /** A REST call as the owner (cookie), as a program (`token`), or as the widget (`widget`). */
  async call(
    method: string,
    path: string,
    json?: unknown,
    as: { cookie?: string; token?: string; widget?: boolean } = { cookie: this.cookie },
  ): Promise<Answer> {
    const headers = new Headers();
    if (as.cookie !== undefined) headers.set("cookie", as.cookie);
    if (as.token !== undefined) headers.set("authorization", `Bearer ${as.token}`);
    if (as.widget === true) headers.set("origin", WIDGET_ORIGIN);
    if (json !== undefined) headers.set("content-type", "application/json");
    const response = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Answer["body"],
    };
  }

  widget(path: string, json: unknown): Promise<Answer> {
    return this.call("POST", path, json, { widget: true });
  }

  /** The owner answers; the message's id. */
  async reply(conversationId: number, content: string): Promise<number> {
    const answer = await this.call("POST", `/conversations/${conversationId}/messages`, { content });
    if (answer.status !== 201) throw new Error(`reply: ${answer.status} ${JSON.stringify(answer.body)}`);
    return (answer.body.message as { id: number }).id;
  }

  /** Sets owner settings (e.g. `email_replies_after_minutes`). */
  async settings(values: Record<string, unknown>): Promise<void> {
    const answer = await this.call("PATCH", "/settings", values);
    if (answer.status !== 200) throw new Error(`settings: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  /** The conversation a visitor token chats in. */
  async conversationOf(token: string): Promise<number> {
    const conversation = await this.server.store.findConversationByToken(token);
    if (conversation === undefined) throw new Error("the visitor has no conversation");
    return conversation.id;
  }

  /** Waits until the server no longer counts the visitor as connected. */
  async offline(conversationId: number): Promise<void> {
    await eventually(async () => {
      const answer = await this.call("GET", `/conversations/${conversationId}`);
      return (answer.body.conversation as { visitor_online: boolean }).visitor_online === false;
    }, "the visitor to be offline");
  }

  /** Jobs of the kind waiting in the queue. */
  async jobsOf(kind: string): Promise<number> {
    return (await this.server.store.listJobs()).filter((job) => job.kind === kind).length;
  }

  /**
   * Makes the kind's waiting jobs due now, as if their minutes had passed: each is taken with a
   * lease (as a worker would) and handed back due now; the server's worker then runs it.
   */
  async bringForward(kind: string): Promise<number> {
    const store = this.server.store;
    const far = new Date(Date.now() + 7 * 24 * 3600_000);
    const held: Array<{ id: number; kind: string; runAt: string; leaseToken: string }> = [];
    let moved = 0;
    for (;;) {
      const leaseToken = randomUUID();
      const job = await store.claimJob({
        now: far.toISOString(),
        leaseToken,
        // Past "a week from now", or the jobs held here would look lapsed and be taken again.
        leaseUntil: new Date(far.getTime() + 60_000).toISOString(),
      });
      if (job === undefined) break;
      held.push({ id: job.id, kind: job.kind, runAt: job.runAt, leaseToken });
    }
    for (const job of held) {
      const runAt = job.kind === kind ? new Date().toISOString() : job.runAt;
      if (job.kind === kind) moved++;
      await store.rescheduleJob(job.id, job.leaseToken, { runAt });
    }
    return moved;
  }

  /** Waits until no job of the kind is left (run and finished). */
  async drained(kind: string): Promise<void> {
    await eventually(async () => (await this.jobsOf(kind)) === 0, `the ${kind} jobs to finish`);
  }

  /** The next email to `to` not seen before (by Message-ID). */
  async mailTo(to: string, seen: readonly ParsedMail[] = []): Promise<ParsedMail> {
    const ids = new Set(seen.map((mail) => mail.messageId));
    const isNew = (mail: ParsedMail) => recipients(mail).includes(to) && !ids.has(mail.messageId);
    await eventually(() => this.smtp.messages.some(isNew), `an email to ${to}`);
    return this.smtp.messages.find(isNew)!;
  }

  mailsTo(to: string): ParsedMail[] {
    return this.smtp.messages.filter((mail) => recipients(mail).includes(to));
  }
}

export function recipients(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((address) => address.value.map((one) => one.address ?? ""));
}

/** Polls `check` until it holds (no timed assertions: a deadline only for a clear failure). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The reopen link inside a reply email's button: the page's URL and the `#parley=` value. */
export function resumeLinkIn(mail: ParsedMail): { url: string; link: string } {
  const match = /(https?:\/\/[^\s"<>]*#parley=([A-Za-z0-9_.-]+))/.exec(mail.text ?? "");
  if (match === null) throw new Error(`no reopen link in: ${mail.text}`);
  return { url: match[1]!, link: match[2]! };
}

export { Visitor } from "../support/widgetVisitor.js";
