/**
 * Team per site (protocol §10) on a real server: an agent of site A sees nothing of site B over
 * REST (list, search, get, messages, delete) and the AdminChannel (list, events, actions), the
 * owner sees both, and a change of a site's team moves what an agent sees without a reconnect.
 * On SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription, type Received } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

type Conv = { id: number; site_id?: number };

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`team per site (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    const consumers: Consumer[] = [];
    let siteA: number;
    let siteB: number;
    let conversationA: number;
    let conversationB: number;
    const cookies: Record<"owner" | "ann" | "bob", string> = { owner: "", ann: "", bob: "" };
    let owner: RecordingSubscription;
    let ann: RecordingSubscription;
    let bob: RecordingSubscription;
    let visitorA: RecordingSubscription;
    let annId: number;
    let bobId: number;

    const connect = (options: Parameters<typeof createConsumer>[1]) => {
      const consumer = createConsumer(server.url, options);
      consumers.push(consumer);
      return consumer;
    };
    const admin = async (cookie: string) => {
      const subscription = new RecordingSubscription(connect({ cookie }), { channel: "AdminChannel" });
      await subscription.next((m) => m.type === "conversations");
      return subscription;
    };
    const rest = (who: keyof typeof cookies, path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, headers: { cookie: cookies[who], ...init.headers } });
    const listed = async (who: keyof typeof cookies, query = "") => {
      const response = await rest(who, `/conversations${query}`);
      assert.equal(response.status, 200, await response.clone().text());
      return ((await response.json()) as { conversations: Conv[] }).conversations.map((c) => c.id).sort();
    };
    const ids = (m: Received) => (m.conversations as Conv[]).map((c) => c.id).sort();
    /** Each action's answer comes back by its client_id when it is an error. */
    let sent = 0;
    const act = async (who: RecordingSubscription, action: string, data: Record<string, unknown>) => {
      const clientId = `act-${++sent}`;
      who.perform(action, { ...data, client_id: clientId });
      return clientId;
    };
    const refused = async (who: RecordingSubscription, action: string, data: Record<string, unknown>) => {
      const clientId = await act(who, action, data);
      const error = await who.next((m) => m.type === "error" && m.client_id === clientId);
      assert.equal(error.error, "Conversation not found", `${action} on another site's conversation`);
    };

    before(async () => {
      server = await startTestServer(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {});
      const { store } = server;
      annId = (await server.chat.team.add({ username: "ann", password: "ann-password", name: "Ann" })).id;
      bobId = (await server.chat.team.add({ username: "bob", password: "bob-password", name: "Bob" })).id;
      const now = new Date().toISOString();
      const defaultSite = await store.getDefaultSite();
      siteA = defaultSite.id;
      await store.updateSite(siteA, { agentIds: [annId], at: now });
      siteB = (
        await store.createSite({
          key: "site-b-key-0001",
          name: "Docs",
          allowedOrigins: ["http://docs.example"],
          widget: defaultSite.widget,
          businessHours: null,
          agentIds: [bobId],
          at: now,
        })
      ).id;
      // B's conversation is made in the store: what matters here is who sees it, not how it came.
      const { conversation } = await store.createConversation({
        token: visitorToken(),
        visitorName: "Berta",
        createdIp: null,
        siteId: siteB,
        at: now,
      });
      conversationB = conversation.id;
      await store.appendMessage({
        conversationId: conversationB,
        sender: "visitor",
        content: "where is the zebra manual",
        clientId: null,
        agentId: null,
        agentName: null,
        at: now,
      });

      cookies.owner = await login(server.url);
      cookies.ann = await login(server.url, { username: "ann", password: "ann-password" });
      cookies.bob = await login(server.url, { username: "bob", password: "bob-password" });
      owner = await admin(cookies.owner);
      ann = await admin(cookies.ann);
      bob = await admin(cookies.bob);

      // A's visitor writes through the widget's channel (no site: the default site).
      visitorA = new RecordingSubscription(connect({ token: visitorToken() }), { channel: "VisitorChannel" });
      await visitorA.until(() => visitorA.confirmed);
      visitorA.perform("send_message", { content: "hello from the zebra shop", visitor_name: "Alma" });
      conversationA = (await ann.next((m) => m.type === "new_message")).conversation_id as number;
      await owner.next((m) => m.type === "new_message" && m.conversation_id === conversationA);
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await server.dispose();
      if (engine === "Postgres") await postgres?.drop();
    });

    it("lists over REST only the sites an agent answers; the owner sees both", async () => {
      assert.deepEqual(await listed("ann"), [conversationA]);
      assert.deepEqual(await listed("bob"), [conversationB]);
      assert.deepEqual(await listed("owner"), [conversationA, conversationB].sort());
      assert.deepEqual(await listed("owner", `?site_id=${siteB}`), [conversationB]);
      assert.deepEqual(
        await listed("ann", `?site_id=${siteB}`),
        [],
        "narrowing to a site not answered: nothing",
      );
      assert.deepEqual(await listed("ann", `?site_id=${siteA}`), [conversationA]);
      assert.equal((await rest("ann", "/conversations?site_id=abc")).status, 400);
    });

    it("searches only the agent's sites", async () => {
      assert.deepEqual(await listed("ann", "?q=zebra"), [conversationA]);
      assert.deepEqual(await listed("bob", "?q=zebra"), [conversationB]);
      assert.deepEqual(await listed("ann", "?q=manual"), []);
      assert.deepEqual(await listed("owner", "?q=zebra"), [conversationA, conversationB].sort());
    });

    it("answers 404 for another site's conversation, its messages and its deletion", async () => {
      for (const path of [`/conversations/${conversationB}`, `/conversations/${conversationB}/messages`]) {
        const response = await rest("ann", path);
        assert.equal(response.status, 404, path);
        assert.deepEqual(await response.json(), { error: "Conversation not found", code: "not_found" });
      }
      assert.equal((await rest("ann", `/conversations/${conversationB}`, { method: "DELETE" })).status, 404);
      assert.equal((await rest("bob", `/conversations/${conversationB}`)).status, 200);
      const messages = await rest("owner", `/conversations/${conversationB}/messages`);
      assert.equal(messages.status, 200, "still there after the refused delete");
      assert.equal(((await messages.json()) as { messages: unknown[] }).messages.length, 1);
    });

    it("lists over the AdminChannel only the agent's sites, narrowed by site_id", async () => {
      assert.deepEqual(ids(ann.ofType("conversations")[0]!), [], "subscribed before A's first message");
      assert.deepEqual(ids(bob.ofType("conversations")[0]!), [conversationB]);
      assert.deepEqual(ids(owner.ofType("conversations")[0]!), [conversationB]);
      const listing = async (who: RecordingSubscription, data: Record<string, unknown>) => {
        const before = who.ofType("conversations").length;
        who.perform("list_conversations", data);
        await who.until(() => who.ofType("conversations").length > before);
        return ids(who.ofType("conversations").at(-1)!);
      };
      assert.deepEqual(await listing(ann, {}), [conversationA]);
      assert.deepEqual(await listing(ann, { site_id: siteB }), []);
      assert.deepEqual(await listing(owner, {}), [conversationA, conversationB].sort());
      assert.deepEqual(await listing(owner, { site_id: siteA }), [conversationA]);
      ann.perform("list_conversations", { site_id: "two", client_id: "bad-site" });
      const error = await ann.next((m) => m.type === "error" && m.client_id === "bad-site");
      assert.match(String(error.error), /site_id/);
    });

    it("refuses every action on another site's conversation as not found", async () => {
      const onB = { conversation_id: conversationB };
      await refused(ann, "send_message", { ...onB, content: "sneaky" });
      await refused(ann, "mark_read", onB);
      await refused(ann, "get_history", onB);
      await refused(ann, "close", onB);
      await refused(ann, "reopen", onB);
      await refused(ann, "assign", onB);
      await refused(ann, "typing", { ...onB, typing: true });
      const stored = await server.store.getConversation(conversationB);
      assert.equal(stored?.status, "open");
      assert.equal(stored?.assigneeId, null);
      assert.equal(stored?.lastMessage?.content, "where is the zebra manual");
    });

    it("sends an agent only their sites' events; the owner hears both", async () => {
      // Bob answers on B: typing, a message, a close. Then A's visitor writes, which Ann hears;
      // one stream carries both sites in order, so nothing of B can still be on its way to her.
      const fromB = owner.received.length;
      bob.perform("typing", { conversation_id: conversationB, typing: true });
      bob.perform("send_message", { conversation_id: conversationB, content: "page 4", client_id: "b-1" });
      bob.perform("close", { conversation_id: conversationB });
      await owner.next(
        (m) => m.type === "conversation_updated" && (m.conversation as Conv).id === conversationB,
      );
      assert.ok(owner.received.slice(fromB).some((m) => m.type === "new_message"));
      assert.ok(owner.received.slice(fromB).some((m) => m.type === "typing"));
      visitorA.perform("send_message", { content: "still there?" });
      await ann.next(
        (m) => m.type === "new_message" && (m.message as { content: string }).content === "still there?",
      );
      await bob.next(
        (m) => m.type === "conversation_updated" && (m.conversation as Conv).id === conversationB,
      );

      const about = (m: Received, id: number) =>
        m.conversation_id === id || (m.conversation as Conv | undefined)?.id === id;
      assert.deepEqual(
        ann.received.filter((m) => about(m, conversationB)),
        [],
        "Ann heard nothing of B",
      );
      // And Bob, of A: the visitor's typing stop, messages and conversation updates included.
      ann.perform("send_message", { conversation_id: conversationA, content: "yes", client_id: "a-1" });
      await owner.next(
        (m) => m.type === "new_message" && (m.message as { content: string }).content === "yes",
      );
      bob.perform("mark_read", { conversation_id: conversationB });
      await owner.next(
        (m) =>
          m.type === "conversation_updated" &&
          (m.conversation as Conv & { unread_count: number }).id === conversationB &&
          (m.conversation as { unread_count: number }).unread_count === 0,
      );
      await bob.next(
        (m) =>
          m.type === "conversation_updated" &&
          (m.conversation as { unread_count: number }).unread_count === 0,
      );
      assert.deepEqual(
        bob.received.filter((m) => about(m, conversationA)),
        [],
        "Bob heard nothing of A",
      );
    });

    it("catches an agent up after `since` with their sites' messages only", async () => {
      const late = new RecordingSubscription(connect({ cookie: cookies.bob }), {
        channel: "AdminChannel",
        since: 0,
      });
      await late.next((m) => m.type === "caught_up");
      const replayed = late.ofType("new_message").map((m) => m.conversation_id);
      assert.ok(replayed.length > 0);
      assert.deepEqual(new Set(replayed), new Set([conversationB]));
    });

    it("moves an agent's REST and AdminChannel view when the owner changes a site's team", async () => {
      const at = new Date().toISOString();
      await server.store.updateSite(siteB, { agentIds: [annId, bobId], at });
      assert.deepEqual(await listed("ann"), [conversationA, conversationB].sort(), "the next list sees it");
      assert.equal((await rest("ann", `/conversations/${conversationB}`)).status, 200);
      const clientId = await act(ann, "get_history", { conversation_id: conversationB });
      const history = await ann.next((m) => m.type === "history" && m.conversation_id === conversationB);
      assert.ok(history, clientId);

      await server.store.updateSite(siteB, { agentIds: [bobId], at });
      assert.deepEqual(await listed("ann"), [conversationA]);
      await refused(ann, "get_history", { conversation_id: conversationB });
    });

    it("moves an agent's live events when the owner changes a site's team, without a reconnect", async () => {
      const patchTeam = async (site: number, agentIds: number[]) => {
        const response = await rest("owner", `/sites/${site}`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ agent_ids: agentIds }),
        });
        assert.equal(response.status, 200, await response.text());
      };
      const siteUpdated = (site: number) => (m: Received) =>
        m.type === "site_updated" && (m.site as { id: number }).id === site;
      const said = (content: string) => (m: Received) =>
        m.type === "new_message" && (m.message as { content: string }).content === content;
      /** The first message matching `predicate` received from now on. */
      const fresh = (who: RecordingSubscription, predicate: (m: Received) => boolean) => {
        const from = who.received.length;
        return () => who.until(() => who.received.slice(from).find(predicate));
      };

      // Ann joins B's team: she hears of it, and B's next message, on the subscription she has.
      await patchTeam(siteB, [annId, bobId]);
      await ann.next(siteUpdated(siteB));
      await bob.next(siteUpdated(siteB));
      bob.perform("send_message", {
        conversation_id: conversationB,
        content: "Ann, this one",
        client_id: "b-2",
      });
      await ann.next(said("Ann, this one"));

      // She leaves it: she is not told B changed, and hears nothing more of B.
      const before = ann.received.length;
      const toBob = fresh(bob, siteUpdated(siteB));
      await patchTeam(siteB, [bobId]);
      await toBob();
      bob.perform("send_message", {
        conversation_id: conversationB,
        content: "not for Ann",
        client_id: "b-3",
      });
      await owner.next(said("not for Ann"));
      visitorA.perform("send_message", { content: "Ann's again" });
      await ann.next(said("Ann's again"));
      const since = ann.received.slice(before);
      assert.deepEqual(
        since.filter((m) => siteUpdated(siteB)(m) || m.conversation_id === conversationB),
        [],
        "after leaving B: neither B's change nor its messages",
      );

      // A change to A (Ann's site) is not told to Bob, who does not answer it.
      const toAnn = fresh(ann, siteUpdated(siteA));
      const toOwner = fresh(owner, siteUpdated(siteA));
      await patchTeam(siteA, [annId]);
      await toAnn();
      await toOwner();
      const marked = fresh(
        bob,
        (m) => m.type === "conversation_updated" && (m.conversation as Conv).id === conversationB,
      );
      bob.perform("mark_read", { conversation_id: conversationB });
      await marked();
      assert.equal(bob.received.filter(siteUpdated(siteA)).length, 0);
    });
  });
