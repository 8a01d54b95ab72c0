/**
 * Satisfaction ratings (protocol §18) on a real server, through the stock ActionCable client and
 * REST: a resolve (cable or REST) asks every tab of the visitor's token, the visitor's `rate` is
 * cleaned, stored once per request, credited and told to every tab and to the site's agents; the
 * refusals and their texts; a widget subscribing later learns what is pending from `history`;
 * a site that does not ask; rates counted with messages. On SQLite, and on Postgres when
 * TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription, type Received } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

type Rating = { score: number; comment: string | null; agent_id: number | null; rated_at: string };
type Conv = { id: number; state: string; assignee_id: number | null; rating: Rating | null };
type History = { conversation: { id: number; rating_requested?: boolean; rating?: Rating | null } };

/** Low enough to reach in a test, high enough for every other case's few actions per token. */
const RATE_LIMIT = 6;

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`satisfaction ratings (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    const consumers: Consumer[] = [];
    let ownerCookie: string;
    let annCookie: string;
    let ownerId: number;
    let owner: RecordingSubscription;
    let ann: RecordingSubscription;

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
    /** A tab of the visitor `token` (a new consumer: its own socket), subscribed. */
    const tab = async (token: string) => {
      const subscription = new RecordingSubscription(connect({ token }), { channel: "VisitorChannel" });
      await subscription.until(() => subscription.confirmed);
      await subscription.next((m) => m.type === "availability");
      return subscription;
    };
    /** Waits for what `who` receives from now on (not for what it received before). */
    const upcoming = (who: RecordingSubscription) => {
      const start = who.received.length;
      return (predicate: (m: Received) => boolean) =>
        who.until(() => who.received.slice(start).find(predicate));
    };
    const rest = (cookie: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
      const { json, ...others } = init;
      return fetch(`${server.url}${path}`, {
        ...others,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        headers: { cookie, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      });
    };
    const conversationOf = async (id: number): Promise<Conv> => {
      const response = await rest(ownerCookie, `/conversations/${id}`);
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return (JSON.parse(text) as { conversation: Conv }).conversation;
    };
    let sent = 0;
    /** Performs `rate` and returns the error it was answered with (by its client_id). */
    const refused = async (who: RecordingSubscription, data: Record<string, unknown>) => {
      const clientId = `refused-${++sent}`;
      who.perform("rate", { ...data, client_id: clientId });
      return String((await who.next((m) => m.type === "error" && m.client_id === clientId)).error);
    };
    /** A visitor who wrote once, and the conversation's id. */
    const chatting = async () => {
      const token = visitorToken();
      const visitor = await tab(token);
      const wait = upcoming(owner);
      visitor.perform("send_message", { content: "hello", client_id: "first" });
      const id = (await wait((m) => m.type === "new_message")).conversation_id as number;
      await visitor.next((m) => m.type === "message");
      return { token, visitor, id };
    };
    const updatedWith = (id: number, predicate: (c: Conv) => boolean) => (m: Received) =>
      m.type === "conversation_updated" &&
      (m.conversation as Conv).id === id &&
      predicate(m.conversation as Conv);

    before(async () => {
      server = await startTestServer({
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
        ...(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {}),
      });
      await server.chat.team.add({ username: "ann", password: "ann-password", name: "Ann" });
      ownerId = (await server.store.listAgents()).find((agent) => agent.username === "owner")!.id;
      ownerCookie = await login(server.url);
      annCookie = await login(server.url, { username: "ann", password: "ann-password" });
      owner = await admin(ownerCookie);
      ann = await admin(annCookie);
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await server.dispose();
      if (engine === "Postgres") await postgres?.drop();
    });

    it("asks every tab on a resolve; the rate is cleaned, stored, told to every tab and to agents", async () => {
      const { token, visitor, id } = await chatting();
      const other = await tab(token);
      // The owner replies; nobody is assigned: the rating is credited to the last agent who replied.
      owner.perform("send_message", { conversation_id: id, content: "Glad to help", client_id: "reply" });
      await visitor.next(
        (m) => m.type === "message" && (m.message as { content: string }).content === "Glad to help",
      );

      const [askedHere, askedThere] = [upcoming(visitor), upcoming(other)];
      ann.perform("close", { conversation_id: id });
      for (const asked of [askedHere, askedThere])
        assert.deepEqual(await asked((m) => m.type === "rating_requested"), {
          type: "rating_requested",
          conversation_id: id,
        });
      assert.equal((await conversationOf(id)).rating, null);

      const [ratedHere, ratedThere, told] = [upcoming(visitor), upcoming(other), upcoming(ann)];
      visitor.perform("rate", { score: 5, comment: "  Very\u202E kind\r\nthanks\u0007  " });
      const rated = (await ratedHere((m) => m.type === "rated")).rating as Rating;
      assert.equal(rated.score, 5);
      assert.equal(rated.comment, "Very kind\nthanks");
      assert.equal(rated.agent_id, ownerId);
      assert.ok(!Number.isNaN(Date.parse(rated.rated_at)));
      assert.deepEqual((await ratedThere((m) => m.type === "rated")).rating, rated);
      const update = await told(updatedWith(id, (c) => c.rating !== null));
      assert.deepEqual((update.conversation as Conv).rating, rated);
      // REST and the list carry it too.
      assert.deepEqual((await conversationOf(id)).rating, rated);
      const list = await rest(ownerCookie, "/conversations?state=resolved");
      const listed = (JSON.parse(await list.text()) as { conversations: Conv[] }).conversations;
      assert.deepEqual(listed.find((c) => c.id === id)?.rating, rated);

      // Rated: nothing pending until it is resolved again.
      assert.equal(await refused(other, { score: 1 }), "Nothing to rate");
      assert.deepEqual((await conversationOf(id)).rating, rated);
      // A reload learns the rating, with nothing pending.
      const reloaded = await tab(token);
      const history = (await reloaded.next((m) => m.type === "history")) as unknown as History;
      assert.equal(history.conversation.rating_requested, undefined);
      assert.deepEqual(history.conversation.rating, rated);
    });

    it("a resolve over REST asks too; a later subscribe learns it is pending; credited to the assignee", async () => {
      const { token, visitor, id } = await chatting();
      const before = await tab(token);
      // Nothing pending or given: the history is the seed's shape.
      assert.deepEqual(
        Object.keys(((await before.next((m) => m.type === "history")) as unknown as History).conversation),
        ["id", "visitor_name"],
      );
      ann.perform("send_message", { conversation_id: id, content: "On it", client_id: "ann-reply" });
      owner.perform("assign", { conversation_id: id, agent_id: ownerId });
      await owner.next(updatedWith(id, (c) => c.assignee_id === ownerId));
      const asked = upcoming(visitor);
      const response = await rest(annCookie, `/conversations/${id}/state`, {
        method: "PUT",
        json: { state: "resolved" },
      });
      assert.equal(response.status, 200, await response.text());
      await asked((m) => m.type === "rating_requested");

      // The widget was closed when it came: it learns it from history.
      const later = await tab(token);
      const history = (await later.next((m) => m.type === "history")) as unknown as History;
      assert.equal(history.conversation.rating_requested, true);
      assert.equal(history.conversation.rating, undefined);

      const rated = upcoming(later);
      later.perform("rate", { score: 2, comment: "   " });
      const rating = (await rated((m) => m.type === "rated")).rating as Rating;
      // The assignee, though ann replied last; a blank comment is none.
      assert.equal(rating.agent_id, ownerId);
      assert.equal(rating.comment, null);
      assert.equal(rating.score, 2);
    });

    it("refuses with the texts of §18; nothing is stored", async () => {
      const { token, visitor, id } = await chatting();
      // Asked for nothing yet (open), and a token with no conversation at all.
      assert.equal(await refused(visitor, { score: 4 }), "Nothing to rate");
      const stranger = await tab(visitorToken());
      assert.equal(await refused(stranger, { score: 4 }), "Nothing to rate");

      const asked = upcoming(visitor);
      ann.perform("close", { conversation_id: id });
      await asked((m) => m.type === "rating_requested");
      for (const score of [0, 6, "5", 4.5, null, undefined])
        assert.equal(await refused(visitor, { score }), "score must be 1 to 5", String(score));
      assert.equal(await refused(visitor, { score: 4, comment: 42 }), "Comment must be text");
      assert.equal(
        await refused(visitor, { score: 4, comment: "x".repeat(501) }),
        "Comment too long (max 500)",
      );
      assert.equal((await conversationOf(id)).rating, null);
      // Exactly 500 after cleaning (hidden characters do not count) is taken.
      const other = await tab(token);
      const rated = upcoming(other);
      visitor.perform("rate", { score: 4, comment: `${"\u200B".repeat(20)}${"é".repeat(500)}` });
      assert.equal(((await rated((m) => m.type === "rated")).rating as Rating).comment, "é".repeat(500));
    });

    it("a visitor writing again reopens it: nothing pending; resolved again asks again and the rate replaces", async () => {
      const { token, visitor, id } = await chatting();
      let asked = upcoming(visitor);
      ann.perform("close", { conversation_id: id });
      await asked((m) => m.type === "rating_requested");
      const first = upcoming(visitor);
      visitor.perform("rate", { score: 1, comment: "slow" });
      const firstRating = (await first((m) => m.type === "rated")).rating as Rating;

      const reopened = upcoming(owner);
      visitor.perform("send_message", { content: "one more thing", client_id: "again" });
      await reopened(updatedWith(id, (c) => c.state === "open"));
      assert.equal(await refused(visitor, { score: 3 }), "Nothing to rate");
      const reload = await tab(token);
      const history = (await reload.next((m) => m.type === "history")) as unknown as History;
      assert.equal(history.conversation.rating_requested, undefined);
      assert.deepEqual(history.conversation.rating, firstRating);

      asked = upcoming(visitor);
      ann.perform("close", { conversation_id: id });
      await asked((m) => m.type === "rating_requested");
      const second = upcoming(visitor);
      visitor.perform("rate", { score: 5 });
      const secondRating = (await second((m) => m.type === "rated")).rating as Rating;
      assert.equal(secondRating.score, 5);
      assert.equal(secondRating.comment, null);
      assert.deepEqual((await conversationOf(id)).rating, secondRating);
      assert.equal(
        (await server.store.getConversation(id))?.rating?.score,
        5,
        "one rating per conversation, replaced",
      );
    });

    it("a site whose widget.ask_rating is false does not ask, and nothing can be rated", async () => {
      const site = await server.store.getDefaultSite();
      await server.store.updateSite(site.id, {
        widget: { ...site.widget, ask_rating: false },
        at: new Date().toISOString(),
      });
      try {
        const { visitor, id } = await chatting();
        const resolved = upcoming(owner);
        ann.perform("close", { conversation_id: id });
        await resolved(updatedWith(id, (c) => c.state === "resolved"));
        assert.equal(await refused(visitor, { score: 5 }), "Nothing to rate");
        assert.equal(visitor.ofType("rating_requested").length, 0);
        assert.equal((await server.store.getConversation(id))?.ratingRequestedAt, null);
      } finally {
        await server.store.updateSite(site.id, { widget: site.widget, at: new Date().toISOString() });
      }
    });

    it("rates count against the visitor's message allowance", async () => {
      const { visitor } = await chatting();
      // One message so far; every rate takes from the same minute's allowance, refused or not.
      for (let taken = 1; taken < RATE_LIMIT; taken++)
        assert.equal(await refused(visitor, { score: 3 }), "Nothing to rate");
      visitor.perform("rate", { score: 3 });
      const tooFast = await visitor.next((m) => m.type === "too_fast");
      assert.ok((tooFast.retry_after_ms as number) > 0);
      visitor.perform("send_message", { content: "still here?", client_id: "over" });
      await visitor.until(() => visitor.ofType("too_fast").length === 2);
    });
  });
