/**
 * Reports (protocol §18) against answers worked out by hand: a small dataset around New York's
 * spring-forward day (2026-03-08, a 23-hour day) read in America/New_York, and again in
 * Asia/Kolkata (+05:30); what an agent sees; the CSV; the 400s. SQLite, and Postgres with
 * TEST_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DurationStats, ReportFigures, ReportResponse } from "@parley/protocol";
import type { Store } from "../../src/store/store.js";
import { POSTGRES_SKIP } from "../support/postgres.js";
import { AGENT_ORIGIN, visitorToken } from "../support/testServer.js";
import { reportWorld, type ReportWorld } from "./harness.js";

type Agent = { id: number; name: string; cookie: string };

/** Seeds one conversation: created at the first visitor message, then each message in order. */
async function conversation(
  store: Store,
  siteId: number,
  messages: Array<[string, "visitor" | Agent]>,
  options: { assignee: Agent; resolvedAt?: string[] },
): Promise<number> {
  const [first] = messages;
  const { conversation: created } = await store.createConversation({
    token: visitorToken(),
    visitorName: null,
    createdIp: null,
    siteId,
    at: first![0],
  });
  for (const [at, from] of messages) {
    await store.appendMessage({
      conversationId: created.id,
      sender: from === "visitor" ? "visitor" : "admin",
      content: `at ${at}`,
      clientId: null,
      agentId: from === "visitor" ? null : from.id,
      agentName: from === "visitor" ? null : from.name,
      at,
    });
  }
  await store.updateConversation(created.id, { assigneeId: options.assignee.id });
  // Each resolution but the last is undone by a reopen: only the last one counts.
  for (const [index, at] of (options.resolvedAt ?? []).entries()) {
    await store.updateConversation(created.id, { state: "resolved", stateAt: at });
    if (index < options.resolvedAt!.length - 1) await store.updateConversation(created.id, { state: "open" });
  }
  return created.id;
}

const durations = (count: number, median: number | null, p90: number | null): DurationStats => ({
  count,
  median_seconds: median,
  p90_seconds: p90,
});

function figures(
  counts: [conversations: number, visitor: number, agent: number, resolved: number, unanswered: number],
  firstResponse: DurationStats,
  resolution: DurationStats,
  scores: [number, number, number, number, number],
): ReportFigures {
  const rated = scores.reduce((a, b) => a + b, 0);
  const points = scores.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return {
    conversations: counts[0],
    visitor_messages: counts[1],
    agent_messages: counts[2],
    resolved: counts[3],
    unanswered: counts[4],
    first_response: firstResponse,
    resolution,
    ratings: {
      count: rated,
      average: rated === 0 ? null : Math.round((points / rated) * 100) / 100,
      satisfied_percent: rated === 0 ? null : Math.round(((scores[3] + scores[4]) / rated) * 1000) / 10,
      scores,
    },
  };
}

const NONE = durations(0, null, null);
const zero = figures([0, 0, 0, 0, 0], NONE, NONE, [0, 0, 0, 0, 0]);
const strip = ({ date: _date, ...rest }: ReportFigures & { date?: string }) => rest;
const stripBreakdown = ({ id: _id, name: _name, ...rest }: ReportFigures & { id: number; name: string }) =>
  rest;

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : undefined;
  describe(`reports with known answers (${engine})`, { skip }, () => {
    let world: ReportWorld;
    let ada: Agent;
    let bea: Agent;
    let siteA: number;
    let siteB: number;

    before(async () => {
      world = await reportWorld(engine);
      const { store } = world.server;
      ada = await world.addAgent("Ada");
      bea = await world.addAgent("Bea");
      siteA = (await store.getDefaultSite()).id;
      const made = await fetch(`${world.server.url}/sites`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: world.ownerCookie, origin: AGENT_ORIGIN },
        body: JSON.stringify({
          name: "=Shop",
          allowed_origins: ["https://shop.example"],
          agent_ids: [bea.id],
        }),
      });
      assert.equal(made.status, 201, await made.clone().text());
      siteB = ((await made.json()) as { site: { id: number } }).site.id;

      // Times are UTC; New York is −05:00 until 2026-03-08T07:00Z, −04:00 after.
      const c1 = await conversation(
        store,
        siteA,
        [
          ["2026-03-07T14:00:00.000Z", "visitor"],
          ["2026-03-07T14:01:40.000Z", ada],
          ["2026-03-07T14:05:00.000Z", "visitor"],
          ["2026-03-07T14:06:00.000Z", ada],
        ],
        { assignee: ada, resolvedAt: ["2026-03-07T16:00:00.000Z"] },
      );
      // A note is never a message.
      await store.appendNote({
        conversationId: c1,
        agentId: ada.id,
        agentName: "Ada",
        content: "private",
        mentionIds: [],
        clientId: null,
        at: "2026-03-07T14:02:00.000Z",
      });
      const c2 = await conversation(
        store,
        siteA,
        [
          ["2026-03-08T06:30:00.000Z", "visitor"],
          ["2026-03-08T06:35:00.000Z", bea],
        ],
        { assignee: bea, resolvedAt: ["2026-03-08T07:30:00.000Z"] },
      );
      await conversation(
        store,
        siteA,
        [
          ["2026-03-08T07:30:00.000Z", "visitor"],
          ["2026-03-08T07:30:20.000Z", ada],
        ],
        { assignee: ada },
      );
      // 00:30 on Monday in New York (EDT): 23:30 on Sunday had the offset not changed.
      await conversation(store, siteB, [["2026-03-09T04:30:00.000Z", "visitor"]], { assignee: bea });
      const c5 = await conversation(
        store,
        siteB,
        [
          ["2026-03-09T15:00:00.000Z", "visitor"],
          ["2026-03-09T15:01:00.000Z", "visitor"],
          ["2026-03-09T15:10:00.000Z", bea],
        ],
        { assignee: bea, resolvedAt: ["2026-03-09T15:20:00.000Z"] },
      );
      // Started a second before the period (23:59:59 on the 6th in New York); answered and
      // resolved inside it.
      await conversation(
        store,
        siteA,
        [
          ["2026-03-07T04:59:59.000Z", "visitor"],
          ["2026-03-07T05:00:10.000Z", ada],
        ],
        { assignee: ada, resolvedAt: ["2026-03-07T05:09:59.000Z"] },
      );
      // After the period (midnight of the 10th in New York).
      await conversation(store, siteA, [["2026-03-10T04:00:00.000Z", "visitor"]], { assignee: ada });
      // Resolved, reopened, resolved again two days later: that last resolution counts.
      await conversation(
        store,
        siteA,
        [
          ["2026-03-07T20:00:00.000Z", "visitor"],
          ["2026-03-07T20:00:50.000Z", ada],
        ],
        { assignee: ada, resolvedAt: ["2026-03-07T21:00:00.000Z", "2026-03-09T12:00:00.000Z"] },
      );
      // Ratings come from another part of the server: written here as it writes them.
      for (const [conversationId, siteId, agent, score, at] of [
        [c1, siteA, ada.id, 5, "2026-03-07T16:10:00.000Z"],
        [c2, siteA, bea.id, 2, "2026-03-08T08:00:00.000Z"],
        [c5, siteB, bea.id, 4, "2026-03-09T15:30:00.000Z"],
      ] as const) {
        await world.rows(
          "insert into conversation_ratings (conversation_id, site_id, agent_id, score, comment, rated_at) values (?, ?, ?, ?, null, ?)",
          [conversationId, siteId, agent, score, at],
        );
      }
    });
    after(() => world.dispose());

    const report = async (query: string, cookie?: string): Promise<ReportResponse> => {
      const response = await world.get(`/reports?${query}`, cookie);
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as ReportResponse;
    };

    it("counts per local day across the spring-forward day in America/New_York", async () => {
      const body = await report("since=2026-03-07&until=2026-03-09&time_zone=America/New_York");
      assert.equal(body.since, "2026-03-07");
      assert.equal(body.until, "2026-03-09");
      assert.equal(body.time_zone, "America/New_York");
      assert.equal(body.site_id, null);
      assert.equal(body.agent_id, null);
      assert.deepEqual(
        body.days.map((day) => day.date),
        ["2026-03-07", "2026-03-08", "2026-03-09"],
      );
      assert.deepEqual(
        strip(body.days[0]!),
        figures([2, 3, 4, 2, 0], durations(2, 50, 100), durations(2, 600, 7200), [0, 0, 0, 0, 1]),
      );
      assert.deepEqual(
        strip(body.days[1]!),
        figures([2, 2, 2, 1, 0], durations(2, 20, 300), durations(1, 3600, 3600), [0, 1, 0, 0, 0]),
      );
      assert.deepEqual(
        strip(body.days[2]!),
        figures([2, 3, 1, 2, 1], durations(1, 600, 600), durations(2, 1200, 144000), [0, 0, 0, 1, 0]),
      );
      assert.deepEqual(
        body.totals,
        figures([6, 8, 7, 5, 1], durations(5, 100, 600), durations(5, 3600, 144000), [0, 1, 0, 1, 1]),
      );
      assert.equal(body.totals.ratings.average, 3.67);
      assert.equal(body.totals.ratings.satisfied_percent, 66.7);
    });

    it("counts conversations by local weekday and hour, either side of the change", async () => {
      const body = await report("since=2026-03-07&until=2026-03-09&time_zone=America/New_York");
      const expected = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
      expected[5]![9] = 1; // Saturday 09:00 EST
      expected[5]![15] = 1; // Saturday 15:00 EST
      expected[6]![1] = 1; // Sunday 01:30 EST
      expected[6]![3] = 1; // Sunday 03:30 EDT
      expected[0]![0] = 1; // Monday 00:30 EDT
      expected[0]![11] = 1; // Monday 11:00 EDT
      assert.deepEqual(body.busiest_hours, expected);
    });

    it("breaks the period down per site and per agent by the §18 rules", async () => {
      const body = await report("since=2026-03-07&until=2026-03-09&time_zone=America/New_York");
      assert.deepEqual(
        body.sites.map((site) => [site.id, site.name]),
        [
          [siteA, (await world.server.store.getSite(siteA))!.name],
          [siteB, "=Shop"],
        ],
      );
      assert.deepEqual(
        stripBreakdown(body.sites[0]!),
        figures([4, 5, 6, 4, 0], durations(4, 50, 300), durations(4, 3600, 144000), [0, 1, 0, 0, 1]),
      );
      assert.deepEqual(
        stripBreakdown(body.sites[1]!),
        figures([2, 3, 1, 1, 1], durations(1, 600, 600), durations(1, 1200, 1200), [0, 0, 0, 1, 0]),
      );
      const byName = new Map(body.agents.map((agent) => [agent.name, agent]));
      const names = body.agents.map((agent) => agent.name);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.localeCompare(b)),
      );
      assert.equal(names.length, 3, "the owner, Ada and Bea");
      assert.deepEqual(
        stripBreakdown(byName.get("Ada")!),
        figures([3, 4, 5, 3, 0], durations(3, 50, 100), durations(3, 7200, 144000), [0, 0, 0, 0, 1]),
      );
      assert.deepEqual(
        stripBreakdown(byName.get("Bea")!),
        figures([3, 4, 2, 2, 1], durations(2, 300, 600), durations(2, 1200, 3600), [0, 1, 0, 1, 0]),
      );
    });

    it("cuts days and hours at :30 in Asia/Kolkata", async () => {
      const body = await report("since=2026-03-07&until=2026-03-09&time_zone=Asia/Kolkata");
      assert.deepEqual(
        body.days.map((day) => [day.date, day.conversations]),
        [
          ["2026-03-07", 2],
          ["2026-03-08", 3],
          ["2026-03-09", 2],
        ],
      );
      const expected = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
      expected[5]![10] = 1; // Saturday 10:29:59
      expected[5]![19] = 1; // Saturday 19:30
      expected[6]![1] = 1; // Sunday 01:30
      expected[6]![12] = 1; // Sunday 12:00
      expected[6]![13] = 1; // Sunday 13:00
      expected[0]![10] = 1; // Monday 10:00
      expected[0]![20] = 1; // Monday 20:30
      assert.deepEqual(body.busiest_hours, expected);
      // UTC, for contrast: the 8th holds only the two conversations started that UTC day.
      const utc = await report("since=2026-03-08&until=2026-03-08");
      assert.equal(utc.time_zone, "UTC");
      assert.equal(utc.totals.conversations, 2);
    });

    it("filters by site and agent for owners", async () => {
      const body = await report(
        `since=2026-03-07&until=2026-03-09&time_zone=America/New_York&site_id=${siteB}&agent_id=${bea.id}`,
      );
      assert.equal(body.site_id, siteB);
      assert.equal(body.agent_id, bea.id);
      assert.deepEqual(
        body.totals,
        figures([2, 3, 1, 1, 1], durations(1, 600, 600), durations(1, 1200, 1200), [0, 0, 0, 1, 0]),
      );
      assert.deepEqual(
        body.sites.map((site) => site.id),
        [siteB],
      );
      assert.deepEqual(
        body.agents.map((agent) => agent.id),
        [bea.id],
      );
    });

    it("shows an agent their own figures on the sites they answer, whatever they ask", async () => {
      const body = await report(
        `since=2026-03-07&until=2026-03-09&time_zone=America/New_York&agent_id=${bea.id}`,
        ada.cookie,
      );
      assert.equal(body.agent_id, ada.id);
      assert.deepEqual(
        body.sites.map((site) => site.id),
        [siteA],
      );
      assert.deepEqual(
        body.agents.map((agent) => agent.id),
        [ada.id],
      );
      const own = figures(
        [3, 4, 5, 3, 0],
        durations(3, 50, 100),
        durations(3, 7200, 144000),
        [0, 0, 0, 0, 1],
      );
      assert.deepEqual(body.totals, own);
      assert.deepEqual(stripBreakdown(body.agents[0]!), own);
      const refused = await world.get(
        `/reports?since=2026-03-07&until=2026-03-09&site_id=${siteB}`,
        ada.cookie,
      );
      assert.equal(refused.status, 404);
      assert.deepEqual(await refused.json(), { error: "Site not found", code: "not_found" });
      // Bea answers both sites.
      const beas = await report("since=2026-03-07&until=2026-03-09&time_zone=America/New_York", bea.cookie);
      assert.deepEqual(
        beas.sites.map((site) => site.id),
        [siteA, siteB],
      );
      assert.equal(beas.totals.unanswered, 1);
    });

    it("answers 400 with words for a bad question", async () => {
      const cases: Array<[string, string]> = [
        ["until=2026-03-09", "since must be a date (YYYY-MM-DD)"],
        ["since=2026-02-30&until=2026-03-09", "since must be a date (YYYY-MM-DD)"],
        ["since=2026-03-01&until=yesterday", "until must be a date (YYYY-MM-DD)"],
        ["since=2026-03-09&until=2026-03-08", "since must not be after until"],
        ["since=2025-01-01&until=2026-01-02", "A report covers at most 366 days"],
        [
          "since=2026-03-01&until=2026-03-02&time_zone=Mars/Olympus",
          "time_zone must be a known IANA time zone (e.g. Europe/Paris)",
        ],
        ["since=2026-03-01&until=2026-03-02&site_id=abc", "site_id must be a positive integer"],
      ];
      for (const [query, error] of cases) {
        const response = await world.get(`/reports?${query}`);
        assert.equal(response.status, 400, query);
        assert.equal(((await response.json()) as { error: string }).error, error, query);
      }
      // 366 days is the most, and fine.
      assert.equal((await report("since=2025-01-01&until=2026-01-01")).days.length, 366);
      const badTable = await world.get("/reports/export?since=2026-03-01&until=2026-03-02&table=weeks");
      assert.equal(badTable.status, 400);
      const anonymous = await fetch(`${world.server.url}/reports?since=2026-03-01&until=2026-03-02`);
      assert.equal(anonymous.status, 401);
    });

    it("exports each table as CSV with formula cells defused", async () => {
      const query = "since=2026-03-07&until=2026-03-09&time_zone=America/New_York";
      const days = await world.get(`/reports/export?${query}&table=days`);
      assert.equal(days.status, 200);
      assert.equal(days.headers.get("content-type"), "text/csv; charset=utf-8");
      assert.match(
        days.headers.get("content-disposition") ?? "",
        /^attachment; filename="parley-report-days-2026-03-07-2026-03-09\.csv"/,
      );
      const header =
        "conversations,visitor_messages,agent_messages,resolved,unanswered,first_response_count,first_response_median_seconds,first_response_p90_seconds,resolution_count,resolution_median_seconds,resolution_p90_seconds,ratings_count,ratings_average,ratings_satisfied_percent";
      assert.equal(
        await days.text(),
        [
          `date,${header}`,
          "2026-03-07,2,3,4,2,0,2,50,100,2,600,7200,1,5,100",
          "2026-03-08,2,2,2,1,0,2,20,300,1,3600,3600,1,2,0",
          "2026-03-09,2,3,1,2,1,1,600,600,2,1200,144000,1,4,100",
          "",
        ].join("\r\n"),
      );
      const sites = await (await world.get(`/reports/export?${query}&table=sites`)).text();
      assert.equal(sites.split("\r\n")[0], `id,name,${header}`);
      assert.equal(sites.split("\r\n")[2], `${siteB},'=Shop,2,3,1,1,1,1,600,600,1,1200,1200,1,4,100`);
      // An agent's export is their own, like their report; an empty day's durations are empty cells.
      const own = await (
        await world.get(
          "/reports/export?since=2026-03-08&until=2026-03-08&time_zone=America/New_York&table=agents",
          ada.cookie,
        )
      ).text();
      assert.deepEqual(own.split("\r\n"), [
        `id,name,${header}`,
        `${ada.id},Ada,1,1,1,0,0,1,20,20,0,,,0,,`,
        "",
      ]);
    });

    it("keeps an empty period's figures at zero", async () => {
      const body = await report("since=2020-01-01&until=2020-01-02&time_zone=Europe/Paris");
      assert.deepEqual(body.totals, zero);
      assert.deepEqual(strip(body.days[1]!), zero);
    });
  });
}
