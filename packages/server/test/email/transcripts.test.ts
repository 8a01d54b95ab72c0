/**
 * Transcripts (protocol §16): the visitor asks for one from the widget, an agent or a read_write
 * token sends one; it carries every message with its files' names and times in UTC, never a
 * note, in the contact's language. Limits, a missing address and email being off are refused.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer } from "../support/testServer.js";
import { EmailWorld, recipients, Visitor, visitorToken, WIDGET_ORIGIN } from "./visitorWorld.js";

describe("transcripts", () => {
  let world: EmailWorld;
  let conversationId: number;
  let token: string;
  let apiToken: string;

  before(async () => {
    world = await EmailWorld.start();
    const visitor = await Visitor.connect(world.server.url);
    await visitor.say("Can I return the blue shoes?");
    token = visitor.token;
    visitor.close();
    conversationId = await world.conversationOf(token);
    const created = await world.call("POST", "/api_tokens", { name: "helpdesk", scope: "read_write" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    apiToken = created.body.token as string;
    const form = new FormData();
    form.append("file", new Blob(["return label"], { type: "text/plain" }), "return-label.txt");
    const uploaded = await fetch(`${world.server.url}/uploads`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${apiToken}` },
    });
    assert.equal(uploaded.status, 201, await uploaded.clone().text());
    const attachment = (await uploaded.json()) as { id: number };
    const sent = await world.call(
      "POST",
      `/conversations/${conversationId}/messages`,
      { content: "Yes, here is the label.", attachment_ids: [attachment.id] },
      { token: apiToken },
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const note = await world.call("POST", `/conversations/${conversationId}/notes`, {
      content: "NOTE: second return this month",
    });
    assert.equal(note.status, 201);
  });
  after(() => world.dispose());

  it("the visitor's: to the address given, saved on the contact; every message, file names, UTC times, no note", async () => {
    const answer = await world.widget("/widget/transcript", { token, email: "lea@visitor.example" });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { ok: true });
    const mail = await world.mailTo("lea@visitor.example");
    assert.deepEqual(recipients(mail), ["lea@visitor.example"]);
    assert.match(mail.subject ?? "", /Your conversation with Default site/);
    const text = mail.text ?? "";
    assert.match(text, /Can I return the blue shoes\?/);
    assert.match(text, /Yes, here is the label\./);
    assert.match(text, /return-label\.txt/);
    const year = String(new Date().getUTCFullYear());
    assert.match(text, new RegExp(`${year}.*UTC\\):`), "a time in UTC with the date");
    assert.match(text, /owner|Owner/i, "the agent's name");
    assert.match(mail.html || "", /return-label\.txt/);
    for (const part of [text, mail.html || ""]) assert.doesNotMatch(part, /second return this month/);
    const conversation = (await world.server.store.getConversation(conversationId))!;
    const contact = await world.server.store.getContact(conversation.contactId!);
    assert.equal(contact?.email, "lea@visitor.example");
  });

  it("an agent's and a read_write token's: to the contact's address or the one given; in the contact's language", async () => {
    const conversation = (await world.server.store.getConversation(conversationId))!;
    await world.server.store.updateContact(conversation.contactId!, {
      locale: "fr",
      at: new Date().toISOString(),
    });
    const seen = world.mailsTo("lea@visitor.example");
    const byAgent = await world.call("POST", `/conversations/${conversationId}/transcript`, {});
    assert.equal(byAgent.status, 202, JSON.stringify(byAgent.body));
    const french = await world.mailTo("lea@visitor.example", seen);
    assert.match(french.subject ?? "", /Votre conversation avec Default site/);
    assert.match(french.text ?? "", /Yes, here is the label\./);

    const byToken = await world.call(
      "POST",
      `/conversations/${conversationId}/transcript`,
      { email: "records@shop.example" },
      { token: apiToken },
    );
    assert.equal(byToken.status, 202, JSON.stringify(byToken.body));
    const copy = await world.mailTo("records@shop.example");
    assert.doesNotMatch(copy.text ?? "", /second return this month/);

    const readOnly = await world.call("POST", "/api_tokens", { name: "reader", scope: "read" });
    const refused = await world.call(
      "POST",
      `/conversations/${conversationId}/transcript`,
      {},
      { token: readOnly.body.token as string },
    );
    assert.equal(refused.status, 403);
    assert.equal((await world.call("POST", "/conversations/999999/transcript", {})).status, 404);
  });

  it("answers 422 when there is no address, and 429 past 3 an hour per token", async () => {
    const visitor = await Visitor.connect(world.server.url);
    await visitor.say("Just browsing.");
    visitor.close();
    const id = await world.conversationOf(visitor.token);
    const noAddress = await world.widget("/widget/transcript", { token: visitor.token });
    assert.equal(noAddress.status, 422);
    assert.equal(noAddress.body.error, "No email address");
    assert.equal(noAddress.body.code, "unprocessable");
    assert.equal((await world.call("POST", `/conversations/${id}/transcript`, {})).status, 422);

    // noAddress used one of the three.
    for (let index = 0; index < 2; index++) {
      const ok = await world.widget("/widget/transcript", {
        token: visitor.token,
        email: "max@visitor.example",
      });
      assert.equal(ok.status, 202, JSON.stringify(ok.body));
    }
    const tooMany = await world.widget("/widget/transcript", {
      token: visitor.token,
      email: "max@visitor.example",
    });
    assert.equal(tooMany.status, 429);
    assert.ok(Number(tooMany.headers.get("retry-after")) > 0);
    // Another token has its own three.
    const other = await world.widget("/widget/transcript", {
      token: visitorToken(),
      email: "max@visitor.example",
    });
    assert.equal(other.status, 404, "a token with no conversation has nothing to send");
  });

  it("refuses a page of no site", async () => {
    const response = await fetch(`${world.server.url}/widget/transcript`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: JSON.stringify({ token, email: "x@visitor.example" }),
    });
    assert.equal(response.status, 403);
  });
});

describe("transcripts without email", () => {
  it("answer 409 Email is not configured", async () => {
    const server = await startTestServer();
    try {
      const response = await fetch(`${server.url}/widget/transcript`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: WIDGET_ORIGIN },
        body: JSON.stringify({ token: visitorToken() }),
      });
      assert.equal(response.status, 409);
      assert.equal(((await response.json()) as { error: string }).error, "Email is not configured");
    } finally {
      await server.dispose();
    }
  });
});
