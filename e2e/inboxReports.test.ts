/**
 * Reports in the inbox (§18), against a real server: three visitors write, the owner and Bea
 * answer two of them over the cable, both are resolved and rated (with the real `rate` action),
 * the third is left unanswered.
 * The owner opens Reports in a browser whose time zone is Tokyo and sees those numbers, the two
 * uPlot charts drawn, the busiest hours where the conversations began (local hours), the tables
 * per site and per agent, a CSV download, and the page passes axe in both themes and fits a
 * phone. Bea sees her own figures only, without the agent filter.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { Conversation, ReportResponse } from "@parley/protocol";
import { accessibilityProblems } from "./support/axe.js";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { addAgent, buildInbox, loginInInbox } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();
const TIME_ZONE = "Asia/Tokyo";
const BEA = { username: "bea", password: "bea's long password", name: "Bea Agent" };

let parley: Parley;
let ownerCookie: string;
const browsers: Browser[] = [];
const visitors: StockVisitor[] = [];
const agents: Agent[] = [];
/** The seeded conversations' creation times, for the busiest hours. */
const created: string[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  ownerCookie = await login(parley.url);
  const bea = await addAgent(parley.url, ownerCookie, BEA);
  const owner = await connectAgent(parley.url);
  const beaLink = await connectAgent(parley.url, BEA);
  agents.push(owner, beaLink);

  // Ann: two messages, the owner answers, resolves; Ann gives 5. Ben: assigned to Bea, who answers
  // and resolves; Ben gives 2.
  const ann = await conversationOf("Ann Reports", ["Hello", "Anyone there?"]);
  answer(owner, ann.conversation.id, "Hi Ann, here I am");
  await waitForAgentMessages(ann.conversation.id, 1);
  await resolveAndRate(owner, ann, 5);
  const ben = await conversationOf("Ben Reports", ["Where is my order?"]);
  owner.perform({ action: "assign", conversation_id: ben.conversation.id, agent_id: bea.id });
  await waitForConversation(ben.conversation.id, (one) => one.assignee_id === bea.id);
  answer(beaLink, ben.conversation.id, "On its way, Ben");
  await waitForAgentMessages(ben.conversation.id, 1);
  await resolveAndRate(beaLink, ben, 2);
  // Cat: nobody answers.
  await conversationOf("Cat Reports", ["Is this thing on?"]);
  await waitFor("both ratings stored", async () => {
    const report = await ownerReport();
    return report.totals.ratings.count === 2 ? true : undefined;
  });
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  for (const agent of agents) agent.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function getJson<T>(path: string, cookie = ownerCookie): Promise<T> {
  const response = await fetch(`${parley.url}${path}`, { headers: { cookie } });
  assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
  return (await response.json()) as T;
}

async function waitForConversation(
  id: number,
  check: (conversation: Conversation) => boolean,
): Promise<Conversation> {
  return waitFor(`conversation ${id}`, async () => {
    const { conversation } = await getJson<{ conversation: Conversation }>(`/conversations/${id}`);
    return check(conversation) ? conversation : undefined;
  });
}

async function waitForAgentMessages(id: number, count: number): Promise<void> {
  await waitFor(`${count} agent messages in ${id}`, async () => {
    const { messages } = await getJson<{ messages: { sender: string }[] }>(`/conversations/${id}/messages`);
    return messages.filter((message) => message.sender === "admin").length >= count ? true : undefined;
  });
}

interface Seeded {
  visitor: StockVisitor;
  conversation: Conversation;
}

async function conversationOf(name: string, texts: string[]): Promise<Seeded> {
  const visitor = await connectVisitor(parley.url, name);
  visitors.push(visitor);
  for (const text of texts) visitor.send(text);
  const conversation = await waitFor(`${name}'s conversation`, async () => {
    const { conversations } = await getJson<{ conversations: Conversation[] }>(
      `/conversations?q=${encodeURIComponent(name)}`,
    );
    return conversations.find((one) => one.visitor_name === name);
  });
  await waitFor(`${name}'s ${texts.length} messages`, () => visitor.messages().length >= texts.length);
  created.push(conversation.created_at);
  return { visitor, conversation };
}

function answer(agent: Agent, conversationId: number, content: string): void {
  agent.perform({ action: "send_message", conversation_id: conversationId, content });
}

async function resolveAndRate(agent: Agent, seeded: Seeded, score: 1 | 2 | 3 | 4 | 5): Promise<void> {
  agent.perform({ action: "set_state", conversation_id: seeded.conversation.id, state: "resolved" });
  await seeded.visitor.next("rating_requested");
  seeded.visitor.rate(score);
  await seeded.visitor.next("rated");
}

/** The last seven local days in the report's time zone, as the page asks by default. */
function lastSevenDays(): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(new Date());
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  return `since=${since}&until=${today}&time_zone=${encodeURIComponent(TIME_ZONE)}`;
}

function ownerReport(): Promise<ReportResponse> {
  return getJson<ReportResponse>(`/reports?${lastSevenDays()}`);
}

async function reportsPage(
  credentials: { username: string; password: string },
  viewport = { width: 1280, height: 900 },
): Promise<Page> {
  const browser = await launchChromium({ viewport, timezoneId: TIME_ZONE });
  browsers.push(browser);
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, credentials);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.waitForURL(`${parley.url}/admin/reports`);
  await page.locator(".stats").waitFor();
  return page;
}

/** The value and details of one totals card, as shown. */
async function stat(page: Page, name: string): Promise<{ value: string; detail: string }> {
  const card = page.locator(`[data-stat="${name}"]`);
  return {
    value: ((await card.locator(".stat-value").textContent()) ?? "").trim(),
    detail: ((await card.locator(".stat-detail").textContent()) ?? "").trim(),
  };
}

/** Pixels of a chart's canvas that uPlot painted (not transparent). */
async function paintedPixels(page: Page, chart: string): Promise<number> {
  return page.locator(`[data-chart="${chart}"] canvas`).evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext("2d");
    if (context === null) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let index = 3; index < data.length; index += 4) if (data[index]! > 0) painted++;
    return painted;
  });
}

/** Local weekday (0 Monday) and hour of an instant in the report's time zone. */
function localSlot(at: string): { weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: TIME_ZONE,
    weekday: "short",
    hour: "numeric",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(
    parts.find((part) => part.type === "weekday")!.value,
  );
  return { weekday, hour: Number(parts.find((part) => part.type === "hour")!.value) };
}

async function checkAxeBothThemes(page: Page, what: string): Promise<void> {
  assert.deepEqual(await accessibilityProblems(page), [], what);
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await accessibilityProblems(page), [], `${what}, in the dark theme`);
  await page.emulateMedia({ colorScheme: "light" });
}

test("the owner's report shows what was seeded, in the browser's time zone", { skip }, async () => {
  const page = await reportsPage(OWNER);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Reports");
  assert.equal(await page.getByLabel("Time zone").inputValue(), TIME_ZONE, "the browser's zone by default");
  assert.equal(await page.getByLabel("Period").inputValue(), "7");
  await page.getByLabel("Agent", { exact: true }).waitFor();

  const report = await ownerReport();
  assert.deepEqual((await stat(page, "conversations")).value, "3");
  assert.match((await stat(page, "conversations")).detail, /Resolved: 2/);
  assert.deepEqual((await stat(page, "messages")).value, "6");
  assert.match((await stat(page, "messages")).detail, /4 from visitors, 2 from agents/);
  assert.equal((await stat(page, "unanswered")).value, "1");
  assert.match((await stat(page, "first-response")).detail, /over 2 conversations/);
  assert.match((await stat(page, "resolution")).detail, /over 2 conversations/);
  // Durations are the server's seconds in words: a few seconds here.
  assert.equal(report.totals.first_response.count, 2);
  assert.match((await stat(page, "first-response")).value, /^\d+ s$|^\d+ min( \d+ s)?$/);
  assert.equal((await stat(page, "satisfaction")).value, "50% satisfied");
  assert.match((await stat(page, "satisfaction")).detail, /3\.5 \/ 5 on average/);
  assert.match((await stat(page, "satisfaction")).detail, /2 ratings/);
  assert.deepEqual(report.totals.ratings.scores, [0, 1, 0, 0, 1]);
  const bars = page.getByRole("region", { name: "Ratings" }).locator(".rating-bars li");
  assert.equal(await bars.count(), 5);
  assert.equal(await page.locator('.rating-bars li[data-score="5"] .rating-count').textContent(), "1");
  assert.equal(await page.locator('.rating-bars li[data-score="2"] .rating-count').textContent(), "1");
  assert.equal(await page.locator('.rating-bars li[data-score="3"] .rating-count').textContent(), "0");

  // uPlot came as its own chunk and drew both charts.
  for (const chart of ["volume", "first-response"]) {
    await page.locator(`[data-chart="${chart}"] canvas`).waitFor();
    assert.ok((await paintedPixels(page, chart)) > 100, `${chart} chart is drawn`);
  }

  // The heat map: 7 × 24 cells; the conversations sit at their local weekday and hour.
  const cells = page.locator(".heat-map tbody td");
  assert.equal(await cells.count(), 7 * 24);
  assert.equal(await page.locator(".heat-map tbody tr").count(), 7);
  const shown = await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-count"))));
  const expected = Array.from({ length: 7 * 24 }, () => 0);
  for (const at of created) {
    const { weekday, hour } = localSlot(at);
    expected[weekday * 24 + hour]! += 1;
  }
  assert.deepEqual(shown, expected);
  assert.deepEqual(report.busiest_hours.flat(), expected, "the server counts the same local hours");
  const busiest = cells.nth(expected.indexOf(Math.max(...expected)));
  assert.match((await busiest.getAttribute("title")) ?? "", /: [1-3] conversations$/);

  // Per agent: the owner answered Ann, Bea answered Ben.
  const agentsTable = page.getByRole("table", { name: "Per agent" });
  const beaRow = agentsTable.locator("tbody tr", { hasText: BEA.name });
  assert.equal(await beaRow.locator('td[data-label="Conversations"]').textContent(), "1");
  assert.equal(await beaRow.locator('td[data-label="Resolved"]').textContent(), "1");
  assert.equal(await beaRow.locator('td[data-label="Satisfaction"]').textContent(), "0% satisfied (1)");
  const sitesTable = page.getByRole("table", { name: "Per site" });
  assert.equal(await sitesTable.locator("tbody tr").count(), report.sites.length);
  assert.equal(
    await sitesTable.locator('tbody tr td[data-label="Conversations"]').first().textContent(),
    String(report.sites[0]!.conversations),
  );

  await checkAxeBothThemes(page, "Reports");
});

test("a table downloads as CSV with the page's query", { skip }, async () => {
  const page = await reportsPage(OWNER);
  const link = page.getByRole("link", { name: "Download CSV: days" });
  const href = (await link.getAttribute("href")) ?? "";
  assert.match(
    href,
    /^\/reports\/export\?since=\d{4}-\d{2}-\d{2}&until=\d{4}-\d{2}-\d{2}&time_zone=Asia%2FTokyo&table=days$/,
  );
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const csv = await readFile(await download.path(), "utf8");
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  assert.match(header!, /^date,conversations,visitor_messages,agent_messages,resolved,unanswered,/);
  assert.equal(rows.length, 7, "one row per day of the last 7");
  const conversations = rows.map((row) => Number(row.split(",")[1]));
  assert.equal(
    conversations.reduce((sum, count) => sum + count, 0),
    3,
  );
});

test("an empty period says so; custom days are checked before asking", { skip }, async () => {
  const page = await reportsPage(OWNER);
  await page.getByLabel("Period").selectOption("custom");
  await page.getByLabel("From", { exact: true }).fill("2020-01-01");
  await page.getByLabel("To", { exact: true }).fill("2020-01-31");
  await page.getByText("No conversations in this period.").waitFor();
  await page.getByLabel("From", { exact: true }).fill("2020-02-01");
  await page.getByRole("alert").getByText("The first day is after the last.").waitFor();
  await checkAxeBothThemes(page, "Reports with a wrong period");
});

test("an agent sees only their own figures, without the agent filter", { skip }, async () => {
  const page = await reportsPage(BEA);
  await page.getByRole("heading", { level: 1, name: "Your figures" }).waitFor();
  assert.equal(await page.getByLabel("Agent", { exact: true }).count(), 0);
  assert.equal(await page.getByRole("table", { name: "Per agent" }).count(), 0);
  assert.equal((await stat(page, "conversations")).value, "1");
  assert.match((await stat(page, "messages")).detail, /1 from visitors, 1 from agents/);
  assert.match((await stat(page, "conversations")).detail, /Resolved: 1/);
  assert.equal((await stat(page, "satisfaction")).value, "0% satisfied");
  assert.equal((await stat(page, "unanswered")).value, "0");
  // The server decides: asking for the owner's figures gives Bea hers.
  const beaCookie = await login(parley.url, BEA);
  const me = await getJson<{ agent: { id: number } }>("/auth/me", beaCookie);
  const asked = await getJson<ReportResponse>(`/reports?${lastSevenDays()}&agent_id=1`, beaCookie);
  assert.equal(asked.agent_id, me.agent.id);
  await checkAxeBothThemes(page, "Reports for an agent");
});

test("Reports fits a phone", { skip }, async () => {
  const page = await reportsPage(OWNER, { width: 390, height: 844 });
  await page.locator('[data-chart="volume"] canvas').waitFor();
  const overflow = await sidewaysOverflow(page);
  assert.deepEqual(overflow.wider, [], "Reports on a phone");
  assert.ok(overflow.scrollWidth <= overflow.viewportWidth, "no sideways scroll");
});
