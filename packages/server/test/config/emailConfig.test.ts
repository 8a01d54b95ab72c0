/** Email's environment (protocol §16, docs/email.md): on only when complete, one clear line otherwise. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, DEFAULT_MAIL_RETRY_SCHEDULE_S, loadConfig } from "../../src/config.js";

const SENDING = {
  SMTP_URL: "smtps://user:pa%40ss@smtp.example.com:465",
  MAIL_FROM: "Acme Help <help@acme.example>",
  PUBLIC_URL: "https://chat.acme.example/parley/",
};

function fails(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.variable === variable &&
      error.message.startsWith(`${variable}: `),
    `${variable} is named`,
  );
}

describe("email configuration", () => {
  it("is off unless SMTP_URL, MAIL_FROM and PUBLIC_URL are set", () => {
    assert.equal(loadConfig({}).email, undefined);
  });

  it("reads sending, with the reply address defaulting to MAIL_FROM's", () => {
    const email = loadConfig(SENDING).email;
    assert.deepEqual(email, {
      smtpUrl: SENDING.SMTP_URL,
      from: "Acme Help <help@acme.example>",
      fromAddress: "help@acme.example",
      publicUrl: "https://chat.acme.example/parley",
      replyTo: "help@acme.example",
      imap: undefined,
      retryScheduleMs: DEFAULT_MAIL_RETRY_SCHEDULE_S.map((seconds) => seconds * 1000),
    });
    const day = DEFAULT_MAIL_RETRY_SCHEDULE_S.reduce((sum, seconds) => sum + seconds, 0) / 3600;
    assert.ok(day > 20 && day < 30, `retries for about a day (${day} h)`);
    assert.deepEqual(
      loadConfig({ ...SENDING, MAIL_RETRY_SCHEDULE: "0.2, 1" }).email?.retryScheduleMs,
      [200, 1000],
    );
    assert.equal(
      loadConfig({ ...SENDING, MAIL_FROM: "help@acme.example" }).email?.fromAddress,
      "help@acme.example",
    );
    assert.equal(
      loadConfig({ ...SENDING, PUBLIC_URL: "http://localhost:3100" }).email?.publicUrl,
      "http://localhost:3100",
    );
    assert.equal(
      loadConfig({ ...SENDING, MAIL_REPLY_TO: "replies@acme.example" }).email?.replyTo,
      "replies@acme.example",
    );
  });

  it("reads the reply mailbox from IMAP_URL, INBOX and 30 seconds unless told", () => {
    const imap = loadConfig({
      ...SENDING,
      IMAP_URL: "imaps://replies%40acme.example:s%2Fcret@imap.acme.example",
    }).email?.imap;
    assert.deepEqual(imap, {
      url: "imaps://replies%40acme.example:s%2Fcret@imap.acme.example",
      host: "imap.acme.example",
      port: 993,
      secure: true,
      user: "replies@acme.example",
      password: "s/cret",
      mailbox: "INBOX",
      pollSeconds: 30,
    });
    const plain = loadConfig({
      ...SENDING,
      IMAP_URL: "imap://u:p@127.0.0.1:1143/Parley%20Replies",
      IMAP_POLL_SECONDS: "5",
    }).email?.imap;
    assert.deepEqual(
      [plain?.port, plain?.secure, plain?.mailbox, plain?.pollSeconds],
      [1143, false, "Parley Replies", 5],
    );
  });

  it("names the missing or wrong variable", () => {
    fails({ SMTP_URL: SENDING.SMTP_URL }, "MAIL_FROM");
    fails({ SMTP_URL: SENDING.SMTP_URL, MAIL_FROM: SENDING.MAIL_FROM }, "PUBLIC_URL");
    fails({ SMTP_URL: SENDING.SMTP_URL, PUBLIC_URL: SENDING.PUBLIC_URL }, "MAIL_FROM");
    fails({ MAIL_FROM: SENDING.MAIL_FROM }, "SMTP_URL");
    fails({ IMAP_URL: "imaps://u:p@imap.example.com" }, "SMTP_URL");
    fails({ ...SENDING, SMTP_URL: "https://smtp.example.com" }, "SMTP_URL");
    fails({ ...SENDING, MAIL_FROM: "not an address" }, "MAIL_FROM");
    fails({ ...SENDING, MAIL_FROM: "Name <nobody>" }, "MAIL_FROM");
    fails({ ...SENDING, PUBLIC_URL: "chat.example.com" }, "PUBLIC_URL");
    fails({ ...SENDING, PUBLIC_URL: "https://chat.example.com/?x=1" }, "PUBLIC_URL");
    fails({ ...SENDING, MAIL_RETRY_SCHEDULE: "soon" }, "MAIL_RETRY_SCHEDULE");
    fails({ ...SENDING, MAIL_REPLY_TO: "replies at example" }, "MAIL_REPLY_TO");
    fails({ ...SENDING, IMAP_URL: "pop3://u:p@mail.example.com" }, "IMAP_URL");
    fails({ ...SENDING, IMAP_URL: "imaps://imap.example.com" }, "IMAP_URL");
    fails(
      { ...SENDING, IMAP_URL: "imaps://u:p@imap.example.com", IMAP_POLL_SECONDS: "0" },
      "IMAP_POLL_SECONDS",
    );
    fails(
      { ...SENDING, IMAP_URL: "imaps://u:p@imap.example.com", IMAP_POLL_SECONDS: "3601" },
      "IMAP_POLL_SECONDS",
    );
  });
});
