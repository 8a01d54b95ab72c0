/**
 * Which mails no person wrote (RFC 3834 and the vendors' own marks, bounces), read from real
 * headers through mailparser: the intake never posts those as a visitor's answer.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { simpleParser } from "mailparser";
import { EmailIntake, isAutomatic } from "./intake.js";

async function automatic(headers: string, from = "visitor@example.org"): Promise<boolean> {
  const mail = await simpleParser(
    `From: ${from}\r\nTo: replies@example.com\r\n${headers}Subject: x\r\n\r\nHello\r\n`,
  );
  return isAutomatic(mail);
}

describe("isAutomatic", () => {
  it("is false for a person's mail, and for Auto-Submitted: no", async () => {
    assert.equal(await automatic(""), false);
    assert.equal(await automatic("Auto-Submitted: no\r\n"), false);
    // Outlook asks others not to auto-reply to it: that says nothing of the mail itself.
    assert.equal(await automatic("X-Auto-Response-Suppress: All\r\n"), false);
  });

  it("is true for Auto-Submitted other than no, and the vendors' auto-reply marks", async () => {
    assert.equal(await automatic("Auto-Submitted: auto-replied\r\n"), true);
    assert.equal(await automatic("Auto-Submitted: auto-generated\r\n"), true);
    assert.equal(await automatic("X-Autoreply: yes\r\n"), true);
    assert.equal(await automatic("X-Autorespond: Out of office\r\n"), true);
    assert.equal(await automatic("Precedence: bulk\r\n"), true);
    assert.equal(await automatic("Precedence: auto_reply\r\n"), true);
  });

  it("is true for bounces: the mailer daemon, the postmaster, a delivery report", async () => {
    assert.equal(await automatic("", "MAILER-DAEMON@mail.example.org"), true);
    assert.equal(await automatic("", "Mail Delivery System <postmaster@example.org>"), true);
    assert.equal(
      await automatic(
        'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n',
      ),
      true,
    );
  });
});

describe("EmailIntake.messageIdOf", () => {
  it("keeps the mail's Message-ID, and makes one from the bytes of a mail without", () => {
    const source = Buffer.from("From: a@example.org\r\n\r\nhi\r\n");
    assert.equal(EmailIntake.messageIdOf({ messageId: "<abc@example.org>" }, source), "<abc@example.org>");
    const made = EmailIntake.messageIdOf({ messageId: undefined }, source);
    assert.match(made, /^<[0-9a-f]{64}@no-message-id\.invalid>$/);
    assert.equal(EmailIntake.messageIdOf({ messageId: "" }, source), made);
    assert.notEqual(EmailIntake.messageIdOf({ messageId: undefined }, Buffer.from("other")), made);
  });
});
