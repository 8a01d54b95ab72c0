/**
 * Many conversations and long ones: the inbox pages both from the server. 10,000 stored
 * conversations show 50 rows at first and 50 more per scroll; a long conversation shows its
 * newest messages and pages back with `get_history before_id` as the agent scrolls up.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();
const CONVERSATIONS = 10_000;
const LONG = 120;

let parley: Parley;
let browser: Browser;

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  const { store } = parley.server;
  const base = Date.parse("2025-01-01T00:00:00Z");
  for (let i = 1; i <= CONVERSATIONS; i++) {
    const at = new Date(base + i * 1000).toISOString();
    const { conversation } = await store.createConversation({
      token: `seeded-visitor-${i}`,
      visitorName: `Seeded ${i}`,
      createdIp: null,
      siteId: (await store.getDefaultSite()).id,
      at,
    });
    await store.appendMessage({
      conversationId: conversation.id,
      sender: "visitor",
      content: `Question ${i}`,
      clientId: null,
      agentId: null,
      agentName: null,
      at,
    });
  }
  const at = (n: number) => new Date(base + (CONVERSATIONS + n) * 1000).toISOString();
  const { conversation: long } = await store.createConversation({
    token: "seeded-long-talker",
    visitorName: "Long Talker",
    createdIp: null,
    siteId: (await store.getDefaultSite()).id,
    at: at(0),
  });
  for (let n = 1; n <= LONG; n++) {
    await store.appendMessage({
      conversationId: long.id,
      sender: n % 2 ? "visitor" : "admin",
      content: `Line ${n}`,
      clientId: null,
      agentId: null,
      agentName: n % 2 ? null : "owner",
      at: at(n),
    });
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await parley?.close();
});

test("10,000 conversations load a page at a time", { skip }, async () => {
  const inbox = inboxIn(await browser.context.newPage());
  const pageSizes: number[] = [];
  inbox.page.on("response", (response) => {
    if (new URL(response.url()).pathname !== "/conversations") return;
    void response
      .json()
      .then((body: { conversations: unknown[] }) => pageSizes.push(body.conversations.length));
  });
  await loginInInbox(inbox.page, parley.url, OWNER);
  await inbox.row("Long Talker").waitFor();
  await waitFor("the first page", () => pageSizes.length >= 1);
  assert.ok(Math.max(...pageSizes) <= 50, `pages of ${pageSizes.join(", ")}`);
  const rows = inbox.page.locator("a.row");
  assert.ok((await rows.count()) <= 51, `${await rows.count()} rows at first`);

  await inbox.page.locator(".conversations .sentinel").scrollIntoViewIfNeeded();
  await waitFor("the second page", async () => (await rows.count()) > 60);
  assert.ok((await rows.count()) <= 101);
  // Newest activity first, across the page boundary.
  const names = await inbox.page.locator("a.row .name").allTextContents();
  assert.deepEqual(names.slice(0, 3), [
    "Long Talker",
    `Seeded ${CONVERSATIONS}`,
    `Seeded ${CONVERSATIONS - 1}`,
  ]);
  assert.equal(names[51], `Seeded ${CONVERSATIONS - 50}`);
});

test("a long conversation pages back with get_history before_id", { skip }, async () => {
  const inbox = inboxIn(await browser.context.newPage());
  await inbox.page.goto(`${parley.url}/admin/chats`);
  await inbox.open("Long Talker");
  await inbox.bubbles.filter({ hasText: `Line ${LONG}` }).waitFor();
  assert.equal(await inbox.bubbles.count(), 50);
  const sent: string[] = [];
  const cdp = await browser.context.newCDPSession(inbox.page);
  await cdp.send("Network.enable");
  cdp.on("Network.webSocketFrameSent", ({ response }: { response: { payloadData: string } }) =>
    sent.push(response.payloadData),
  );
  // The button sits at the top of the log, where scrolling loads the next page by itself, so a
  // pointer click raced that load (the scroll that brings the button into view already asks for
  // the page, and the click then lands on the next one or on nothing). The button's own handler
  // is tested with a click that does not scroll; then the agent scrolls up.
  await inbox.page.getByRole("button", { name: "Load earlier messages" }).dispatchEvent("click");
  await waitFor("the second page of history", async () => (await inbox.bubbles.count()) === 100);
  await inbox.page.locator(".thread .log").evaluate((log) => log.scrollTo({ top: 0 }));
  await waitFor("the last page of history", async () => (await inbox.bubbles.count()) === LONG);
  await inbox.page.getByRole("button", { name: "Load earlier messages" }).waitFor({ state: "detached" });
  const texts = await inbox.texts();
  assert.deepEqual(
    texts,
    Array.from({ length: LONG }, (_, i) => `Line ${i + 1}`),
    "oldest first, each once",
  );
  assert.ok(
    sent.some((frame) => frame.includes("get_history") && frame.includes("before_id")),
    "paged with get_history before_id",
  );
});
