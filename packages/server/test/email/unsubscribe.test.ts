/**
 * Visitors' unsubscribe link (protocol §16, RFC 8058): the page asks first, a POST (the page's
 * button or a mail client's one-click, from anywhere) marks the contact; forged, altered or
 * expired links are refused. The widget's contact details carry the language the page speaks.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WIDGET_ORIGIN, visitorToken } from "../support/testServer.js";
import { PUBLIC_URL, startEmailTestBed, type EmailTestBed } from "./harness.js";

describe("email unsubscribe", () => {
  let bed: EmailTestBed;

  before(async () => {
    const started = await startEmailTestBed();
    assert.ok(started !== undefined);
    bed = started;
  });
  after(async () => {
    await bed.dispose();
  });

  /** The link's path and query, on the test server (PUBLIC_URL is elsewhere). */
  const local = (link: string): string => {
    assert.ok(link.startsWith(`${PUBLIC_URL}/email/unsubscribe?t=`), link);
    return `${bed.server.url}${link.slice(PUBLIC_URL.length)}`;
  };

  it("shows a confirm page, and a POST from that page unsubscribes", async () => {
    const { contact } = await bed.conversationWithContact("page@example.com");
    const link = local(bed.server.email.sending().unsubscribeUrl(contact));
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/email\/unsubscribe\?t=[^"]+">/);
    assert.match(html, /page@example\.com/);
    assert.match(html, /lang="fr"/, "the contact's language (fr-CA)");
    assert.equal(
      (await bed.server.store.getContact(contact.id))?.emailUnsubscribedAt,
      null,
      "GET changes nothing",
    );

    const action = /action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");
    assert.ok(action !== undefined);
    const posted = await fetch(`${bed.server.url}${action}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: bed.server.url },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(posted.status, 200);
    assert.match(await posted.text(), /page@example\.com/);
    const after = await bed.server.store.getContact(contact.id);
    assert.ok(after?.emailUnsubscribedAt, "email_unsubscribed_at is set");

    const wire = await bed.call("GET", `/contacts/${contact.id}`);
    const shown = wire.body.contact as Record<string, unknown>;
    assert.equal(shown.email_unsubscribed_at, after.emailUnsubscribedAt);
    assert.equal(shown.locale, "fr-CA");
  });

  it("takes a mail client's one-click POST from no origin, a foreign one, form or multipart or empty", async () => {
    const requests: Array<{ headers: Record<string, string>; body: string | undefined }> = [
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      },
      {
        headers: { "content-type": "multipart/form-data; boundary=b", origin: "https://mail.example" },
        body: '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
      },
      { headers: { origin: "https://mail.example" }, body: undefined },
    ];
    for (const [i, request] of requests.entries()) {
      const { contact } = await bed.conversationWithContact(`client${i}@example.com`);
      const response = await fetch(local(bed.server.email.sending().unsubscribeUrl(contact)), {
        method: "POST",
        ...request,
      });
      assert.equal(response.status, 200, `request ${i}`);
      assert.ok(
        (await bed.server.store.getContact(contact.id))?.emailUnsubscribedAt,
        `request ${i} unsubscribed`,
      );
    }
  });

  it("refuses forged, altered and expired links with a 403 page, and other bodies with a 400", async () => {
    const { contact } = await bed.conversationWithContact("forged@example.com");
    const { tokens } = bed.server.email;
    const real = bed.server.email.sending().unsubscribeUrl(contact);
    const token = new URL(real).searchParams.get("t") ?? "";
    const [body, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(body ?? "", "base64url").toString()) as Record<string, unknown>;
    const altered = `${Buffer.from(JSON.stringify({ ...claims, contact_id: 1 })).toString("base64url")}.${signature}`;
    const expired = tokens.sign(
      "unsubscribe",
      { contact_id: contact.id, site_id: 1, email: contact.email },
      new Date(Date.now() - 1000),
    );
    const otherPurpose = tokens.sign(
      "resume",
      { contact_id: contact.id, site_id: 1, email: contact.email },
      new Date(Date.now() + 60_000),
    );
    for (const bad of ["nonsense", `${token}x`, altered, expired, otherPurpose]) {
      const url = `${bed.server.url}/email/unsubscribe?t=${encodeURIComponent(bad)}`;
      const page = await fetch(url);
      assert.equal(page.status, 403, bad);
      assert.match(await page.text(), /invalid or has expired/);
      const post = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      assert.equal(post.status, 403, bad);
    }
    assert.equal((await bed.server.store.getContact(contact.id))?.emailUnsubscribedAt, null);
    assert.equal((await fetch(`${bed.server.url}/email/unsubscribe`)).status, 400, "no token");
    const odd = await fetch(local(real), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=Everything",
    });
    assert.equal(odd.status, 400);
  });

  it("keeps the widget's language on the contact (POST /widget/contact locale)", async () => {
    const token = visitorToken();
    const post = (json: Record<string, unknown>) =>
      fetch(`${bed.server.url}/widget/contact`, {
        method: "POST",
        headers: { origin: WIDGET_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ token, ...json }),
      });
    assert.equal((await post({ email: "ja@example.com", locale: "ja" })).status, 200);
    const visitor = await bed.server.store.findVisitor(1, token);
    const contactId = visitor?.contactId;
    assert.ok(contactId !== undefined && contactId !== null);
    assert.equal((await bed.server.store.getContact(contactId))?.locale, "ja");
    assert.equal((await post({ locale: "pt-BR" })).status, 200);
    assert.equal(
      (await bed.server.store.getContact(contactId))?.locale,
      "pt-BR",
      "the browser's language now",
    );
    assert.equal((await post({ locale: "not a tag!" })).status, 400);
    assert.equal((await post({ locale: "x".repeat(36) })).status, 400);
  });

  // Last: it spends this address's allowance for the minute.
  it("refuses an address past its allowance with 429 and Retry-After, on GET and POST", async () => {
    const { contact } = await bed.conversationWithContact("flood@example.com");
    const link = local(bed.server.email.sending().unsubscribeUrl(contact));
    let refused: Response | undefined;
    for (let i = 0; i < 25 && refused === undefined; i++) {
      const answer = await fetch(link);
      if (answer.status === 429) refused = answer;
      else assert.equal(answer.status, 200);
    }
    assert.ok(refused !== undefined, "refused within 25 requests (20 a minute per address)");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    const posted = await fetch(link, { method: "POST" });
    assert.equal(posted.status, 429);
    assert.equal((await bed.server.store.getContact(contact.id))?.emailUnsubscribedAt, null);
  });
});
