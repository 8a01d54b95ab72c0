/**
 * Verified identity (protocol §12) on a real server: a site's page identifies its user with an
 * HMAC of their id, a second browser of the same user adopts the first one's token and shares
 * its conversation live, and every bad hash is refused with nothing stored. On SQLite, and on
 * Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import type { Contact, ContactDetailResponse, Conversation } from "@parley/protocol";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

/** What the site's back end computes for its user (protocol §12). */
function hashOf(secret: string, id: string): string {
  return createHmac("sha256", secret).update(id).digest("hex");
}

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`verified identity (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    let owner: string;
    let siteId: number;
    const consumers: Consumer[] = [];

    const connect = (token: string) => {
      const consumer = createConsumer(server.url, { origin: WIDGET_ORIGIN });
      consumers.push(consumer);
      return new RecordingSubscription(consumer, { channel: "VisitorChannel", token });
    };
    const asOwner = async (path: string, init: { method?: string; json?: unknown } = {}) => {
      const response = await fetch(`${server.url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          cookie: owner,
          ...(init.json === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    /** A call from the site's page, as the widget makes it. */
    const widget = async (path: string, json: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { origin: WIDGET_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify(json),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const secret = async () => (await asOwner(`/sites/${siteId}/identity`)).body.secret as string;
    const contacts = () => server.store.listContacts({ limit: 1000 });
    const contactOf = async (id: number) =>
      (await asOwner(`/contacts/${id}`)).body as unknown as ContactDetailResponse;

    before(async () => {
      server = await startTestServer(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {});
      owner = await login(server.url);
      siteId = (await server.store.getDefaultSite()).id;
    });
    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await server.dispose();
      if (engine === "Postgres") await postgres?.drop();
    });

    it("gives owners the site's secret: 43 characters of base64url, the same until rotated", async () => {
      const first = await secret();
      assert.match(first, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(await secret(), first);
      const agent = await asOwner("/agents", {
        method: "POST",
        json: { username: "ida", password: "ida's long password", name: "Ida" },
      });
      assert.equal(agent.status, 201);
      const ida = await login(server.url, { username: "ida", password: "ida's long password" });
      const asAgent = await fetch(`${server.url}/sites/${siteId}/identity`, { headers: { cookie: ida } });
      assert.equal(asAgent.status, 403, "owners only");
    });

    it("valid identify from two tokens: the second gets the first's token and shares its conversation live", async () => {
      const laptop = visitorToken();
      const phone = visitorToken();
      const onLaptop = connect(laptop);
      await onLaptop.until(() => onLaptop.confirmed);
      onLaptop.perform("send_message", { content: "hello from the laptop" });
      await onLaptop.next((m) => m.type === "message");

      const key = await secret();
      const first = await widget("/widget/identify", {
        token: laptop,
        id: "user-42",
        hash: hashOf(key, "user-42"),
        name: "Grace Hopper",
        email: "grace@example.com",
      });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body, { token: laptop, verified: true });

      const second = await widget("/widget/identify", {
        token: phone,
        id: "user-42",
        hash: hashOf(key, "user-42"),
      });
      assert.equal(second.status, 200, JSON.stringify(second.body));
      assert.deepEqual(second.body, { token: laptop, verified: true });

      // The phone goes on with the laptop's token: the history, then live messages from either side.
      const onPhone = connect(second.body.token);
      const history = await onPhone.next((m) => m.type === "history");
      assert.deepEqual(
        (history.messages as { content: string }[]).map((m) => m.content),
        ["hello from the laptop"],
      );
      onLaptop.perform("send_message", { content: "still typing on the laptop" });
      const live = await onPhone.next((m) => m.type === "message");
      assert.equal((live.message as { content: string }).content, "still typing on the laptop");

      const verified = (await contacts()).filter((c) => c.externalId === "user-42");
      assert.equal(verified.length, 1, "one verified contact per id");
      assert.equal(verified[0]!.verified, true);
      const detail = await contactOf(verified[0]!.id);
      assert.equal(detail.contact.name, "Grace Hopper");
      assert.equal(detail.contact.email, "grace@example.com");
      assert.deepEqual(
        detail.conversations.map((c: Conversation) => c.contact_id),
        [verified[0]!.id],
        "the laptop's conversation is the contact's",
      );
    });

    it("a conversation the second token had is kept and linked to the contact", async () => {
      const first = visitorToken();
      const other = visitorToken();
      const key = await secret();
      await widget("/widget/identify", { token: first, id: "user-77", hash: hashOf(key, "user-77") });
      const onOther = connect(other);
      await onOther.until(() => onOther.confirmed);
      onOther.perform("send_message", { content: "written before logging in" });
      await onOther.next((m) => m.type === "message");
      const answer = await widget("/widget/identify", {
        token: other,
        id: "user-77",
        hash: hashOf(key, "user-77"),
      });
      // The contact's own token had no conversation: this one's is what the browsers share now.
      assert.deepEqual(answer.body, { token: other, verified: true });
      const [contact] = (await contacts()).filter((c) => c.externalId === "user-77");
      const detail = await contactOf(contact!.id);
      assert.equal(detail.conversations.length, 1);
      assert.equal(detail.conversations[0]!.session_token, other);
      assert.equal(detail.conversations[0]!.latest_message?.content, "written before logging in");
      const again = await widget("/widget/identify", {
        token: first,
        id: "user-77",
        hash: hashOf(key, "user-77"),
      });
      assert.deepEqual(again.body, { token: other, verified: true }, "the first browser adopts it too");
    });

    it("refuses a tampered hash, another id's, one made before a rotation, and none where identity is required; nothing is stored", async () => {
      const key = await secret();
      const good = hashOf(key, "user-500");
      const tampered = (good[0] === "a" ? "b" : "a") + good.slice(1);
      const before = await contacts();
      const token = visitorToken();
      const refusals: Array<[string, Record<string, unknown>]> = [
        ["tampered", { id: "user-500", hash: tampered }],
        ["another id's", { id: "user-500", hash: hashOf(key, "user-501") }],
        ["not hex", { id: "user-500", hash: "zz" + good.slice(2) }],
        ["upper half only", { id: "user-500", hash: good.slice(0, 32) }],
      ];
      for (const [what, claims] of refusals) {
        const answer = await widget("/widget/identify", { token, name: "Mallory", ...claims });
        assert.equal(answer.status, 403, what);
        assert.equal(answer.body.error, "Identity verification failed", what);
      }

      const rotated = await asOwner(`/sites/${siteId}/identity/rotate`, { method: "POST" });
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.secret, key);
      assert.equal(await secret(), rotated.body.secret);
      const stale = await widget("/widget/identify", { token, id: "user-500", hash: good });
      assert.equal(stale.status, 403, "a hash made with the old secret");
      assert.equal(stale.body.error, "Identity verification failed");

      assert.equal(
        (await asOwner(`/sites/${siteId}`, { method: "PATCH", json: { identity_required: true } })).status,
        200,
      );
      try {
        const unsigned = await widget("/widget/identify", { token, id: "user-500", name: "Mallory" });
        assert.equal(unsigned.status, 403);
        assert.equal(unsigned.body.error, "Identity verification required");
        const fresh = rotated.body.secret as string;
        const signed = await widget("/widget/identify", {
          token: visitorToken(),
          id: "user-500",
          hash: hashOf(fresh, "user-500"),
        });
        assert.equal(signed.status, 200, "a valid hash still passes");
      } finally {
        await asOwner(`/sites/${siteId}`, { method: "PATCH", json: { identity_required: false } });
      }
      const after = (await contacts()).filter((c) => c.externalId !== "user-500");
      assert.deepEqual(after, before, "no contact was made or changed by a refusal");
      assert.equal(await server.store.findVisitor(siteId, token), undefined, "nor a visitor row");
    });

    it("without a hash keeps the claims on the token's own unverified contact, never merged", async () => {
      const a = visitorToken();
      const b = visitorToken();
      const first = await widget("/widget/identify", { token: a, id: "claimed-7", email: "one@example.com" });
      const second = await widget("/widget/identify", {
        token: b,
        id: "claimed-7",
        email: "two@example.com",
      });
      assert.deepEqual(first.body, { token: a, verified: false });
      assert.deepEqual(second.body, { token: b, verified: false }, "each keeps its own token");
      const claimed = (await contacts()).filter((c) => c.externalId === "claimed-7");
      assert.equal(claimed.length, 2, "two unverified contacts, not one");
      assert.ok(claimed.every((c) => !c.verified));
      assert.deepEqual(claimed.map((c) => c.email).sort(), ["one@example.com", "two@example.com"]);
      // A later claim from the same token changes its own contact, not another.
      await widget("/widget/identify", { token: a, id: "claimed-7", name: "Ann Claim" });
      const again = (await contacts()).filter((c) => c.externalId === "claimed-7");
      assert.equal(again.length, 2);
      assert.deepEqual(again.map((c) => [c.email, c.name]).sort(), [
        ["one@example.com", "Ann Claim"],
        ["two@example.com", null],
      ]);
    });

    it("keeps typed attributes and refuses bad ones with a 400 naming the key", async () => {
      const token = visitorToken();
      const key = await secret();
      const ok = await widget("/widget/identify", {
        token,
        id: "user-attr",
        hash: hashOf(key, "user-attr"),
        attributes: { plan: "pro", seats: 5, beta: true, renews: { date: "2026-01-31" } },
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const [contact] = (await contacts()).filter((c) => c.externalId === "user-attr");
      assert.deepEqual((await contactOf(contact!.id)).contact.attributes, {
        plan: "pro",
        seats: 5,
        beta: true,
        renews: { date: "2026-01-31" },
      });

      const bad: Array<[unknown, RegExp]> = [
        [{ plan: { tier: "pro" } }, /"plan"/],
        [{ renews: { date: "next tuesday" } }, /"renews"/],
        [{ tags: ["a", "b"] }, /"tags"/],
        [{ "bad-key": 1 }, /"bad-key"/],
        [{ notes: "x".repeat(501) }, /"notes".*500/],
        [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])), /50/],
      ];
      for (const [attributes, problem] of bad) {
        const before = await contacts();
        const answer = await widget("/widget/identify", {
          token,
          id: "user-attr",
          hash: hashOf(key, "user-attr"),
          attributes,
        });
        assert.equal(answer.status, 400, JSON.stringify(attributes).slice(0, 80));
        assert.match(answer.body.error as string, problem);
        assert.deepEqual(await contacts(), before, "nothing stored");
      }

      // An agent's PATCH merges: null removes, the rest stays.
      const patched = await asOwner(`/contacts/${contact!.id}`, {
        method: "PATCH",
        json: { attributes: { seats: null, plan: "team" } },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual((patched.body.contact as Contact).attributes, {
        plan: "team",
        beta: true,
        renews: { date: "2026-01-31" },
      });
      const badPatch = await asOwner(`/contacts/${contact!.id}`, {
        method: "PATCH",
        json: { email: "not an email" },
      });
      assert.equal(badPatch.status, 400);
    });

    it("contact details make an unverified contact, name the conversation, and agents hear it", async () => {
      const token = visitorToken();
      const onWidget = connect(token);
      await onWidget.until(() => onWidget.confirmed);
      onWidget.perform("send_message", { content: "I have a question" });
      await onWidget.next((m) => m.type === "message");
      const agentConsumer = createConsumer(server.url, { cookie: owner });
      consumers.push(agentConsumer);
      const inbox = new RecordingSubscription(agentConsumer, { channel: "AdminChannel" });
      await inbox.next((m) => m.type === "conversations");

      const answer = await widget("/widget/contact", {
        token,
        name: "  Lin  Mei ",
        email: "lin@example.com",
      });
      assert.deepEqual(answer, { status: 200, body: { ok: true } });
      const updated = await inbox.next(
        (m) =>
          m.type === "conversation_updated" &&
          (m.conversation as Conversation).session_token === token &&
          (m.conversation as Conversation).contact_id !== null,
      );
      const conversation = updated.conversation as Conversation;
      assert.equal(conversation.visitor_name, "Lin Mei");
      const detail = await contactOf(conversation.contact_id!);
      assert.equal(detail.contact.verified, false);
      assert.equal(detail.contact.email, "lin@example.com");

      // Details fill blanks only.
      await widget("/widget/contact", { token, email: "other@example.com" });
      assert.equal((await contactOf(conversation.contact_id!)).contact.email, "lin@example.com");
      const invalid = await widget("/widget/contact", { token, email: "lin at example" });
      assert.equal(invalid.status, 400);
    });

    it("takes identity_required, keep_query_strings and the pre-chat form on sites; the widget's config carries the form", async () => {
      const created = await asOwner("/sites", {
        method: "POST",
        json: {
          name: "Members",
          identity_required: true,
          keep_query_strings: true,
          widget: { prechat: { name: "required", email: "optional" } },
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const site = created.body.site as Record<string, unknown> & { id: number; key: string };
      assert.equal(site.identity_required, true);
      assert.equal(site.keep_query_strings, true);
      assert.deepEqual((site.widget as Record<string, unknown>).prechat, {
        name: "required",
        email: "optional",
      });
      assert.ok(
        !JSON.stringify(site).includes((await asOwner(`/sites/${site.id}/identity`)).body.secret as string),
      );

      const patched = await asOwner(`/sites/${site.id}`, {
        method: "PATCH",
        json: { keep_query_strings: false, widget: { prechat: { name: "off", email: "required" } } },
      });
      assert.equal(patched.status, 200);
      const after = patched.body.site as Record<string, unknown>;
      assert.equal(after.keep_query_strings, false);
      assert.equal(after.identity_required, true, "what is absent stays");
      const config = await fetch(`${server.url}/widget/config?site=${site.key}`);
      assert.deepEqual(((await config.json()) as Record<string, unknown>).prechat, {
        name: "off",
        email: "required",
      });

      for (const widgetPatch of [
        { prechat: { name: "maybe", email: "off" } },
        { prechat: { name: "off" } },
      ]) {
        const refused = await asOwner(`/sites/${site.id}`, {
          method: "PATCH",
          json: { widget: widgetPatch },
        });
        assert.equal(refused.status, 400, JSON.stringify(widgetPatch));
      }
      assert.equal(
        (await asOwner(`/sites/${site.id}`, { method: "PATCH", json: { identity_required: "yes" } })).status,
        400,
      );
    });

    it("a conversation started after identify or the pre-chat form is the contact's from its first message", async () => {
      const token = visitorToken();
      const form = await widget("/widget/contact", {
        token,
        name: "Prechat Person",
        email: "pre@example.com",
      });
      assert.equal(form.status, 200);
      const onWidget = connect(token);
      await onWidget.until(() => onWidget.confirmed);
      onWidget.perform("send_message", { content: "my first words" });
      await onWidget.next((m) => m.type === "message");
      const conversation = await server.store.findConversationByToken(token);
      const contactId = (await server.store.findVisitor(siteId, token))!.contactId;
      assert.ok(contactId !== null);
      assert.equal(conversation!.contactId, contactId);
      assert.equal(conversation!.visitorName, "Prechat Person", "the form's name names the conversation");
      const listed = await asOwner(`/conversations/${conversation!.id}`);
      assert.equal((listed.body.conversation as Conversation).contact_id, contactId);
    });

    it("a browser already another verified user's gets a new token for the next user: conversations never mix", async () => {
      const shared = visitorToken();
      const key = await secret();
      const asA = await widget("/widget/identify", {
        token: shared,
        id: "switch-a",
        hash: hashOf(key, "switch-a"),
      });
      assert.deepEqual(asA.body, { token: shared, verified: true });
      const onShared = connect(shared);
      await onShared.until(() => onShared.confirmed);
      onShared.perform("send_message", { content: "A's private question" });
      await onShared.next((m) => m.type === "message");

      const asB = await widget("/widget/identify", {
        token: shared,
        id: "switch-b",
        hash: hashOf(key, "switch-b"),
      });
      assert.equal(asB.status, 200);
      const tokenOfB = asB.body.token as string;
      assert.notEqual(tokenOfB, shared, "B goes on with a token of their own");
      const onB = connect(tokenOfB);
      await onB.next((m) => m.type === "availability");
      assert.deepEqual(onB.ofType("history"), [], "B sees nothing of A's conversation");
      const elsewhere = await widget("/widget/identify", {
        token: visitorToken(),
        id: "switch-b",
        hash: hashOf(key, "switch-b"),
      });
      assert.equal(elsewhere.body.token, tokenOfB, "B's other browsers adopt B's token, not A's");
      const a = (await contacts()).find((c) => c.externalId === "switch-a")!;
      assert.deepEqual(
        (await contactOf(a.id)).conversations.map((c) => c.session_token),
        [shared],
        "A's conversation stays A's",
      );
    });

    it("a site without a secret (made by the previous release during a deploy) verifies nothing until it gets one", async () => {
      await server.store.updateSite(siteId, { identitySecret: "", at: new Date().toISOString() });
      const withEmptyKey = await widget("/widget/identify", {
        token: visitorToken(),
        id: "user-empty",
        hash: hashOf("", "user-empty"),
      });
      assert.equal(withEmptyKey.status, 403);
      const fresh = await secret();
      assert.match(fresh, /^[A-Za-z0-9_-]{43}$/, "an owner's read makes one");
      const signed = await widget("/widget/identify", {
        token: visitorToken(),
        id: "user-empty",
        hash: hashOf(fresh, "user-empty"),
      });
      assert.equal(signed.status, 200);
    });

    it("answers the widget's routes only from the site's origins", async () => {
      const response = await fetch(`${server.url}/widget/identify`, {
        method: "POST",
        headers: { origin: "http://evil.example", "content-type": "application/json" },
        body: JSON.stringify({ token: visitorToken(), id: "x" }),
      });
      assert.equal(response.status, 403);
      const unknownSite = await widget("/widget/contact", {
        token: visitorToken(),
        site: "no-such-site-key-000000",
        name: "A",
      });
      assert.equal(unknownSite.status, 404);
    });

    // Last: it uses up this address's allowance.
    it("limits identify and contact details per token, then per address, with 429 and Retry-After", async () => {
      const token = visitorToken();
      let last = { status: 0, body: {} as Record<string, unknown> };
      for (let n = 0; n < 31 && last.status !== 429; n++) last = await widget("/widget/contact", { token });
      assert.equal(last.status, 429, "past 30 calls of one token");
      assert.match(String(last.body.error), /Too many requests/);
      const again = await fetch(`${server.url}/widget/identify`, {
        method: "POST",
        headers: { origin: WIDGET_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ token, name: "Flood" }),
      });
      assert.equal(again.status, 429, "identify counts with contact details");
      assert.ok(Number(again.headers.get("retry-after")) >= 1);
      // Fresh tokens from one address: the address's allowance runs out too.
      let fromAddress = 0;
      for (let n = 0; n < 700 && fromAddress !== 429; n++)
        fromAddress = (await widget("/widget/contact", { token: visitorToken() })).status;
      assert.equal(fromAddress, 429);
    });
  });
