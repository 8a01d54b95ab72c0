/**
 * A real SMTP server in the test process (smtp-server) on a free loopback port: every message it
 * accepts is parsed with mailparser and kept. It can refuse (a 4xx on MAIL FROM, as a server
 * that is overloaded or greylisting) or be closed altogether (SMTP down), and come back on the
 * same port, so SMTP_URL stays valid across an outage.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface TestSmtpServer {
  /** `smtp://user:secret@127.0.0.1:<port>`: what SMTP_URL says. */
  url: string;
  port: number;
  /** Every message accepted, in order. */
  readonly messages: ParsedMail[];
  /** The user each accepted message authenticated as. */
  readonly users: Array<string | undefined>;
  /** Answers MAIL FROM with 451 (try again later) until `accept()`. */
  refuse(): void;
  accept(): void;
  /** Closes the listener (connections are refused) until `reopen()`. */
  close(): Promise<void>;
  reopen(): Promise<void>;
  /** Resolves with the messages once `count` have come; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
}

export const SMTP_USER = "parley";
export const SMTP_PASSWORD = "smtp secret";

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const users: Array<string | undefined> = [];
  let refusing = false;

  const make = () =>
    new SMTPServer({
      // Plain loopback in tests: no STARTTLS offered, AUTH allowed without it.
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authOptional: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD)
          callback(null, { user: auth.username });
        else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
      },
      onMailFrom(_address, _session, callback) {
        if (refusing) callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
        else callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            messages.push(parsed);
            users.push(typeof session.user === "string" ? session.user : undefined);
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      },
    });

  const listen = (server: SMTPServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
    });
  const shut = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

  let server = make();
  const port = await listen(server, 0);
  let open = true;

  return {
    url: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`,
    port,
    messages,
    users,
    refuse: () => {
      refusing = true;
    },
    accept: () => {
      refusing = false;
    },
    async close() {
      if (!open) return;
      open = false;
      await shut(server);
    },
    async reopen() {
      if (open) return;
      server = make();
      await listen(server, port);
      open = true;
    },
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} emails, got ${messages.length} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return messages.slice(0, count);
    },
    async stop() {
      if (open) await shut(server);
      open = false;
    },
  };
}
