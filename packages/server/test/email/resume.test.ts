/**
 * `POST /widget/resume` (protocol §16): a reply email's link, taken from the email itself, gives
 * the conversation's token on its site's pages; one changed character, an expired link, another
 * site's widget and a deleted conversation are refused.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SignedTokens } from "../../src/email/signedTokens.js";
import { VISITOR_REPLIES_JOB } from "../../src/email/visitorReplies.js";
import { EmailWorld, eventually, resumeLinkIn, Visitor } from "./visitorWorld.js";

const SECRET = "resume tests' secret key base, long enough to sign";
const OTHER_ORIGIN = "http://other-shop.example";

describe("reopen links", () => {
  let world: EmailWorld;
  let conversationId: number;
  let token: string;
  let link: string;

  before(async () => {
    world = await EmailWorld.start({ env: { SECRET_KEY_BASE: SECRET } });
    const visitor = await Visitor.connect(world.server.url);
    await visitor.say("Where is my order?");
    token = visitor.token;
    conversationId = await world.conversationOf(token);
    assert.equal(
      (await world.widget("/widget/contact", { token, email: "kim@visitor.example" })).status,
      200,
    );
    visitor.close();
    await world.offline(conversationId);
    await world.reply(conversationId, "It left this morning.");
    await eventually(async () => (await world.jobsOf(VISITOR_REPLIES_JOB)) > 0, "the reply email's job");
    await world.bringForward(VISITOR_REPLIES_JOB);
    const mail = await world.mailTo("kim@visitor.example");
    link = resumeLinkIn(mail).link;
    // No page was seen: the button leads to the site's first origin.
    assert.ok(resumeLinkIn(mail).url.startsWith("http://allowed.example/#parley="), resumeLinkIn(mail).url);
  });
  after(() => world.dispose());

  it("gives the conversation's token for the link in the email", async () => {
    const answer = await world.widget("/widget/resume", { link });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { token, conversation_id: conversationId });
  });

  it("refuses a link with one character changed", async () => {
    for (const index of [0, Math.floor(link.length / 2), link.length - 1]) {
      const forged = link.slice(0, index) + (link[index] === "x" ? "y" : "x") + link.slice(index + 1);
      const answer = await world.widget("/widget/resume", { link: forged });
      assert.equal(answer.status, 403, `changed at ${index}`);
      assert.equal(answer.body.error, "Link is invalid or expired");
    }
  });

  it("refuses an expired link", async () => {
    const expired = new SignedTokens(SECRET).sign(
      "resume",
      { c: conversationId },
      new Date(Date.now() - 60_000),
    );
    const answer = await world.widget("/widget/resume", { link: expired });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error, "Link is invalid or expired");
    // The same link signed to expire later works: only the expiry made the difference.
    const fresh = new SignedTokens(SECRET).sign(
      "resume",
      { c: conversationId },
      new Date(Date.now() + 60_000),
    );
    assert.equal((await world.widget("/widget/resume", { link: fresh })).status, 200);
  });

  it("refuses the link on another site's widget, and from a page of no site", async () => {
    const created = await world.call("POST", "/sites", {
      name: "Other shop",
      allowed_origins: [OTHER_ORIGIN],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const key = (created.body.site as { key: string }).key;
    const response = await fetch(`${world.server.url}/widget/resume`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: OTHER_ORIGIN },
      body: JSON.stringify({ link, site: key }),
    });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: string }).error, "Link is invalid or expired");
    const stranger = await fetch(`${world.server.url}/widget/resume`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: JSON.stringify({ link }),
    });
    assert.equal(stranger.status, 403);
  });

  it("answers 400 for a body without a link, and 404 once the conversation is deleted", async () => {
    assert.equal((await world.widget("/widget/resume", {})).status, 400);
    assert.equal((await world.widget("/widget/resume", { link: "x".repeat(5000) })).status, 400);
    const deleted = await world.call("DELETE", `/conversations/${conversationId}`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    const answer = await world.widget("/widget/resume", { link });
    assert.equal(answer.status, 404);
  });
});
