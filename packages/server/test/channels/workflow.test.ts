/**
 * The team workflow's states, labels and view counts (protocol §15) on a real server, through
 * the stock ActionCable client and REST: states beside the seed's status (close/reopen are
 * resolved/open), a visitor's message reopening, a snooze waking at its time (and not at an
 * earlier time it was changed from), labels (owners write, agents put them on, deleting takes
 * them off), the list's filters, and each agent's counts within their sites. On SQLite, and on
 * Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription, type Received } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

type Conv = {
  id: number;
  status: string;
  state: string;
  snoozed_until: string | null;
  label_ids: number[];
  assignee_id: number | null;
  site_id: number;
};
type Label = { id: number; name: string; color: string; created_at: string };
type Counts = { mine: number; unassigned: number; all: number };

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`team workflow: states, labels, counts (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    const consumers: Consumer[] = [];
    const cookies: Record<"owner" | "ann" | "bob", string> = { owner: "", ann: "", bob: "" };
    let owner: RecordingSubscription;
    let ann: RecordingSubscription;
    let bob: RecordingSubscription;
    let visitor: RecordingSubscription;
    let annId: number;
    let siteA: number;
    let siteB: number;
    /** On site A (ann and the owner see it), started by `visitor`. */
    let conversationA: number;
    /** On site B (bob and the owner see it), made in the store. */
    let conversationB: number;

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
    const rest = (who: keyof typeof cookies, path: string, init: RequestInit & { json?: unknown } = {}) => {
      const { json, ...rest } = init;
      return fetch(`${server.url}${path}`, {
        ...rest,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        headers: {
          cookie: cookies[who],
          ...(json === undefined ? {} : { "content-type": "application/json" }),
          ...init.headers,
        },
      });
    };
    const ok = async <T>(response: Response, status = 200): Promise<T> => {
      const text = await response.text();
      assert.equal(response.status, status, text);
      return JSON.parse(text) as T;
    };
    const updated = (id: number, predicate: (c: Conv) => boolean) => (m: Received) =>
      m.type === "conversation_updated" &&
      (m.conversation as Conv).id === id &&
      predicate(m.conversation as Conv);
    /** Waits for what `who` receives from now on (not for what it received before). */
    const upcoming = (who: RecordingSubscription) => {
      const start = who.received.length;
      return (predicate: (m: Received) => boolean, timeoutMs?: number) =>
        who.until(() => who.received.slice(start).find(predicate), timeoutMs);
    };
    let sent = 0;
    /** Performs and returns the error the action answered with (by its client_id). */
    const refused = async (who: RecordingSubscription, action: string, data: Record<string, unknown>) => {
      const clientId = `refused-${++sent}`;
      who.perform(action, { ...data, client_id: clientId });
      return String((await who.next((m) => m.type === "error" && m.client_id === clientId)).error);
    };
    const listing = async (who: RecordingSubscription, data: Record<string, unknown>) => {
      const before = who.ofType("conversations").length;
      who.perform("list_conversations", data);
      const list = await who.until(() => who.ofType("conversations")[before]);
      return (list.conversations as Conv[]).map((c) => c.id).sort((a, b) => a - b);
    };
    const restListing = async (who: keyof typeof cookies, query: string) =>
      (await ok<{ conversations: Conv[] }>(await rest(who, `/conversations${query}`))).conversations
        .map((c) => c.id)
        .sort((a, b) => a - b);
    const lastCounts = (who: RecordingSubscription) => who.ofType("view_counts").at(-1)?.counts as Counts;
    const sorted = (...ids: number[]) => ids.sort((a, b) => a - b);
    const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

    before(async () => {
      server = await startTestServer(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {});
      const { store } = server;
      annId = (await server.chat.team.add({ username: "ann", password: "ann-password", name: "Ann" })).id;
      const bobId = (await server.chat.team.add({ username: "bob", password: "bob-password", name: "Bob" }))
        .id;
      const now = new Date().toISOString();
      const defaultSite = await store.getDefaultSite();
      siteA = defaultSite.id;
      await store.updateSite(siteA, { agentIds: [annId], at: now });
      siteB = (
        await store.createSite({
          key: "site-b-key-0002",
          name: "Docs",
          allowedOrigins: ["http://docs.example"],
          widget: defaultSite.widget,
          businessHours: null,
          agentIds: [bobId],
          at: now,
        })
      ).id;
      conversationB = (
        await store.createConversation({
          token: visitorToken(),
          visitorName: "Berta",
          createdIp: null,
          siteId: siteB,
          at: now,
        })
      ).conversation.id;

      cookies.owner = await login(server.url);
      cookies.ann = await login(server.url, { username: "ann", password: "ann-password" });
      cookies.bob = await login(server.url, { username: "bob", password: "bob-password" });
      owner = await admin(cookies.owner);
      ann = await admin(cookies.ann);
      bob = await admin(cookies.bob);

      visitor = new RecordingSubscription(connect({ token: visitorToken() }), { channel: "VisitorChannel" });
      await visitor.until(() => visitor.confirmed);
      visitor.perform("send_message", { content: "hello", visitor_name: "Alma" });
      conversationA = (await ann.next((m) => m.type === "new_message")).conversation_id as number;
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await server.dispose();
      if (engine === "Postgres") await postgres?.drop();
    });

    it("sends view counts right after the list on subscribe, within the agent's sites", async () => {
      for (const who of [owner, ann, bob]) {
        // The subscribe's replay may still be arriving (a loaded machine): wait for its end.
        await who.until(() => who.received.some((m) => m.type === "caught_up"));
        // Availability changes (§15) come whenever they happen; the rest in this order.
        const types = who.received
          .map((m) => m.type)
          .filter((type) => ["conversations", "view_counts", "caught_up"].includes(type));
        assert.deepEqual(types.slice(0, 3), ["conversations", "view_counts", "caught_up"]);
      }
      // Subscribed before the visitor wrote: ann's and the owner's counts move, coalesced.
      assert.deepEqual(bob.ofType("view_counts")[0]!.counts, { mine: 0, unassigned: 1, all: 1 });
      await ann.until(() => lastCounts(ann)?.all === 1);
      assert.deepEqual(lastCounts(ann), { mine: 0, unassigned: 1, all: 1 });
      await owner.until(() => lastCounts(owner)?.all === 2);
    });

    it("sets states over the cable and REST; status follows; close and reopen are resolved and open", async () => {
      // The webhooks' status event (§13) fires when the seed's status moves, and only then.
      const statusChanges: string[] = [];
      const stopListening = server.chat.events.happened.on((happening) => {
        if (happening.type === "conversation.status_changed" && happening.conversation.id === conversationA)
          statusChanges.push(`${happening.previousStatus}->${happening.conversation.status}`);
      });
      const wait1 = upcoming(owner);
      ann.perform("set_state", { conversation_id: conversationA, state: "pending" });
      const pending = await wait1(updated(conversationA, (c) => c.state === "pending"));
      assert.equal((pending.conversation as Conv).status, "open");
      assert.equal((pending.conversation as Conv).snoozed_until, null);

      const wait2 = upcoming(owner);
      ann.perform("close", { conversation_id: conversationA });
      const closed = await wait2(updated(conversationA, (c) => c.status === "closed"));
      assert.equal((closed.conversation as Conv).state, "resolved");
      const wait3 = upcoming(owner);
      ann.perform("reopen", { conversation_id: conversationA });
      await wait3(updated(conversationA, (c) => c.state === "open" && c.status === "open"));

      const wait11 = upcoming(ann);
      const viaRest = await ok<{ conversation: Conv }>(
        await rest("ann", `/conversations/${conversationA}/state`, {
          method: "PUT",
          json: { state: "resolved" },
        }),
      );
      assert.equal(viaRest.conversation.state, "resolved");
      assert.equal(viaRest.conversation.status, "closed");
      await wait11(updated(conversationA, (c) => c.state === "resolved"));
      // The seed's POST close/reopen answer the same conversation, state included.
      const reopened = await ok<{ conversation: Conv }>(
        await rest("ann", `/conversations/${conversationA}/reopen`, { method: "POST" }),
      );
      assert.equal(reopened.conversation.state, "open");
      stopListening();
      assert.deepEqual(statusChanges, ["open->closed", "closed->open", "open->closed", "closed->open"]);

      // Another site's conversation is not found; bad input is refused with a reason.
      assert.equal(
        await refused(ann, "set_state", { conversation_id: conversationB, state: "pending" }),
        "Conversation not found",
      );
      assert.match(
        await refused(ann, "set_state", { conversation_id: conversationA, state: "sleeping" }),
        /state must be/,
      );
      assert.match(
        await refused(ann, "set_state", {
          conversation_id: conversationA,
          state: "open",
          snoozed_until: inFuture(60_000),
        }),
        /only with the state snoozed/,
      );
      assert.match(
        await refused(ann, "set_state", {
          conversation_id: conversationA,
          state: "snoozed",
          snoozed_until: new Date(Date.now() - 60_000).toISOString(),
        }),
        /future/,
      );
      assert.match(
        await refused(ann, "set_state", {
          conversation_id: conversationA,
          state: "snoozed",
          snoozed_until: inFuture(400 * 24 * 3600 * 1000),
        }),
        /within a year/,
      );
      const badRest = await rest("ann", `/conversations/${conversationA}/state`, {
        method: "PUT",
        json: { state: "pending", snoozed_until: inFuture(60_000) },
      });
      assert.equal(badRest.status, 400);
    });

    it("filters by state and status: status open is every state but resolved", async () => {
      await ok(
        await rest("owner", `/conversations/${conversationB}/state`, {
          method: "PUT",
          json: { state: "pending" },
        }),
      );
      await ok(
        await rest("owner", `/conversations/${conversationA}/state`, {
          method: "PUT",
          json: { state: "resolved" },
        }),
      );
      assert.deepEqual(await listing(owner, { status: "open" }), [conversationB]);
      assert.deepEqual(await listing(owner, { state: "pending" }), [conversationB]);
      assert.deepEqual(await listing(owner, { state: "resolved" }), [conversationA]);
      // state wins over status.
      assert.deepEqual(await listing(owner, { status: "open", state: "resolved" }), [conversationA]);
      assert.deepEqual(await listing(bob, { state: "resolved" }), []);
      assert.deepEqual(await restListing("owner", "?state=pending"), [conversationB]);
      assert.deepEqual(await restListing("owner", "?status=closed"), [conversationA]);
      assert.deepEqual(await restListing("owner", "?state=all"), sorted(conversationA, conversationB));
      assert.equal((await rest("owner", "/conversations?state=sleeping")).status, 400);
      await ok(
        await rest("owner", `/conversations/${conversationB}/state`, {
          method: "PUT",
          json: { state: "open" },
        }),
      );
    });

    it("reopens a resolved, and a snoozed, conversation when the visitor writes", async () => {
      // Resolved just before (the previous test).
      const wait4 = upcoming(ann);
      visitor.perform("send_message", { content: "one more thing" });
      const back = await wait4(updated(conversationA, (c) => c.state === "open" && c.status === "open"));
      assert.equal((back.conversation as Conv).snoozed_until, null);

      const wait5 = upcoming(owner);
      ann.perform("set_state", { conversation_id: conversationA, state: "snoozed" });
      const snoozed = await wait5(updated(conversationA, (c) => c.state === "snoozed"));
      assert.equal((snoozed.conversation as Conv).snoozed_until, null, "until the visitor writes");
      const seen = ann.ofType("conversation_updated").length;
      visitor.perform("send_message", { content: "still there?" });
      await ann.until(() =>
        ann
          .ofType("conversation_updated")
          .slice(seen)
          .find(
            (m) => (m.conversation as Conv).id === conversationA && (m.conversation as Conv).state === "open",
          ),
      );
    });

    it("wakes a snooze at its time, and not at an earlier time it was changed from", async () => {
      const first = inFuture(1500);
      const wait6 = upcoming(owner);
      ann.perform("set_state", { conversation_id: conversationA, state: "snoozed", snoozed_until: first });
      await wait6(updated(conversationA, (c) => c.snoozed_until === first));
      const later = inFuture(3000);
      const wait7 = upcoming(owner);
      ann.perform("set_state", { conversation_id: conversationA, state: "snoozed", snoozed_until: later });
      await wait7(updated(conversationA, (c) => c.snoozed_until === later));
      const count = owner.ofType("conversation_updated").length;
      const woke = await owner.until(
        () =>
          owner
            .ofType("conversation_updated")
            .slice(count)
            .find((m) => (m.conversation as Conv).id === conversationA),
        10_000,
      );
      assert.ok(Date.now() >= Date.parse(later), "not before the time it was changed to");
      assert.equal((woke.conversation as Conv).state, "open");
      assert.equal((woke.conversation as Conv).snoozed_until, null);
    });

    it("keeps labels: owners write, 409 on a name taken ignoring case, every agent hears the set", async () => {
      const created = await ok<{ label: Label }>(
        await rest("owner", "/labels", { method: "POST", json: { name: "Billing", color: "#AA3300" } }),
        201,
      );
      assert.equal(created.label.name, "Billing");
      assert.equal(created.label.color, "#aa3300");
      const heard = await bob.next((m) => m.type === "labels_updated");
      assert.deepEqual(heard.labels, [created.label]);

      const taken = await rest("owner", "/labels", {
        method: "POST",
        json: { name: "billing", color: "#000000" },
      });
      assert.equal(taken.status, 409);
      assert.equal(
        (await rest("ann", "/labels", { method: "POST", json: { name: "Mine", color: "#000000" } })).status,
        403,
      );
      assert.equal(
        (await rest("owner", "/labels", { method: "POST", json: { name: "Bad", color: "red" } })).status,
        400,
      );
      assert.equal(
        (await rest("owner", "/labels", { method: "POST", json: { name: "", color: "#000000" } })).status,
        400,
      );
      assert.equal(
        (await rest("owner", "/labels", { method: "POST", json: { name: "x".repeat(41), color: "#000000" } }))
          .status,
        400,
      );
      const bug = (
        await ok<{ label: Label }>(
          await rest("owner", "/labels", { method: "POST", json: { name: "Bug", color: "#00ff00" } }),
          201,
        )
      ).label;
      assert.equal(
        (await rest("owner", `/labels/${bug.id}`, { method: "PATCH", json: { name: "BILLING" } })).status,
        409,
      );
      const renamed = await ok<{ label: Label }>(
        await rest("owner", `/labels/${bug.id}`, {
          method: "PATCH",
          json: { name: "Bugs", color: "#0000ff" },
        }),
      );
      assert.deepEqual(renamed.label, { ...bug, name: "Bugs", color: "#0000ff" });
      assert.equal(
        (await rest("ann", `/labels/${bug.id}`, { method: "PATCH", json: { name: "x" } })).status,
        403,
      );
      await ann.next(
        (m) => m.type === "labels_updated" && (m.labels as Label[]).some((label) => label.name === "Bugs"),
      );
      const listed = await ok<{ labels: Label[] }>(await rest("ann", "/labels"));
      assert.deepEqual(listed.labels, [created.label, renamed.label]);
    });

    it("puts labels on conversations, filters by them, and deleting one takes it off", async () => {
      const { labels } = await ok<{ labels: Label[] }>(await rest("owner", "/labels"));
      const [billing, bugs] = labels as [Label, Label];
      const wait8 = upcoming(owner);
      ann.perform("set_labels", { conversation_id: conversationA, label_ids: [bugs.id, billing.id] });
      const labelled = await wait8(updated(conversationA, (c) => c.label_ids.length === 2));
      assert.deepEqual(
        (labelled.conversation as Conv).label_ids,
        [billing.id, bugs.id].sort((a, b) => a - b),
      );
      const viaRest = await ok<{ conversation: Conv }>(
        await rest("bob", `/conversations/${conversationB}/labels`, {
          method: "PUT",
          json: { label_ids: [billing.id] },
        }),
      );
      assert.deepEqual(viaRest.conversation.label_ids, [billing.id]);
      assert.match(
        await refused(ann, "set_labels", { conversation_id: conversationA, label_ids: [9_999_999] }),
        /Unknown label/,
      );
      assert.equal(
        await refused(ann, "set_labels", { conversation_id: conversationB, label_ids: [] }),
        "Conversation not found",
      );

      assert.deepEqual(await listing(owner, { label_id: billing.id }), sorted(conversationA, conversationB));
      assert.deepEqual(await listing(owner, { label_id: bugs.id }), [conversationA]);
      assert.deepEqual(await listing(bob, { label_id: bugs.id }), []);
      assert.deepEqual(await restListing("owner", `?label_id=${bugs.id}`), [conversationA]);
      assert.deepEqual(await restListing("ann", `?label_id=${billing.id}`), [conversationA]);
      // Every place a conversation is sent carries its labels.
      const got = await ok<{ conversation: Conv }>(await rest("ann", `/conversations/${conversationA}`));
      assert.equal(got.conversation.label_ids.length, 2);
      const listedA = (await ok<{ conversations: Conv[] }>(await rest("ann", "/conversations")))
        .conversations;
      assert.equal(listedA.find((c) => c.id === conversationA)?.label_ids.length, 2);

      assert.equal((await rest("ann", `/labels/${bugs.id}`, { method: "DELETE" })).status, 403);
      const wait12 = upcoming(bob);
      await ok(await rest("owner", `/labels/${bugs.id}`, { method: "DELETE" }));
      await wait12((m) => m.type === "labels_updated" && (m.labels as Label[]).length === 1);
      const after = await ok<{ conversation: Conv }>(await rest("ann", `/conversations/${conversationA}`));
      assert.deepEqual(after.conversation.label_ids, [billing.id]);
      assert.deepEqual(await listing(owner, { label_id: bugs.id }), []);
      assert.equal((await rest("owner", `/labels/${bugs.id}`, { method: "DELETE" })).status, 404);
    });

    it("filters by assignee over the cable, and counts per agent and site", async () => {
      const wait9 = upcoming(owner);
      ann.perform("assign", { conversation_id: conversationA });
      await wait9(updated(conversationA, (c) => c.assignee_id === annId));
      assert.deepEqual(await listing(ann, { assignee: "me" }), [conversationA]);
      assert.deepEqual(await listing(owner, { assignee: "unassigned" }), [conversationB]);
      assert.deepEqual(await listing(owner, { assignee: annId }), [conversationA]);
      assert.deepEqual(await listing(owner, { assignee: "all" }), sorted(conversationA, conversationB));

      // Coalesced counts after the assignment, on the cable and over REST alike.
      await ann.until(() => lastCounts(ann)?.mine === 1);
      assert.deepEqual(lastCounts(ann), { mine: 1, unassigned: 0, all: 1 });
      assert.deepEqual(await ok<Counts>(await rest("ann", "/conversations/counts")), {
        mine: 1,
        unassigned: 0,
        all: 1,
      });
      assert.deepEqual(await ok<Counts>(await rest("owner", "/conversations/counts")), {
        mine: 0,
        unassigned: 1,
        all: 2,
      });
      assert.deepEqual(await ok<Counts>(await rest("owner", `/conversations/counts?site_id=${siteB}`)), {
        mine: 0,
        unassigned: 1,
        all: 1,
      });
      assert.deepEqual(await ok<Counts>(await rest("ann", `/conversations/counts?site_id=${siteB}`)), {
        mine: 0,
        unassigned: 0,
        all: 0,
      });
      assert.deepEqual(await ok<Counts>(await rest("bob", "/conversations/counts")), {
        mine: 0,
        unassigned: 1,
        all: 1,
      });

      // Resolved ones leave the counts; pending ones stay in them.
      const wait10 = upcoming(owner);
      ann.perform("set_state", { conversation_id: conversationA, state: "pending" });
      await wait10(updated(conversationA, (c) => c.state === "pending"));
      assert.deepEqual(await ok<Counts>(await rest("ann", "/conversations/counts")), {
        mine: 1,
        unassigned: 0,
        all: 1,
      });
      ann.perform("close", { conversation_id: conversationA });
      await ann.until(() => lastCounts(ann)?.all === 0);
      assert.deepEqual(lastCounts(ann), { mine: 0, unassigned: 0, all: 0 });
      await owner.until(() => lastCounts(owner)?.all === 1);
    });
  });
