/**
 * The agents' side of the team workflow over REST and the AdminChannel (protocol §15), on a real
 * server: canned replies and their permissions and shortcut clashes, notes' checks, availability
 * (chosen, seen by every agent, and the widget's `agents_online` following it), the new owner
 * settings, and round-robin assignment. On SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import type { Agent, CannedReply, Conversation, WidgetConfig } from "@parley/protocol";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { login, startTestServer, WIDGET_ORIGIN, type TestServer } from "../support/testServer.js";
import { Visitor } from "../webhooks/harness.js";
import { eventually } from "../webhooks/receiver.js";

const PASSWORD = "a long enough password";

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : false;

  describe(`team workflow for agents (${engine})`, () => {
    const withServer = async (body: (parts: Parts) => Promise<void>) => {
      const schema = engine === "postgres" ? await postgresSchema() : undefined;
      const server = await startTestServer({
        RATE_LIMIT_PER_MINUTE: "1000",
        NEW_CONVERSATIONS_PER_IP_PER_HOUR: "1000",
        ...(schema === undefined ? {} : { DATABASE_URL: schema.url }),
      });
      const consumers: Consumer[] = [];
      const visitors: Visitor[] = [];
      try {
        await body(await parts(server, consumers, visitors));
      } finally {
        for (const consumer of consumers) consumer.disconnect();
        for (const visitor of visitors) visitor.close();
        await server.dispose();
        await schema?.drop();
      }
    };

    it(
      "canned replies: personal ones are their agent's, shared ones owners', shortcuts clash with 409",
      { skip },
      () =>
        withServer(async ({ call, addAgent }) => {
          const ann = await addAgent("ann");
          const bob = await addAgent("bob");
          const create = (as: string, json: Record<string, unknown>) =>
            call("POST", "/canned_replies", json, as);

          const mine = await create("ann", {
            scope: "personal",
            shortcut: "hi",
            content: " Hello {{visitor.name}}!\r\n",
          });
          assert.equal(mine.status, 201);
          const reply = mine.body.canned_reply as CannedReply;
          assert.deepEqual(
            { ...reply, id: 0, created_at: "", updated_at: "" },
            {
              id: 0,
              scope: "personal",
              shortcut: "hi",
              content: "Hello {{visitor.name}}!",
              site_id: null,
              agent_id: ann.id,
              created_at: "",
              updated_at: "",
            },
          );
          assert.equal(
            (await create("ann", { scope: "personal", shortcut: "hi", content: "again" })).status,
            409,
          );
          assert.equal(
            (await create("bob", { scope: "personal", shortcut: "hi", content: "Bob's" })).status,
            201,
          );
          assert.equal(
            (await create("ann", { scope: "personal", shortcut: "Hi There", content: "x" })).status,
            400,
          );
          assert.equal(
            (await create("ann", { scope: "personal", shortcut: "ok", content: "   " })).status,
            400,
          );
          assert.equal(
            (await create("ann", { scope: "personal", shortcut: "ok", content: "x", site_id: 1 })).status,
            400,
          );

          // Shared: owners only; a shortcut an agent of the site already uses is taken.
          assert.equal(
            (await create("ann", { scope: "shared", shortcut: "bye", content: "Bye" })).status,
            403,
          );
          assert.equal(
            (await create("owner", { scope: "shared", shortcut: "hi", content: "Hi all" })).status,
            409,
          );
          const shared = await create("owner", {
            scope: "shared",
            shortcut: "bye",
            content: "Goodbye",
            site_id: 1,
          });
          assert.equal(shared.status, 201);
          const sharedId = (shared.body.canned_reply as CannedReply).id;
          assert.equal(
            (await create("owner", { scope: "shared", shortcut: "bye", content: "Again" })).status,
            409,
          );
          assert.equal(
            (await create("bob", { scope: "personal", shortcut: "bye", content: "mine" })).status,
            409,
          );
          assert.equal(
            (await create("owner", { scope: "shared", shortcut: "x", content: "x", site_id: 999 })).status,
            404,
          );

          const list = async (as: string, query = "") =>
            (
              (await call("GET", `/canned_replies${query}`, undefined, as)).body
                .canned_replies as CannedReply[]
            ).map((each) => `${each.scope}:${each.shortcut}:${each.agent_id ?? "-"}`);
          assert.deepEqual(await list("ann"), [`personal:hi:${ann.id}`, "shared:bye:-"]);
          assert.deepEqual(await list("bob", "?site_id=1"), [`personal:hi:${bob.id}`, "shared:bye:-"]);
          assert.equal((await call("GET", "/canned_replies?site_id=999", undefined, "ann")).status, 404);

          // Another agent's personal reply is not found; a shared one is read by all, changed by owners.
          assert.equal(
            (await call("PATCH", `/canned_replies/${reply.id}`, { content: "x" }, "bob")).status,
            404,
          );
          assert.equal((await call("DELETE", `/canned_replies/${reply.id}`, undefined, "bob")).status, 404);
          assert.equal(
            (await call("PATCH", `/canned_replies/${sharedId}`, { content: "x" }, "ann")).status,
            403,
          );
          assert.equal((await call("DELETE", `/canned_replies/${sharedId}`, undefined, "ann")).status, 403);
          const renamed = await call(
            "PATCH",
            `/canned_replies/${reply.id}`,
            { shortcut: "hello", content: "Hey" },
            "ann",
          );
          assert.equal(renamed.status, 200);
          assert.equal((renamed.body.canned_reply as CannedReply).shortcut, "hello");
          assert.equal(
            (await call("PATCH", `/canned_replies/${reply.id}`, { shortcut: "bye" }, "ann")).status,
            409,
          );
          assert.equal(
            (await call("PATCH", `/canned_replies/${sharedId}`, { content: "See you" })).status,
            200,
            "the owner changes the shared one",
          );
          const deleted = await call("DELETE", `/canned_replies/${reply.id}`, undefined, "ann");
          assert.deepEqual([deleted.status, deleted.body], [200, { ok: true }]);
          assert.deepEqual(await list("ann"), ["shared:bye:-"]);
          assert.equal((await call("GET", "/canned_replies")).status, 200);
          assert.equal((await call("GET", "/canned_replies", undefined, "nobody")).status, 401);
        }),
    );

    it("notes: checked like messages, only on conversations the agent can see", { skip }, () =>
      withServer(async ({ call, addAgent, newVisitor, conversationOf }) => {
        await addAgent("ann");
        const visitor = await newVisitor();
        await visitor.say("hello");
        const id = await conversationOf(visitor);
        assert.equal((await call("POST", `/conversations/${id}/notes`, { content: " \n " })).status, 400);
        assert.equal(
          (await call("POST", `/conversations/${id}/notes`, { content: "x".repeat(5001) })).status,
          400,
        );
        assert.equal((await call("POST", "/conversations/999999/notes", { content: "x" })).status, 404);
        const first = await call(
          "POST",
          `/conversations/${id}/notes`,
          { content: "a\u202Eb @ann @nobody", client_id: "c1" },
          "ann",
        );
        assert.equal(first.status, 201);
        const note = first.body.note as { content: string; mention_ids: number[]; id: number };
        assert.equal(note.content, "ab @ann @nobody", "hidden formatting is taken out, as in messages");
        assert.equal(note.mention_ids.length, 1);
        const retried = await call(
          "POST",
          `/conversations/${id}/notes`,
          { content: "other", client_id: "c1" },
          "ann",
        );
        assert.equal(retried.status, 200);
        assert.equal((retried.body.note as { id: number }).id, note.id);
      }),
    );

    it(
      "availability: chosen and derived, told to every agent, and the widget is online only while an agent is",
      { skip },
      () =>
        withServer(async ({ call, addAgent, inbox }) => {
          const ann = await addAgent("ann");
          const me = await call("PUT", "/agents/me/availability", { availability: "away" }, "ann");
          assert.equal(me.status, 200);
          assert.deepEqual(
            [(me.body.agent as Agent).availability, (me.body.agent as Agent).chosen_availability],
            ["offline", "away"],
            "no inbox open: offline whatever was chosen",
          );
          assert.equal(
            (await call("PUT", "/agents/me/availability", { availability: "busy" }, "ann")).status,
            400,
          );
          const config = async () =>
            (
              (await (
                await fetch(`${me.url}/widget/config`, { headers: { origin: WIDGET_ORIGIN } })
              ).json()) as WidgetConfig
            ).agents_online;
          // The widget follows availability as this node's site availability hears of it, which
          // may come a moment after the agents' own notice: wait for it (a ceiling, not a timing).
          const configSays = (online: boolean, what: string) =>
            eventually(async () => (await config()) === online, what);
          assert.equal(await config(), false);

          const owner = await inbox("owner");
          const annInbox = await inbox("ann");
          await owner.next(
            (m) => m.type === "agent_availability" && m.agent_id === ann.id && m.availability === "away",
          );
          // The owner hears their own coming online too (after their list: wait for it).
          await owner.next(
            (m) => m.type === "agent_availability" && m.agent_id === 1 && m.availability === "online",
          );
          await configSays(true, "the owner is online");
          const agents = async () =>
            ((await call("GET", "/agents")).body.agents as Agent[]).map((agent) => [
              agent.username,
              agent.availability,
              agent.chosen_availability,
            ]);
          assert.deepEqual(await agents(), [
            ["owner", "online", "online"],
            ["ann", "away", "away"],
          ]);
          owner.perform("set_availability", { availability: "away" });
          await annInbox.next(
            (m) => m.type === "agent_availability" && m.agent_id === 1 && m.availability === "away",
          );
          await configSays(false, "nobody online: the widget is offline");
          annInbox.perform("set_availability", { availability: "online" });
          await owner.next(
            (m) => m.type === "agent_availability" && m.agent_id === ann.id && m.availability === "online",
          );
          await configSays(true, "agents_online true");
          annInbox.perform("set_availability", { availability: "later" });
          await annInbox.next((m) => m.type === "error" && /availability must be/.test(String(m.error)));
          annInbox.perform("activity");
          // Remembered across sessions.
          assert.deepEqual(await agents(), [
            ["owner", "away", "away"],
            ["ann", "online", "online"],
          ]);
        }),
    );

    it("owner settings: auto_assign is a word, the numbers have ranges", { skip }, () =>
      withServer(async ({ call }) => {
        for (const bad of [
          { auto_assign: "yes" },
          { auto_assign: true },
          { auto_assign_cap: 1001 },
          { auto_assign_cap: -1 },
          { away_after_idle_minutes: 1441 },
          { away_after_idle_minutes: 1.5 },
        ])
          assert.equal((await call("PATCH", "/settings", bad)).status, 400, JSON.stringify(bad));
        const changed = await call("PATCH", "/settings", {
          auto_assign: "round_robin",
          auto_assign_cap: 3,
          away_after_idle_minutes: 0,
        });
        assert.equal(changed.status, 200);
        const settings = (await call("GET", "/settings")).body.settings as Record<string, unknown>;
        assert.deepEqual(
          [settings.auto_assign, settings.auto_assign_cap, settings.away_after_idle_minutes],
          ["round_robin", 3, 0],
        );
      }),
    );

    it(
      "round-robin: skips away and capped agents, rotates among online ones, off leaves conversations unassigned",
      { skip },
      () =>
        withServer(async ({ call, addAgent, inbox, newVisitor, conversationOf }) => {
          const [a1, a2, a3] = [await addAgent("a1"), await addAgent("a2"), await addAgent("a3")];
          const inboxes = [await inbox("a1"), await inbox("a2"), await inbox("a3")];
          inboxes[0]!.perform("set_availability", { availability: "away" });
          await inboxes[2]!.next(
            (m) => m.type === "agent_availability" && m.agent_id === a1.id && m.availability === "away",
          );

          /** A new visitor's first message, then a second one: by then the first was handled whole. */
          const newConversation = async (): Promise<Conversation> => {
            const visitor = await newVisitor();
            await visitor.say("hello");
            await visitor.say("anyone?");
            return (await call("GET", `/conversations/${await conversationOf(visitor)}`)).body
              .conversation as Conversation;
          };
          // a2 carries two open conversations (assigned by hand while the setting is off).
          for (let index = 0; index < 2; index++) {
            const conversation = await newConversation();
            assert.equal(conversation.assignee_id, null, "off: nobody is assigned");
            assert.equal(
              (await call("PUT", `/conversations/${conversation.id}/assignee`, { agent_id: a2.id })).status,
              200,
            );
          }
          await call("PATCH", "/settings", { auto_assign: "round_robin", auto_assign_cap: 2 });

          const first = [await newConversation(), await newConversation()];
          assert.deepEqual(
            first.map((c) => c.assignee_id),
            [a3.id, a3.id],
            "a1 is away, a2 at the cap",
          );
          const updated = await inboxes[2]!.next(
            (m) => m.type === "conversation_updated" && (m.conversation as Conversation).id === first[0]!.id,
          );
          assert.equal((updated.conversation as Conversation).assignee_id, a3.id);

          // a3's two are closed; a1 comes back: the two online agents alternate.
          for (const conversation of first) await call("POST", `/conversations/${conversation.id}/close`, {});
          inboxes[0]!.perform("set_availability", { availability: "online" });
          await inboxes[2]!.next(
            (m) => m.type === "agent_availability" && m.agent_id === a1.id && m.availability === "online",
          );
          const next: Array<number | null> = [];
          for (let index = 0; index < 4; index++) next.push((await newConversation()).assignee_id);
          assert.deepEqual(next, [a1.id, a3.id, a1.id, a3.id]);
          // Both now at the cap: nobody is eligible.
          assert.equal((await newConversation()).assignee_id, null);

          await call("PATCH", "/settings", { auto_assign: "off", auto_assign_cap: 0 });
          assert.equal((await newConversation()).assignee_id, null);
        }),
    );
  });
}

interface Parts {
  call: (
    method: string,
    path: string,
    json?: unknown,
    as?: string,
  ) => Promise<{ status: number; body: Record<string, unknown>; url: string }>;
  addAgent: (username: string) => Promise<Agent>;
  inbox: (as: string) => Promise<RecordingSubscription>;
  newVisitor: () => Promise<Visitor>;
  conversationOf: (visitor: Visitor) => Promise<number>;
}

async function parts(server: TestServer, consumers: Consumer[], visitors: Visitor[]): Promise<Parts> {
  const cookies = new Map<string, string>([["owner", await login(server.url)]]);
  const call: Parts["call"] = async (method, path, json, as = "owner") => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        cookie: cookies.get(as) ?? "",
        ...(json === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      url: server.url,
    };
  };
  return {
    call,
    async addAgent(username) {
      const created = await call("POST", "/agents", {
        username,
        password: PASSWORD,
        name: username.toUpperCase(),
      });
      if (created.status !== 201) throw new Error(`add agent: ${created.status}`);
      cookies.set(username, await login(server.url, { username, password: PASSWORD }));
      return created.body.agent as Agent;
    },
    async inbox(as) {
      const consumer = createConsumer(server.url, { cookie: cookies.get(as)! });
      consumers.push(consumer);
      const subscription = new RecordingSubscription(consumer, { channel: "AdminChannel" });
      await subscription.next((m) => m.type === "conversations");
      // Counted as connected only after the list: wait until the agent hears themselves arrive.
      const me = ((await call("GET", "/auth/me", undefined, as)).body.agent as Agent).id;
      await subscription.next(
        (m) => m.type === "agent_availability" && m.agent_id === me && m.availability !== "offline",
      );
      return subscription;
    },
    async newVisitor() {
      const visitor = await Visitor.connect(server.url);
      visitors.push(visitor);
      return visitor;
    },
    async conversationOf(visitor) {
      const found = await server.store.findConversationByToken(visitor.token);
      if (found === undefined) throw new Error("no conversation yet");
      return found.id;
    },
  };
}
