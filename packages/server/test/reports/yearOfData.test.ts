/**
 * A year of data (yearOfData.ts: 36,500 conversations, 292,000 messages, 3,650 ratings) on each
 * engine: the report's totals for the year and for June are the known ones, and every statement
 * of the report reads messages and conversations through indexes, never a whole-table scan.
 * How long it takes is the bench's (bench/reliability/reports.ts), not a test's.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ReportResponse } from "@parley/protocol";
import { reportPeriod } from "../../src/chat/reportPeriod.js";
import { reportStatements } from "../../src/store/queries/reports.js";
import { POSTGRES_SKIP } from "../support/postgres.js";
import { planOf, reportWorld, type ReportWorld } from "./harness.js";
import { JUNE, JUNE_FIGURES, seedYear, YEAR, YEAR_FIGURES } from "./yearOfData.js";

/** Plan lines that read a whole table (or a whole index) of messages or conversations. */
function fullScans(engine: "sqlite" | "postgres", plan: string[]): string[] {
  if (engine === "sqlite")
    return plan.filter((line) => /\bSCAN (messages|conversations|m|r|r1|p|c)\b/.test(line));
  // Postgres writes an index scan's condition on the line after it ("Index Cond: ..."): an
  // index scan without one reads the whole index. (Looking on the same line flagged every index
  // scan, so the test failed whenever the planner chose one over a bitmap scan.)
  return plan.filter(
    (line, index) =>
      /Seq Scan on (messages|conversations)\b/.test(line) ||
      (/Index (Only )?Scan .* on (messages|conversations)\b/.test(line) &&
        !/^\s*Index Cond:/.test(plan[index + 1] ?? "")),
  );
}

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : undefined;
  describe(`a year of data (${engine})`, { skip }, () => {
    let world: ReportWorld;
    let agentId: number;

    before(async () => {
      world = await reportWorld(engine);
      const agent = await world.addAgent("Ada");
      agentId = agent.id;
      const site = await world.server.store.getDefaultSite();
      await seedYear(world.bulk, site.id, agent);
    });
    after(() => world.dispose());

    const report = async (since: string, until: string): Promise<ReportResponse> => {
      const response = await world.get(`/reports?since=${since}&until=${until}`);
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as ReportResponse;
    };

    it("answers the year's known totals", async () => {
      const body = await report(YEAR.since, YEAR.until);
      const { totals } = body;
      assert.equal(body.days.length, 365);
      assert.equal(totals.conversations, YEAR_FIGURES.conversations);
      assert.equal(totals.visitor_messages, YEAR_FIGURES.visitor_messages);
      assert.equal(totals.agent_messages, YEAR_FIGURES.agent_messages);
      assert.equal(totals.resolved, YEAR_FIGURES.resolved);
      assert.equal(totals.unanswered, 0);
      assert.deepEqual(totals.first_response, {
        count: YEAR_FIGURES.first_responses,
        median_seconds: 60,
        p90_seconds: 60,
      });
      assert.deepEqual(totals.resolution, {
        count: YEAR_FIGURES.resolved,
        median_seconds: 3600,
        p90_seconds: 3600,
      });
      assert.deepEqual(totals.ratings, {
        count: YEAR_FIGURES.ratings,
        average: 3,
        satisfied_percent: 40,
        scores: [730, 730, 730, 730, 730],
      });
      // Every day alike; the first gets none from 2024, the last loses two to 2026.
      assert.ok(body.days.every((day) => day.conversations === 100 && day.visitor_messages === 400));
      assert.equal(body.days[0]!.resolved, 48);
      assert.equal(body.days[1]!.resolved, 50);
      assert.equal(body.days.at(-1)!.resolved, 50);
      // 2025 began on a Wednesday: 53 Wednesdays; 00:00–01:00 holds five conversations a day.
      assert.equal(body.busiest_hours[2]![0], 53 * 5);
      assert.equal(body.busiest_hours[3]![0], 52 * 5);
      assert.equal(
        body.busiest_hours.flat().reduce((a, b) => a + b, 0),
        YEAR_FIGURES.conversations,
      );
      const ada = body.agents.find((agent) => agent.id === agentId)!;
      assert.equal(ada.agent_messages, YEAR_FIGURES.agent_messages);
      assert.equal(ada.first_response.count, YEAR_FIGURES.first_responses);
    });

    it("answers June's known totals", async () => {
      const { totals } = await report(JUNE.since, JUNE.until);
      assert.equal(totals.conversations, JUNE_FIGURES.conversations);
      assert.equal(totals.visitor_messages, JUNE_FIGURES.visitor_messages);
      assert.equal(totals.agent_messages, JUNE_FIGURES.agent_messages);
      assert.equal(totals.resolved, JUNE_FIGURES.resolved);
      assert.equal(totals.first_response.count, JUNE_FIGURES.first_responses);
      assert.equal(totals.ratings.count, JUNE_FIGURES.ratings);
    });

    it("reads messages and conversations through indexes in every statement", async () => {
      const period = reportPeriod(YEAR.since, YEAR.until, "Europe/Paris");
      const statements = reportStatements(engine, { days: period.days, hours: period.hours });
      for (const [name, statement] of Object.entries(statements)) {
        const plan = await planOf(world, statement);
        assert.deepEqual(fullScans(engine, plan), [], `${name}:\n${plan.join("\n")}`);
        assert.ok(
          plan.some((line) =>
            /messages_created_at|conversations_created_at|conversations_resolved_at|conversation_ratings_rated_at/.test(
              line,
            ),
          ),
          `${name} uses a time index:\n${plan.join("\n")}`,
        );
      }
    });
  });
}
