/**
 * A webhook's delivery claim on Postgres looks up each row's earlier pending deliveries, never
 * reading the webhook's whole backlog per row. With statistics taken while the table was small (a
 * new install's first burst, every bench run) the planner made the claim's `not exists` an
 * anti-join that did just that: 44 ms a claim over 6,000 pending rows (store/queries/webhooks.ts).
 * Here the table grows after statistics taken while it was small, and again in a schema whose
 * table was never analyzed (a new install's state, and the bench's, where the planner's choices
 * differ: docs/benchmarks.md, twenty-first pass; this data set does not reproduce that pass's
 * reverted claim, whose lookup went wrong only over the bench's interleaved backlog). Autovacuum
 * is off for the table, so the statistics stay what each case says. The claim the store really
 * runs (taken from its statement hook) is explained with ANALYZE inside a transaction that is
 * rolled back.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { openStore } from "../../src/store/openStore.js";
import type { Store } from "../../src/store/store.js";
import type { StoredWebhookDelivery } from "../../src/store/webhookStore.js";
import { POSTGRES_SKIP, postgresSchema, type PostgresSchema } from "../support/postgres.js";

const CONVERSATIONS = 3000;
const CLAIM = 32;
/** Rows a claim of 32 may read: each of its candidates and a few earlier ones, not the backlog. */
const MOST_ROWS_READ = 2000;

interface PlanNode {
  "Node Type": string;
  "Join Type"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  Plans?: PlanNode[];
}

/** Every node of a plan, the root included. */
function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}

/** What the planner knows of the table when it has grown. */
const STATISTICS = {
  "analyzed while small": true,
  "never analyzed": false,
} as const;

for (const [statistics, analyzedSmall] of Object.entries(STATISTICS))
  describe(`a webhook delivery claim on Postgres, the table ${statistics}`, () =>
    claimPlanSuite(analyzedSmall));

async function claimPlanSuite(analyzedSmall: boolean): Promise<void> {
  const schema: PostgresSchema | undefined = await postgresSchema();
  if (schema === undefined) {
    it("plans its lookups per row", { skip: POSTGRES_SKIP }, () => {});
    return;
  }
  const statements: string[] = [];
  const client = new pg.Client({ connectionString: schema.url });
  let store: Store;
  let webhookId: number;
  let contactsWebhookId: number;
  before(async () => {
    // A claim planned as a loop over the backlog fails here in seconds instead of running on.
    const withTimeout = new URL(schema.url);
    withTimeout.searchParams.set(
      "options",
      `${withTimeout.searchParams.get("options")} -c statement_timeout=10000`,
    );
    store = await openStore({
      databaseUrl: withTimeout.toString(),
      storageDir: join(tmpdir(), "parley-claim-plan-unused"),
      onQuery: (sql) => statements.push(sql),
    });
    await store.migrate();
    await client.connect();
    const site = await store.getDefaultSite();
    const at = new Date().toISOString();
    const newWebhook = async () =>
      (
        await store.createWebhook({
          siteId: site.id,
          url: "https://example.com/hook",
          events: ["message.created", "contact.identified"],
          format: "parley",
          secret: "s".repeat(32),
          enabled: true,
          at,
        })
      ).id;
    webhookId = await newWebhook();
    contactsWebhookId = await newWebhook();
    const insert = (status: string, from: number, to: number) =>
      client.query(
        `insert into webhook_deliveries
           (webhook_id, event_id, event_key, event_type, conversation_id, payload, status, created_at, updated_at)
         select $1, c || e, c || ':' || e, e, c, '{}', $2, $3, $3
         from generate_series($4::int, $5::int) c, unnest(array['conversation.created', 'message.created']) e
         order by c, e`,
        [webhookId, status, at, from, to],
      );
    await client.query("alter table webhook_deliveries set (autovacuum_enabled = false)");
    // Statistics from while the table was small, or none, then the burst.
    await insert("delivered", 1, 5);
    if (analyzedSmall) await client.query("analyze webhook_deliveries");
    await insert("pending", 10, 10 + CONVERSATIONS - 1);
    // A burst of identified visitors, none of whom has chatted: events about no conversation, one
    // contact each (the bench's connect has 1,500).
    await client.query(
      `insert into webhook_deliveries
         (webhook_id, event_id, event_key, event_type, conversation_id, contact_id, payload, status, created_at, updated_at)
       select $1, 'contact-' || c, 'contact.identified:' || c, 'contact.identified', null, c, '{}', 'pending', $2, $2
       from generate_series(1, $3::int) c
       order by c`,
      [contactsWebhookId, at, CONVERSATIONS],
    );
  });

  /**
   * Claims up to CLAIM of the webhook's deliveries, then explains the claim the store ran with
   * ANALYZE (rolled back) and checks it read few rows and no anti-join; returns what it claimed.
   */
  const claimAndExplain = async (webhook: number): Promise<StoredWebhookDelivery[]> => {
    statements.length = 0;
    const now = new Date();
    const claimed = await store.claimWebhookDeliveries(webhook, {
      now: now.toISOString(),
      until: new Date(now.getTime() + 60_000).toISOString(),
      limit: CLAIM,
    });
    const claim = statements.find((text) => /update "webhook_deliveries" set "locked_until"/.test(text));
    assert.ok(claim, `the claim's statement: ${statements.join("\n")}`);
    // The statement's parameters, told apart by what each is compared with.
    const values = claimParameters(claim, { webhookId: webhook, now: now.toISOString(), limit: CLAIM });
    await client.query("begin");
    try {
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        `explain (analyze, format json) ${claim}`,
        values,
      );
      const all = nodes(rows[0]!["QUERY PLAN"][0].Plan);
      const described = JSON.stringify(all.map((node) => [node["Node Type"], node["Join Type"]]));
      assert.ok(!all.some((node) => node["Join Type"] === "Anti"), `an anti-join: ${described}`);
      const read = all
        .filter((node) => /Scan/.test(node["Node Type"]))
        .reduce((sum, node) => sum + (node["Actual Rows"] ?? 0) * (node["Actual Loops"] ?? 1), 0);
      assert.ok(read <= MOST_ROWS_READ, `read ${read} rows for a claim of ${CLAIM}: ${described}`);
    } finally {
      await client.query("rollback");
    }
    return claimed;
  };
  after(async () => {
    await client.end();
    await store.close();
    await schema.drop();
  });

  it("claims each conversation's first event, looking up earlier ones per row", async () => {
    const claimed = await claimAndExplain(webhookId);
    assert.equal(claimed.length, CLAIM);
    assert.deepEqual(
      claimed.map((delivery) => delivery.eventType),
      Array.from({ length: CLAIM }, () => "conversation.created"),
    );
  });

  it("claims many contacts' events about no conversation at once, one lookup each", async () => {
    const claimed = await claimAndExplain(contactsWebhookId);
    assert.deepEqual(
      claimed.map((delivery) => delivery.contactId),
      Array.from({ length: CLAIM }, (_, i) => i + 1),
      "each contact's first event: different contacts do not wait for each other",
    );
  });
}

/**
 * The values of the claim's placeholders in order: the webhook's id, the claim's end, the time
 * now, the limit. Each is known by the text just before it.
 */
function claimParameters(claim: string, known: { webhookId: number; now: string; limit: number }): unknown[] {
  const values: unknown[] = [];
  for (const match of claim.matchAll(/(\S+)\s*\$(\d+)/g)) {
    const before = claim.slice(Math.max(0, match.index - 40), match.index + match[1]!.length);
    const index = Number(match[2]) - 1;
    if (/"webhook_id" =$/.test(before)) values[index] = known.webhookId;
    else if (/set "locked_until" =$/.test(before)) values[index] = known.now;
    else if (/limit$/.test(before)) values[index] = known.limit;
    else if (/"(next_attempt_at|locked_until)" (<=|<)$/.test(before)) values[index] = known.now;
    else if (/"status" =$/.test(before)) values[index] = "pending";
    else throw new Error(`a placeholder of the claim not known here: …${before} $${match[2]}`);
  }
  return values;
}
