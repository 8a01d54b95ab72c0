/**
 * CSAT end to end on the server (protocol §18): visitors chat over the real cable, an agent is
 * assigned, replies and resolves, each visitor rates with the real `rate` action, and GET /reports
 * and its CSV count those ratings on the day they were given in the reader's time zone, for that
 * agent and that site (not for the owner, not for another site). The ratings suites elsewhere
 * write ratings by hand or stop at the store: this one joins the two halves. SQLite, and Postgres
 * with TEST_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import type { ReportResponse } from "@parley/protocol";
import { createConsumer, RecordingSubscription, type Received } from "../support/cable.js";
import { POSTGRES_SKIP } from "../support/postgres.js";
import { AGENT_ORIGIN, visitorToken } from "../support/testServer.js";
import { reportWorld, type ReportWorld } from "./harness.js";

type Rating = { score: number; comment: string | null; agent_id: number | null; rated_at: string };

/** Far from UTC, so the local day is often not the UTC one: the report must cut by the zone. */
const TIME_ZONE = "Pacific/Kiritimati";

/** The date (YYYY-MM-DD) of `at` on TIME_ZONE's clock, `offset` days later. */
function localDate(at: string, offset = 0): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(at));
  const day = new Date(`${parts}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + offset);
  return day.toISOString().slice(0, 10);
}

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : undefined;
  describe(`ratings given over the cable land in the report (${engine})`, { skip }, () => {
    let world: ReportWorld;
    let ada: { id: number; name: string; cookie: string };
    let ownerId: number;
    let siteId: number;
    let shopId: number;
    let owner: RecordingSubscription;
    const consumers: Consumer[] = [];
    const ratings: Rating[] = [];

    const subscribe = async (
      options: Parameters<typeof createConsumer>[1],
      identifier: { channel: string },
    ) => {
      const consumer = createConsumer(world.server.url, options);
      consumers.push(consumer);
      return new RecordingSubscription(consumer, identifier);
    };
    const upcoming = (who: RecordingSubscription) => {
      const start = who.received.length;
      return (predicate: (m: Received) => boolean) =>
        who.until(() => who.received.slice(start).find(predicate));
    };
    const rest = async (cookie: string, path: string, method: string, json: unknown) => {
      const response = await fetch(`${world.server.url}${path}`, {
        method,
        headers: { cookie, origin: AGENT_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify(json),
      });
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    };

    /** A visitor writes, Ada is assigned, replies and resolves; the visitor rates `score`. */
    const ratedConversation = async (score: number, comment: string | null) => {
      const visitor = await subscribe({ token: visitorToken() }, { channel: "VisitorChannel" });
      await visitor.until(() => visitor.confirmed);
      await visitor.next((m) => m.type === "availability");
      const created = upcoming(owner);
      visitor.perform("send_message", { content: `rating ${score} coming`, client_id: "first" });
      const id = (await created((m) => m.type === "new_message")).conversation_id as number;

      await rest(world.ownerCookie, `/conversations/${id}/assignee`, "PUT", { agent_id: ada.id });
      await rest(ada.cookie, `/conversations/${id}/messages`, "POST", { content: "Done, anything else?" });
      const asked = upcoming(visitor);
      await rest(ada.cookie, `/conversations/${id}/state`, "PUT", { state: "resolved" });
      assert.deepEqual(await asked((m) => m.type === "rating_requested"), {
        type: "rating_requested",
        conversation_id: id,
      });

      const rated = upcoming(visitor);
      visitor.perform("rate", { score, ...(comment === null ? {} : { comment }) });
      const rating = (await rated((m) => m.type === "rated")).rating as Rating;
      assert.equal(rating.score, score);
      assert.equal(rating.agent_id, ada.id);
      ratings.push(rating);
    };

    before(async () => {
      world = await reportWorld(engine);
      const { store } = world.server;
      ada = await world.addAgent("Ada");
      ownerId = (await store.listAgents()).find((agent) => agent.role === "owner")!.id;
      siteId = (await store.getDefaultSite()).id;
      // A second site, rated nowhere: the ratings must not leak into its row.
      const made = await fetch(`${world.server.url}/sites`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: world.ownerCookie, origin: AGENT_ORIGIN },
        body: JSON.stringify({ name: "Shop", allowed_origins: ["https://shop.example"] }),
      });
      assert.equal(made.status, 201, await made.clone().text());
      shopId = ((await made.json()) as { site: { id: number } }).site.id;
      owner = await subscribe({ cookie: world.ownerCookie }, { channel: "AdminChannel" });
      await owner.next((m) => m.type === "conversations");

      await ratedConversation(5, "Quick and kind");
      await ratedConversation(4, null);
      await ratedConversation(2, "Took a while");
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await world.dispose();
    });

    const expected = { count: 3, average: 3.67, satisfied_percent: 66.7, scores: [0, 1, 0, 1, 1] };
    const none = { count: 0, average: null, satisfied_percent: null, scores: [0, 0, 0, 0, 0] };

    /** Since the day before the first rating until the day after the last, on TIME_ZONE's clock. */
    const period = () => {
      const first = ratings[0]!.rated_at;
      const last = ratings.at(-1)!.rated_at;
      return `since=${localDate(first, -1)}&until=${localDate(last, 1)}&time_zone=${encodeURIComponent(TIME_ZONE)}`;
    };

    it("counts them in the totals, on their local day, for Ada and the default site only", async () => {
      const response = await world.get(`/reports?${period()}`);
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as ReportResponse;
      assert.deepEqual(body.totals.ratings, expected);
      assert.equal(body.totals.resolved, 3);

      // Every rating's local day, and no other, holds them (the three fall on one day or two).
      const perDay = new Map<string, number>();
      for (const rating of ratings)
        perDay.set(localDate(rating.rated_at), (perDay.get(localDate(rating.rated_at)) ?? 0) + 1);
      for (const day of body.days) assert.equal(day.ratings.count, perDay.get(day.date) ?? 0, day.date);
      if (perDay.size === 1)
        assert.deepEqual(body.days.find((day) => perDay.has(day.date))!.ratings, expected);

      const sites = new Map(body.sites.map((site) => [site.id, site.ratings]));
      assert.deepEqual(sites.get(siteId), expected);
      assert.deepEqual(sites.get(shopId), none);
      const agents = new Map(body.agents.map((agent) => [agent.id, agent]));
      assert.deepEqual(agents.get(ada.id)!.ratings, expected);
      assert.equal(agents.get(ada.id)!.agent_messages, 3);
      assert.deepEqual(agents.get(ownerId)!.ratings, none);

      // Ada's own report says the same.
      const own = (await (await world.get(`/reports?${period()}`, ada.cookie)).json()) as ReportResponse;
      assert.equal(own.agent_id, ada.id);
      assert.deepEqual(own.totals.ratings, expected);
    });

    it("exports the same figures as CSV", async () => {
      const csv = async (table: string) => {
        const response = await world.get(`/reports/export?${period()}&table=${table}`);
        assert.equal(response.status, 200, table);
        const [header, ...rows] = (await response.text()).split("\r\n").filter((line) => line !== "");
        const columns = header!.split(",");
        return rows.map((row) => {
          const cells = row.split(",");
          return Object.fromEntries(columns.map((column, i) => [column, cells[i]]));
        });
      };
      const ratingCells = (row: Record<string, string | undefined>) => [
        row.ratings_count,
        row.ratings_average,
        row.ratings_satisfied_percent,
      ];
      const agents = await csv("agents");
      assert.deepEqual(ratingCells(agents.find((row) => row.id === String(ada.id))!), ["3", "3.67", "66.7"]);
      assert.deepEqual(ratingCells(agents.find((row) => row.id === String(ownerId))!), ["0", "", ""]);
      const sites = await csv("sites");
      assert.deepEqual(ratingCells(sites.find((row) => row.id === String(siteId))!), ["3", "3.67", "66.7"]);
      assert.deepEqual(ratingCells(sites.find((row) => row.id === String(shopId))!), ["0", "", ""]);
      const days = await csv("days");
      const counted = days.reduce((sum, row) => sum + Number(row.ratings_count), 0);
      assert.equal(counted, 3);
      for (const rating of ratings)
        assert.notEqual(days.find((row) => row.date === localDate(rating.rated_at))!.ratings_count, "0");
    });
  });
}
