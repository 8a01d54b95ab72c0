/**
 * Contacts over REST (protocol §12) on a real server: listing and search per site, agents scoped
 * to their sites, API tokens (read, read_write), and merging: every conversation and message is
 * kept, two verified users are never merged. On SQLite, and on Postgres when TEST_DATABASE_URL
 * is set.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import type { Contact, ContactDetailResponse, ContactsResponse } from "@parley/protocol";
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
const DOCS_ORIGIN = "http://docs.example";

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`contacts over REST (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    const consumers: Consumer[] = [];
    const cookies = { owner: "", ann: "", bob: "" };
    let shopId: number;
    let docsKey: string;

    const call = async (
      path: string,
      init: { method?: string; as?: keyof typeof cookies; token?: string; json?: unknown } = {},
    ) => {
      const headers = new Headers();
      if (init.as !== undefined) headers.set("cookie", cookies[init.as]);
      if (init.token !== undefined) headers.set("authorization", `Bearer ${init.token}`);
      if (init.json !== undefined) headers.set("content-type", "application/json");
      const response = await fetch(`${server.url}${path}`, {
        method: init.method ?? "GET",
        headers,
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const widget = (path: string, json: Record<string, unknown>, origin = WIDGET_ORIGIN) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: JSON.stringify(json),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
      }));
    /** A visitor of the shop who writes `messages` and leaves `details`; their contact's id. */
    const visitorWith = async (
      messages: string[],
      details: Record<string, unknown>,
      site?: { key: string; origin: string },
    ) => {
      const token = visitorToken();
      const consumer = createConsumer(server.url, { origin: site?.origin ?? WIDGET_ORIGIN });
      consumers.push(consumer);
      const subscription = new RecordingSubscription(consumer, {
        channel: "VisitorChannel",
        token,
        ...(site === undefined ? {} : { site: site.key }),
      });
      await subscription.until(() => subscription.confirmed);
      for (const content of messages) {
        subscription.perform("send_message", { content });
        await subscription.next(
          (m) => m.type === "message" && (m.message as { content: string }).content === content,
        );
      }
      const answer = await widget(
        "/widget/contact",
        { token, ...details, ...(site ? { site: site.key } : {}) },
        site?.origin,
      );
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const conversation = await server.store.findConversationByToken(token);
      return { token, contactId: conversation!.contactId!, conversationId: conversation!.id };
    };
    const detail = async (id: number, as: keyof typeof cookies = "owner") => {
      const { status, body } = await call(`/contacts/${id}`, { as });
      return { status, body: body as unknown as ContactDetailResponse };
    };
    const messageCount = async (conversationId: number) =>
      ((await call(`/conversations/${conversationId}/messages`, { as: "owner" })).body.messages as unknown[])
        .length;

    before(async () => {
      server = await startTestServer(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {});
      const annId = (await server.chat.team.add({ username: "ann", password: "ann-password", name: "Ann" }))
        .id;
      const bobId = (await server.chat.team.add({ username: "bob", password: "bob-password", name: "Bob" }))
        .id;
      const shop = await server.store.getDefaultSite();
      shopId = shop.id;
      const at = new Date().toISOString();
      await server.store.updateSite(shop.id, { agentIds: [annId], at });
      docsKey = (
        await server.store.createSite({
          key: "docs-site-key-000000002",
          name: "Docs",
          allowedOrigins: [DOCS_ORIGIN],
          widget: shop.widget,
          businessHours: null,
          agentIds: [bobId],
          at,
        })
      ).key;
      await server.chat.sites.load();
      cookies.owner = await login(server.url);
      cookies.ann = await login(server.url, { username: "ann", password: "ann-password" });
      cookies.bob = await login(server.url, { username: "bob", password: "bob-password" });
    });
    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await server.dispose();
      if (engine === "Postgres") await postgres?.drop();
    });

    it("lists a site's contacts newest first, pages with next_cursor, and searches name and email", async () => {
      const made: number[] = [];
      for (const n of [1, 2, 3])
        made.push(
          (await visitorWith([`hi ${n}`], { name: `Pager ${n}`, email: `pager${n}@list.example` })).contactId,
        );
      const first = (await call(`/contacts?site_id=${shopId}&q=list.example&limit=2`, { as: "owner" }))
        .body as unknown as ContactsResponse;
      assert.deepEqual(
        first.contacts.map((c: Contact) => c.id),
        [made[2], made[1]],
      );
      assert.equal(first.next_cursor, made[1]);
      const second = (
        await call(`/contacts?q=list.example&limit=2&before=${first.next_cursor}`, { as: "owner" })
      ).body as unknown as ContactsResponse;
      assert.deepEqual(
        second.contacts.map((c: Contact) => c.id),
        [made[0]],
      );
      assert.equal(second.next_cursor, null);
      const byName = (await call("/contacts?q=PAGER%202", { as: "owner" }))
        .body as unknown as ContactsResponse;
      assert.deepEqual(
        byName.contacts.map((c: Contact) => c.id),
        [made[1]],
      );
      assert.equal((await call("/contacts?limit=0", { as: "owner" })).status, 400);
      assert.equal((await call("/contacts?limit=101", { as: "owner" })).status, 400);
    });

    it("scopes contacts to the sites an agent answers: another site's is a 404", async () => {
      const shopper = await visitorWith(["shop question"], {
        name: "Shop Person",
        email: "shopper@scope.example",
      });
      const reader = await visitorWith(
        ["docs question"],
        { name: "Docs Person", email: "reader@scope.example" },
        { key: docsKey, origin: DOCS_ORIGIN },
      );
      const listed = async (as: keyof typeof cookies) =>
        ((await call("/contacts?q=scope.example", { as })).body as unknown as ContactsResponse).contacts
          .map((c: Contact) => c.id)
          .sort();
      assert.deepEqual(await listed("ann"), [shopper.contactId]);
      assert.deepEqual(await listed("bob"), [reader.contactId]);
      assert.deepEqual(await listed("owner"), [shopper.contactId, reader.contactId].sort());
      assert.equal((await detail(reader.contactId, "ann")).status, 404);
      assert.equal(
        (await call(`/contacts/${reader.contactId}`, { method: "PATCH", as: "ann", json: { name: "x" } }))
          .status,
        404,
      );
      assert.equal(
        (await call(`/conversations/${reader.conversationId}/context`, { as: "ann" })).status,
        404,
      );
      const mine = await detail(shopper.contactId, "ann");
      assert.equal(mine.status, 200);
      assert.deepEqual(
        mine.body.conversations.map((c) => c.id),
        [shopper.conversationId],
      );
      assert.equal(mine.body.conversations[0]!.contact_id, shopper.contactId);
    });

    it("takes API tokens: any scope reads, read_write writes", async () => {
      const { contactId } = await visitorWith(["token question"], { email: "token@api.example" });
      const mint = async (scope: string) =>
        (
          await call("/api_tokens", {
            method: "POST",
            as: "owner",
            json: { name: `contacts ${scope}`, scope },
          })
        ).body.token as string;
      const reader = await mint("read");
      const writer = await mint("read_write");
      assert.equal((await call("/contacts?q=api.example", { token: reader })).status, 200);
      assert.equal((await call(`/contacts/${contactId}`, { token: reader })).status, 200);
      const refused = await call(`/contacts/${contactId}`, {
        method: "PATCH",
        token: reader,
        json: { name: "Tok" },
      });
      assert.equal(refused.status, 403);
      const changed = await call(`/contacts/${contactId}`, {
        method: "PATCH",
        token: writer,
        json: { name: "Tok" },
      });
      assert.equal(changed.status, 200);
      assert.equal((changed.body.contact as Contact).name, "Tok");
      assert.equal(
        (await call(`/sites/${shopId}/identity`, { token: writer })).status,
        403,
        "the secret is for owners' cookies only",
      );
    });

    it("merges: every conversation and message is kept, blanks filled, the other contact gone", async () => {
      const into = await visitorWith(["first a", "first b"], { name: "Merge Target" });
      const from = await visitorWith(["second a", "second b", "second c"], { email: "merge@example.com" });
      const counts = {
        [into.conversationId]: await messageCount(into.conversationId),
        [from.conversationId]: await messageCount(from.conversationId),
      };
      const totalBefore = (await server.store.listMessagesSince(0, 10_000)).length;
      const merged = await call(`/contacts/${into.contactId}/merge`, {
        method: "POST",
        as: "ann",
        json: { contact_id: from.contactId },
      });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      const contact = merged.body.contact as Contact;
      assert.equal(contact.id, into.contactId);
      assert.equal(contact.name, "Merge Target");
      assert.equal(contact.email, "merge@example.com", "a blank filled from the other");
      const after = await detail(into.contactId);
      assert.deepEqual(
        after.body.conversations.map((c) => c.id).sort(),
        [into.conversationId, from.conversationId].sort(),
      );
      assert.ok(after.body.conversations.every((c) => c.contact_id === into.contactId));
      for (const [id, count] of Object.entries(counts)) assert.equal(await messageCount(Number(id)), count);
      assert.equal(
        (await server.store.listMessagesSince(0, 10_000)).length,
        totalBefore,
        "no message touched",
      );
      assert.equal((await detail(from.contactId)).status, 404);
      // The merged conversation's context names the contact and the other conversation.
      const context = await call(`/conversations/${from.conversationId}/context`, { as: "owner" });
      assert.equal((context.body.contact as Contact).id, into.contactId);
      assert.deepEqual(
        (context.body.past_conversations as { id: number }[]).map((c) => c.id),
        [into.conversationId],
      );
    });

    it("refuses to merge two contacts verified with different ids (409), and a contact with itself", async () => {
      const { secret } = (await call(`/sites/${shopId}/identity`, { as: "owner" })).body as {
        secret: string;
      };
      const identify = async (id: string) => {
        const token = visitorToken();
        const hash = createHmac("sha256", secret).update(id).digest("hex");
        const answer = await widget("/widget/identify", { token, id, hash });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return (await server.store.findVisitor(shopId, token))!.contactId!;
      };
      const alice = await identify("alice-1");
      const bob = await identify("bob-2");
      const refused = await call(`/contacts/${alice}/merge`, {
        method: "POST",
        as: "owner",
        json: { contact_id: bob },
      });
      assert.equal(refused.status, 409);
      assert.equal((await detail(bob)).status, 200, "both still there");
      assert.equal(
        (await call(`/contacts/${alice}/merge`, { method: "POST", as: "owner", json: { contact_id: alice } }))
          .status,
        400,
      );
      // A verified contact takes in an unverified one, and keeps its id.
      const claimed = await visitorWith(["hello"], { email: "alice@example.com" });
      const merged = await call(`/contacts/${claimed.contactId}/merge`, {
        method: "POST",
        as: "owner",
        json: { contact_id: alice },
      });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal((merged.body.contact as Contact).external_id, "alice-1");
      assert.equal((merged.body.contact as Contact).verified, true);
    });
  });
