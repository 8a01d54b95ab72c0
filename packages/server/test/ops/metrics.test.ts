/**
 * GET /metrics: refused without the token, parseable Prometheus text with it, and its figures
 * move with real traffic (a visitor and an agent over the stock ActionCable client). METRICS_PORT
 * serves the same on a listener of its own.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { startEmailTestBed, type EmailTestBed } from "../email/harness.js";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";
import { parsePrometheusText, type Family } from "./support/prometheusText.js";

const TOKEN = "metrics-token-0123456789abcdef";

type Families = Map<string, Family>;

async function scrape(url: string, token: string | undefined = TOKEN): Promise<Families> {
  const response = await fetch(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200, await response.clone().text());
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

function family(families: Families, name: string): Family {
  const found = families.get(name);
  assert.ok(found, `${name} is exposed`);
  return found;
}

/**
 * A counter's or gauge's value for these labels, or a histogram's observation count (its
 * `_count` series); 0 when the series does not exist yet.
 */
function value(families: Families, name: string, labels: Record<string, string> = {}): number {
  const found = family(families, name);
  const series = found.type === "histogram" ? `${name}_count` : name;
  const sample = found.samples.find(
    (each) =>
      each.name === series && Object.entries(labels).every(([key, wanted]) => each.labels[key] === wanted),
  );
  return sample?.value ?? 0;
}

describe("metrics on the main port, behind METRICS_TOKEN", () => {
  let server: TestServer;
  const consumers: Consumer[] = [];

  before(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  after(async () => {
    for (const each of consumers) each.disconnect();
    await server.dispose();
  });

  it("refuses a request without the token or with another one", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-0123456789", `Basic ${TOKEN}`, TOKEN]) {
      const response = await fetch(`${server.url}/metrics`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      assert.equal(response.status, 401, `authorization ${authorization ?? "(none)"}`);
      assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="metrics"');
      const body = await response.text();
      assert.doesNotMatch(body, /parley_/);
    }
  });

  it("counts connections, subscriptions, messages, deliveries and statements as traffic flows", async () => {
    const before = await scrape(`${server.url}/metrics`);
    assert.equal(value(before, "parley_connections"), 0);
    assert.equal(value(before, "parley_broker_up"), 1);
    assert.ok(family(before, "nodejs_eventloop_lag_seconds"), "Node's own figures are there");
    assert.ok(value(before, "parley_db_query_seconds", { statement: "select" }) > 0, "statements are timed");

    const cookie = await login(server.url);
    const agentConsumer = createConsumer(server.url, { cookie });
    const visitorConsumer = createConsumer(server.url, { token: visitorToken() });
    consumers.push(agentConsumer, visitorConsumer);
    const agent = new RecordingSubscription(agentConsumer, { channel: "AdminChannel" });
    await agent.next((m) => m.type === "conversations");
    const visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
    await visitor.next((m) => m.type === "availability");

    const open = await scrape(`${server.url}/metrics`);
    assert.equal(value(open, "parley_connections"), 2);
    assert.equal(value(open, "parley_subscriptions", { channel: "VisitorChannel" }), 1);
    assert.equal(value(open, "parley_subscriptions", { channel: "AdminChannel" }), 1);

    visitor.perform("send_message", { content: "How much is shipping?" });
    const seen = await agent.next((m) => m.type === "new_message");
    agent.perform("send_message", { conversation_id: seen.conversation_id, content: "Free over 50." });
    await visitor.next((m) => m.type === "message" && (m.message as { sender: string }).sender === "admin");

    const after = await scrape(`${server.url}/metrics`);
    assert.equal(value(after, "parley_messages_total", { sender: "visitor" }), 1);
    assert.equal(value(after, "parley_messages_total", { sender: "admin" }), 1);
    // Each message arrived once on the visitor's stream and once on the agents': two of each.
    assert.equal(value(after, "parley_delivery_seconds", { channel: "visitor" }), 2);
    assert.equal(value(after, "parley_delivery_seconds", { channel: "admin" }), 2);
    assert.ok(value(after, "parley_db_query_seconds", { statement: "insert" }) >= 2);
    assert.ok(value(after, "parley_broker_publishes_total") > value(open, "parley_broker_publishes_total"));
    const jobs = family(after, "parley_jobs")
      .samples.map((each) => each.labels.state)
      .sort();
    assert.deepEqual(jobs, ["pending", "running"]);

    visitorConsumer.disconnect();
    await waitFor(async () => {
      const now = await scrape(`${server.url}/metrics`);
      return value(now, "parley_subscriptions", { channel: "VisitorChannel" }) === 0;
    });
  });
});

describe("what the operator's documents say about the metrics", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  after(() => server.dispose());

  it("docs/operations.md and the Grafana dashboard name every family Parley exposes, and no other", async () => {
    const families = await scrape(`${server.url}/metrics`);
    const ours = [...families.keys()].filter((name) => name.startsWith("parley_"));
    assert.ok(ours.length >= 13, ours.join());
    const operations = readFileSync(new URL("../../../../docs/operations.md", import.meta.url), "utf8");
    const metricsSection = operations.slice(
      operations.indexOf("## Metrics"),
      operations.indexOf("## Dashboard"),
    );
    const dashboard = readFileSync(new URL("../../../../docs/grafana/parley.json", import.meta.url), "utf8");
    const exprs = (JSON.parse(dashboard) as { panels: Array<{ targets: Array<{ expr: string }> }> }).panels
      .flatMap((panel) => panel.targets.map((target) => target.expr))
      .join("\n");
    // Event-loop lag is Node's own figure, but the issue's: listed and shown like Parley's.
    for (const name of [...ours, "nodejs_eventloop_lag_p99_seconds"]) {
      assert.ok(families.has(name), `${name} is exposed`);
      assert.ok(metricsSection.includes(`\`${name}\``), `docs/operations.md's Metrics section lists ${name}`);
      assert.match(exprs, new RegExp(`\\b${name}(_bucket)?\\b`), `a dashboard panel shows ${name}`);
    }
    // And the dashboard asks for nothing a node does not expose (a renamed metric, a typo).
    for (const [asked] of exprs.matchAll(/\b(?:parley|nodejs|process)_[a-z0-9_]+/g)) {
      assert.ok(families.has(asked.replace(/_bucket$/, "")), `the dashboard's ${asked} is exposed`);
    }
    const alerts = operations.slice(
      operations.indexOf("## Alerts worth having"),
      operations.indexOf("## Backups"),
    );
    for (const [asked] of alerts.matchAll(/\b(?:parley|nodejs|process)_[a-z0-9_]+/g)) {
      assert.ok(families.has(asked.replace(/_bucket$/, "")), `the alerts' ${asked} is exposed`);
    }
  });
});

describe("email outcomes, through a real SMTP server", () => {
  let bed: EmailTestBed;
  const emails = (families: Families, outcome: string) =>
    value(families, "parley_emails_total", { kind: "test", outcome });
  const deliveries = (families: Families, outcome: string) =>
    value(families, "parley_job_runs_total", { kind: "email.deliver", outcome });

  before(async () => {
    // Two quick retries, then given up: the whole life of a failing email in a second.
    bed = (await startEmailTestBed({ env: { METRICS_TOKEN: TOKEN, MAIL_RETRY_SCHEDULE: "0.1,0.1" } }))!;
  });
  after(() => bed.dispose());

  it("counts an email sent, and one retried then given up while the SMTP server refuses", async () => {
    const url = `${bed.server.url}/metrics`;
    const before = await scrape(url);
    assert.equal(family(before, "parley_emails_total").type, "counter");
    assert.equal(emails(before, "sent"), 0);

    assert.equal((await bed.call("POST", "/settings/email/test", { to: "owner@example.com" })).status, 202);
    await bed.smtp.waitFor(1);
    // The job's own outcome is counted once the worker has recorded it, just after the email's.
    const sent = await waitForScrape(
      url,
      (now) => emails(now, "sent") === 1 && deliveries(now, "done") === 1,
    );
    assert.equal(emails(sent, "retry"), 0);
    assert.equal(emails(sent, "failed"), 0);

    bed.smtp.refuse();
    assert.equal((await bed.call("POST", "/settings/email/test", { to: "owner@example.com" })).status, 202);
    const gaveUp = await waitForScrape(
      url,
      (now) => emails(now, "failed") === 1 && deliveries(now, "done") === 2,
    );
    assert.equal(emails(gaveUp, "retry"), 2, "one retry per entry of MAIL_RETRY_SCHEDULE");
    assert.equal(emails(gaveUp, "sent"), 1, "nothing more was sent");
    assert.equal(deliveries(gaveUp, "postponed"), 2, "each retry is the delivery job postponing itself");
    assert.equal(bed.smtp.messages.length, 1);
  });
});

describe("metrics switched off, and on a port of their own", () => {
  let plain: TestServer;
  let separate: TestServer;

  before(async () => {
    plain = await startTestServer();
    separate = await startTestServer({ METRICS_PORT: "0" });
  });
  after(async () => {
    await Promise.all([plain.dispose(), separate.dispose()]);
  });

  it("has no /metrics route without METRICS_TOKEN", async () => {
    for (const server of [plain, separate]) {
      const response = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(response.status, 404);
    }
    assert.equal(plain.metricsPort, undefined);
  });

  it("serves /metrics on METRICS_PORT without a token, and nothing else there", async () => {
    assert.ok(separate.metricsPort !== undefined && separate.metricsPort !== separate.port);
    const families = await scrape(`http://127.0.0.1:${separate.metricsPort}/metrics`, undefined);
    assert.equal(value(families, "parley_connections"), 0);
    const other = await fetch(`http://127.0.0.1:${separate.metricsPort}/health`);
    assert.equal(other.status, 404);
  });
});

/** Scrapes until `check` holds of the figures, and answers them. */
async function waitForScrape(url: string, check: (families: Families) => boolean): Promise<Families> {
  let last: Families = new Map();
  await waitFor(async () => check((last = await scrape(url))));
  return last;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
