/**
 * The team's faces, reply expectations and first run (protocol §14) on a real server: agents'
 * photos (made from real PNG and JPEG files, refused when forged, too large or of another type,
 * served public and immutable, deleted when replaced, removed or their agent goes), the widget
 * config's team and reply time, `assign_on_reply`, and `GET /onboarding`. On SQLite, and on
 * Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import sharp from "sharp";
import {
  AVATAR_SIZE,
  MAX_AVATAR_BYTES,
  MAX_TEAM_FACES,
  type Agent,
  type OnboardingResponse,
  type WidgetConfig,
} from "@parley/protocol";
import type { StoredSite } from "../../src/store/store.js";
import { createConsumer, RecordingSubscription, type Received } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { runCli } from "../support/processes.js";
import {
  AGENT_ORIGIN,
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;
const AVATAR_URL = /^\/avatars\/[1-9]\d*-[0-9a-f]{16}\.webp$/;
const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

/** A 1x1 24-bit BMP: an image, of a type photos are not taken in. */
function bmp(): Buffer {
  const file = Buffer.alloc(58);
  file.write("BM", 0, "latin1");
  file.writeUInt32LE(58, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(1, 18);
  file.writeInt32LE(1, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  file.writeUInt32LE(4, 34);
  return file;
}

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`team faces, reply times, assign on reply and first run (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    const consumers: Consumer[] = [];
    const cookies = { owner: "", ann: "", bob: "" };
    const ids = { owner: 0, ann: 0, bob: 0 };

    const call = async (
      path: string,
      init: {
        method?: string;
        as?: keyof typeof cookies;
        token?: string;
        json?: unknown;
        form?: FormData;
      } = {},
    ) => {
      const headers = new Headers();
      if (init.as !== undefined) headers.set("cookie", cookies[init.as]);
      if (init.token !== undefined) headers.set("authorization", `Bearer ${init.token}`);
      if (init.json !== undefined) headers.set("content-type", "application/json");
      const response = await fetch(`${server.url}${path}`, {
        method: init.method ?? "GET",
        headers,
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
        ...(init.form === undefined ? {} : { body: init.form }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const upload = (as: keyof typeof cookies, bytes: Buffer, name: string, type: string) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
      return call("/agents/me/avatar", { method: "PUT", as, form });
    };
    const avatar = async (url: string) => {
      const response = await fetch(`${server.url}${url}`);
      return { response, bytes: Buffer.from(await response.arrayBuffer()) };
    };
    const config = async (site?: StoredSite) => {
      const response = await fetch(`${server.url}/widget/config${site ? `?site=${site.key}` : ""}`, {
        headers: { origin: site?.allowedOrigins[0] ?? WIDGET_ORIGIN },
      });
      assert.equal(response.status, 200);
      return (await response.json()) as WidgetConfig;
    };
    const connect = (options: Parameters<typeof createConsumer>[1]) => {
      const consumer = createConsumer(server.url, options);
      consumers.push(consumer);
      return consumer;
    };
    const adminOf = async (as: keyof typeof cookies) => {
      const subscription = new RecordingSubscription(connect({ cookie: cookies[as] }), {
        channel: "AdminChannel",
      });
      await subscription.until(() => subscription.confirmed);
      return subscription;
    };
    /** A visitor's conversation on the default site, started with one message; its id. */
    const conversationFromVisitor = async (pageUrl?: string) => {
      const token = visitorToken();
      const visitor = new RecordingSubscription(connect({ origin: WIDGET_ORIGIN }), {
        channel: "VisitorChannel",
        token,
      });
      await visitor.until(() => visitor.confirmed);
      if (pageUrl !== undefined) visitor.perform("page", { url: pageUrl });
      visitor.perform("send_message", { content: "hello?" });
      await visitor.next((m) => m.type === "message");
      return (await server.store.findConversationByToken(token))!.id;
    };
    let sites = 0;
    const newSite = async (agentIds: number[] | null) => {
      const origin = `http://site${++sites}.example`;
      const defaults = await server.store.getDefaultSite();
      const site = await server.store.createSite({
        key: `faces-site-key-${String(sites).padStart(9, "0")}`,
        name: `Site ${sites}`,
        allowedOrigins: [origin],
        widget: defaults.widget,
        businessHours: null,
        agentIds,
        at: new Date().toISOString(),
      });
      await server.chat.sites.load();
      return site;
    };

    before(async () => {
      server = await startTestServer(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {});
      cookies.owner = await login(server.url);
      ids.owner = (await server.store.findAgentByUsername("owner"))!.id;
      ids.ann = (await server.chat.team.add({ username: "ann", password: "ann-password", name: "Ann" })).id;
      ids.bob = (await server.chat.team.add({ username: "bob", password: "bob-password", name: "Bob" })).id;
      cookies.ann = await login(server.url, { username: "ann", password: "ann-password" });
      cookies.bob = await login(server.url, { username: "bob", password: "bob-password" });
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await server.dispose();
    });

    describe("first run", () => {
      it("answers what the checklist asks: nothing yet on a new server", async () => {
        const { status, body } = await call("/onboarding", { as: "ann" });
        assert.equal(status, 200);
        assert.deepEqual(body, { widget_installed: false, has_conversation: false, team_size: 3 });
        assert.equal((await call("/onboarding")).status, 401);
      });

      it("counts a page on the server's own origins as no installation", async () => {
        const site = await server.store.getDefaultSite();
        const at = new Date().toISOString();
        for (const url of [`${server.url}/`, `${server.url}/?demo=1`, `${AGENT_ORIGIN}/admin`]) {
          const visitor = await server.store.ensureVisitor(site.id, visitorToken(), at);
          await server.store.recordPageView(visitor.id, {
            page: { url, title: null, at },
            referrer: null,
            utm: {},
            userAgent: null,
            browser: null,
            os: null,
            device: null,
            language: null,
            timeZone: null,
            ipAddress: null,
            keepPages: 50,
          });
        }
        assert.equal((await call("/onboarding", { as: "owner" })).body.widget_installed, false);
      });

      it("sees the widget installed once a visitor's page on a site comes, and the conversation", async () => {
        await conversationFromVisitor(`${WIDGET_ORIGIN}/pricing`);
        const { body } = await call("/onboarding", { as: "bob" });
        assert.deepEqual(body, {
          widget_installed: true,
          has_conversation: true,
          team_size: 3,
        } satisfies OnboardingResponse);
      });
    });

    describe("photos", () => {
      let first = "";

      it("makes a non-square PNG a centred 256 px WebP, public and immutable", async () => {
        // Left half red, right half blue: the centre crop keeps both.
        const png = await sharp({
          create: { width: 400, height: 200, channels: 3, background: { r: 255, g: 0, b: 0 } },
        })
          .composite([
            {
              input: await sharp({
                create: { width: 200, height: 200, channels: 3, background: { r: 0, g: 0, b: 255 } },
              })
                .png()
                .toBuffer(),
              left: 200,
              top: 0,
            },
          ])
          .png()
          .toBuffer();
        const { status, body } = await upload("ann", png, "me.png", "image/png");
        assert.equal(status, 200, JSON.stringify(body));
        const agent = body.agent as Agent;
        assert.equal(agent.id, ids.ann);
        assert.match(agent.avatar_url!, AVATAR_URL);
        first = agent.avatar_url!;

        const { response, bytes } = await avatar(first);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "image/webp");
        assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
        assert.equal(response.headers.get("cross-origin-resource-policy"), "cross-origin");
        assert.equal(response.headers.get("x-content-type-options"), "nosniff");
        assert.equal(response.headers.get("access-control-allow-origin"), "*");
        // Any site's page may show it, and its script read it.
        const elsewhere = await fetch(`${server.url}${first}`, {
          headers: { origin: "https://any.example" },
        });
        assert.equal(elsewhere.status, 200);
        assert.equal(elsewhere.headers.get("access-control-allow-origin"), "*");
        const metadata = await sharp(bytes).metadata();
        assert.deepEqual(
          [metadata.format, metadata.width, metadata.height],
          ["webp", AVATAR_SIZE, AVATAR_SIZE],
        );
        const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
        const pixel = (x: number) => [
          ...data.subarray((64 * AVATAR_SIZE + x) * 3, (64 * AVATAR_SIZE + x) * 3 + 3),
        ];
        assert.ok(pixel(10)[0]! > 200 && pixel(10)[2]! < 60, `left is red: ${pixel(10).join()}`);
        assert.ok(pixel(245)[2]! > 200 && pixel(245)[0]! < 60, `right is blue: ${pixel(245).join()}`);
      });

      it("shows the photo wherever the agent is: /auth/me and the team", async () => {
        assert.equal(((await call("/auth/me", { as: "ann" })).body.agent as Agent).avatar_url, first);
        const agents = (await call("/agents", { as: "bob" })).body.agents as Agent[];
        assert.deepEqual(
          agents.map((agent) => [agent.username, agent.avatar_url]),
          [
            ["owner", null],
            ["ann", first],
            ["bob", null],
          ],
        );
      });

      it("leaves a JPEG's EXIF behind; the replaced photo's URL is gone", async () => {
        const jpeg = await sharp({
          create: { width: 300, height: 500, channels: 3, background: { r: 0, g: 160, b: 0 } },
        })
          .jpeg()
          .withExif({ IFD0: { Copyright: "Secret Corp", ImageDescription: "at home" } })
          .toBuffer();
        assert.ok((await sharp(jpeg).metadata()).exif !== undefined, "the upload carries EXIF");
        const { status, body } = await upload("ann", jpeg, "me.jpg", "image/jpeg");
        assert.equal(status, 200, JSON.stringify(body));
        const second = (body.agent as Agent).avatar_url!;
        assert.match(second, AVATAR_URL);
        assert.notEqual(second, first);

        const { response, bytes } = await avatar(second);
        assert.equal(response.status, 200);
        const metadata = await sharp(bytes).metadata();
        assert.deepEqual(
          [metadata.width, metadata.height, metadata.exif],
          [AVATAR_SIZE, AVATAR_SIZE, undefined],
        );
        assert.ok(!bytes.includes(Buffer.from("Secret Corp")));
        assert.equal((await avatar(first)).response.status, 404);
        first = second;
      });

      it("refuses what is not a PNG, JPEG, WebP or GIF, and what is too large", async () => {
        const text = Buffer.from("not a picture at all\n");
        assert.equal((await upload("ann", text, "me.png", "image/png")).status, 400);
        // A PNG's signature on bytes that are no PNG.
        const forged = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(200, 7)]);
        assert.equal((await upload("ann", forged, "me.png", "image/png")).status, 400);
        const other = await upload("ann", bmp(), "me.bmp", "image/bmp");
        assert.equal(other.status, 415, JSON.stringify(other.body));
        const huge = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(MAX_AVATAR_BYTES)]);
        const tooLarge = await upload("ann", huge, "me.png", "image/png");
        assert.equal(tooLarge.status, 413);
        assert.equal(tooLarge.body.code, "payload_too_large");
        const nobody = new FormData();
        nobody.append("file", new Blob([new Uint8Array(bmp())]), "me.bmp");
        assert.equal((await call("/agents/me/avatar", { method: "PUT", form: nobody })).status, 401);
        // Nothing refused changed the photo.
        assert.equal(((await call("/auth/me", { as: "ann" })).body.agent as Agent).avatar_url, first);
        assert.equal((await avatar(first)).response.status, 200);
      });

      it("answers 404 for any name that is not a photo's", async () => {
        for (const name of [
          "1-0123456789abcdef.webp",
          "..%2F..%2Fparley.sqlite3",
          `${first.slice("/avatars/".length, -".webp".length)}.png`,
          "x",
        ]) {
          const response = await fetch(`${server.url}/avatars/${name}`);
          assert.equal(response.status, 404, name);
        }
      });

      it("removes the photo: avatar_url null, its URL gone", async () => {
        const { status, body } = await call("/agents/me/avatar", { method: "DELETE", as: "ann" });
        assert.equal(status, 200);
        assert.equal((body.agent as Agent).avatar_url, null);
        assert.equal((await avatar(first)).response.status, 404);
        // Nothing to remove is no error.
        assert.equal((await call("/agents/me/avatar", { method: "DELETE", as: "ann" })).status, 200);
      });

      it("deletes a removed agent's photo with them", async () => {
        await server.chat.team.add({ username: "cleo", password: "cleo-password", name: "Cleo" });
        const cleo = await login(server.url, { username: "cleo", password: "cleo-password" });
        const png = await sharp({ create: { width: 64, height: 64, channels: 4, background: "#ffcc00" } })
          .png()
          .toBuffer();
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "c.png");
        const response = await fetch(`${server.url}/agents/me/avatar`, {
          method: "PUT",
          headers: { cookie: cleo },
          body: form,
        });
        const agent = ((await response.json()) as { agent: Agent }).agent;
        assert.equal((await avatar(agent.avatar_url!)).response.status, 200);
        assert.equal((await call(`/agents/${agent.id}`, { method: "DELETE", as: "owner" })).status, 200);
        assert.equal((await avatar(agent.avatar_url!)).response.status, 404);
      });
    });

    it("deletes the photo of an agent removed with `parley agent remove`", async () => {
      await server.chat.team.add({ username: "dora", password: "dora-password", name: "Dora" });
      const dora = await login(server.url, { username: "dora", password: "dora-password" });
      const form = new FormData();
      const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#00ffcc" } })
        .png()
        .toBuffer();
      form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "d.png");
      const response = await fetch(`${server.url}/agents/me/avatar`, {
        method: "PUT",
        headers: { cookie: dora },
        body: form,
      });
      const { agent } = (await response.json()) as { agent: Agent };
      assert.equal((await avatar(agent.avatar_url!)).response.status, 200);
      const result = await runCli(["agent", "remove", "dora"], {
        STORAGE_DIR: server.storageDir,
        LOG_LEVEL: "warn",
        ...(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {}),
      });
      assert.equal(result.code, 0, result.output);
      assert.equal((await avatar(agent.avatar_url!)).response.status, 404);
    });

    describe("the widget's team", () => {
      it("lists the site's team only, online ones first, with no username or role", async () => {
        const site = await newSite([ids.ann]);
        const pictured = await upload(
          "ann",
          await sharp({ create: { width: 32, height: 32, channels: 3, background: "#336699" } })
            .png()
            .toBuffer(),
          "a.png",
          "image/png",
        );
        const annPhoto = (pictured.body.agent as Agent).avatar_url;
        // Nobody online: the owner (who answers every site) first, as they joined first.
        assert.deepEqual((await config(site)).team, [
          { id: ids.owner, name: "owner", avatar_url: null, online: false },
          { id: ids.ann, name: "Ann", avatar_url: annPhoto, online: false },
        ]);

        // A visitor of the site hears when its team is there: then Ann is online everywhere.
        const visitor = new RecordingSubscription(connect({ origin: site.allowedOrigins[0]! }), {
          channel: "VisitorChannel",
          token: visitorToken(),
          site: site.key,
        });
        await visitor.next((m) => m.type === "availability" && m.online === false);
        const ann = await adminOf("ann");
        await visitor.next((m) => m.type === "availability" && m.online === true);
        const team = (await config(site)).team;
        assert.deepEqual(
          team.map((member) => [member.id, member.online]),
          [
            [ids.ann, true],
            [ids.owner, false],
          ],
        );
        for (const member of team)
          assert.deepEqual(Object.keys(member).sort(), ["avatar_url", "id", "name", "online"]);
        ann.subscription.unsubscribe();
      });

      it("shows at most MAX_TEAM_FACES faces, and a new name at once", async () => {
        for (let i = 0; i < MAX_TEAM_FACES; i++)
          await server.chat.team.add({
            username: `extra${i}`,
            password: "extra-password",
            name: `Extra ${i}`,
          });
        const everyone = await config();
        assert.equal(everyone.team.length, MAX_TEAM_FACES);

        assert.equal(
          (await call("/agents/me", { method: "PATCH", as: "bob", json: { name: "Robert" } })).status,
          200,
        );
        const site = await newSite([ids.bob]);
        assert.deepEqual(
          (await config(site)).team.map((member) => member.name),
          ["owner", "Robert"],
        );
      });
    });

    describe("reply time", () => {
      /** A conversation on the site whose visitor wrote at `visitorAt` and was answered `afterS` later. */
      const seed = async (site: StoredSite, visitorAt: Date, afterS: number | null) => {
        const { conversation } = await server.store.appendFirstMessage({
          conversation: { token: visitorToken(), visitorName: null, createdIp: null, siteId: site.id },
          sender: "visitor",
          content: "hi",
          clientId: null,
          agentId: null,
          agentName: null,
          at: visitorAt.toISOString(),
        });
        // A second visitor message before the reply does not move the start.
        await server.store.appendMessage({
          conversationId: conversation.id,
          sender: "visitor",
          content: "anyone?",
          clientId: null,
          agentId: null,
          agentName: null,
          at: new Date(visitorAt.getTime() + 5 * SECOND).toISOString(),
        });
        if (afterS === null) return;
        for (const extra of [0, 30]) {
          await server.store.appendMessage({
            conversationId: conversation.id,
            sender: "admin",
            content: "hello",
            clientId: null,
            agentId: ids.owner,
            agentName: "owner",
            at: new Date(visitorAt.getTime() + (afterS + extra) * SECOND).toISOString(),
          });
        }
      };

      it("is the median first reply over the window, computed in the background", async () => {
        const site = await newSite(null);
        const now = Date.now();
        await seed(site, new Date(now - 2 * DAY), 60);
        await seed(site, new Date(now - 3 * DAY), 600);
        await seed(site, new Date(now - 1 * DAY), 120);
        // Unanswered, and answered outside the window: neither counts.
        await seed(site, new Date(now - 2 * 60 * SECOND), null);
        await seed(site, new Date(now - 20 * DAY), 5);
        await seed(site, new Date(now - 16 * DAY), 5);

        // Never computed for this site: the first config does not wait, and starts it.
        assert.equal((await config(site)).reply_time_seconds, null);
        await server.chat.replyTimes.idle();
        assert.equal((await config(site)).reply_time_seconds, 120);
      });

      it("is null under REPLY_TIME_MIN_SAMPLES answered conversations", async () => {
        const site = await newSite(null);
        const now = Date.now();
        await seed(site, new Date(now - DAY), 60);
        await seed(site, new Date(now - DAY), 90);
        await seed(site, new Date(now - 30 * DAY), 90);
        await server.chat.replyTimes.refresh(site.id);
        assert.equal((await config(site)).reply_time_seconds, null);
      });
    });

    describe("assign on reply", () => {
      it("is on by default, a switch owners change, and no number", async () => {
        const { body } = await call("/settings", { as: "owner" });
        assert.equal((body.settings as { assign_on_reply: boolean }).assign_on_reply, true);
        assert.equal(
          (await call("/settings", { method: "PATCH", as: "owner", json: { assign_on_reply: 1 } })).status,
          400,
        );
        assert.equal(
          (await call("/settings", { method: "PATCH", as: "ann", json: { assign_on_reply: false } })).status,
          403,
        );
      });

      it("assigns an unassigned conversation to the agent who replies, announced live", async () => {
        const owner = await adminOf("owner");
        const ann = await adminOf("ann");
        const conversationId = await conversationFromVisitor();
        ann.perform("send_message", {
          conversation_id: conversationId,
          content: "I'm on it",
          client_id: "c-1",
        });
        const seen = await owner.next(
          (m: Received) =>
            m.type === "conversation_updated" &&
            (m.conversation as { id: number; assignee_id: number | null }).id === conversationId &&
            (m.conversation as { assignee_id: number | null }).assignee_id === ids.ann,
        );
        assert.ok(seen);
        assert.equal((await server.store.getConversation(conversationId))!.assigneeId, ids.ann);

        // Someone else's reply does not take it.
        const reply = await call(`/conversations/${conversationId}/messages`, {
          method: "POST",
          as: "bob",
          json: { content: "me too" },
        });
        assert.equal(reply.status, 201);
        assert.equal((await server.store.getConversation(conversationId))!.assigneeId, ids.ann);
        owner.subscription.unsubscribe();
        ann.subscription.unsubscribe();
      });

      it("assigns on a reply by an agent's API token too", async () => {
        const created = await call("/api_tokens", {
          method: "POST",
          as: "bob",
          json: { name: "script", scope: "read_write" },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const conversationId = await conversationFromVisitor();
        const reply = await call(`/conversations/${conversationId}/messages`, {
          method: "POST",
          token: created.body.token as string,
          json: { content: "from a script" },
        });
        assert.equal(reply.status, 201);
        assert.equal((await server.store.getConversation(conversationId))!.assigneeId, ids.bob);
      });

      it("leaves the conversation unassigned when the owner turns it off", async () => {
        const off = await call("/settings", {
          method: "PATCH",
          as: "owner",
          json: { assign_on_reply: false },
        });
        assert.equal(off.status, 200);
        assert.equal((off.body.settings as { assign_on_reply: boolean }).assign_on_reply, false);
        assert.ok(!(off.body.fixed_by_environment as string[]).includes("assign_on_reply"));
        const conversationId = await conversationFromVisitor();
        const reply = await call(`/conversations/${conversationId}/messages`, {
          method: "POST",
          as: "ann",
          json: { content: "hello" },
        });
        assert.equal(reply.status, 201);
        assert.equal((await server.store.getConversation(conversationId))!.assigneeId, null);
        await call("/settings", { method: "PATCH", as: "owner", json: { assign_on_reply: true } });
      });
    });
  });
