/**
 * The inbox on a phone (390×844): one long visitor name or an unbroken message must not stretch
 * the page sideways (times, badges and filters would go off-screen).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { login } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { addAgent, buildInbox, inboxIn, loginInInbox, type InboxHandle } from "./support/inbox.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";

const skip = skipWithoutChromium();
const PHONE = { width: 390, height: 844 };
/** Longer than the widget lets a visitor type (older servers' data may hold such names). */
const LONG_NAME = "Maximiliana Konstantinopoulou-Featherstonehaugh de la Vega y Ostrowska".padEnd(70, "x").slice(0, 70);
const UNBROKEN = "x".repeat(200);
const LONG_AGENT = "Bartholomew".padEnd(64, "o");

let parley: Parley;
let browser: Browser;
let inbox: InboxHandle;

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  const { store } = parley.server;
  const at = new Date().toISOString();
  const { conversation } = await store.createConversation({ token: "phone-long-name", visitorName: LONG_NAME, createdIp: null, at });
  await store.appendMessage({ conversationId: conversation.id, sender: "visitor", content: UNBROKEN, clientId: null, agentId: null, agentName: null, at });
  await addAgent(parley.url, await login(parley.url), { username: "bart", password: "bart's long password", name: LONG_AGENT });
  browser = await launchChromium({ viewport: PHONE });
  inbox = inboxIn(await browser.context.newPage());
  await loginInInbox(inbox.page, parley.url, OWNER);
});

after(async () => {
  await browser?.close();
  await parley?.close();
});

async function assertFits(page: Page, where: string): Promise<void> {
  const layout = await sidewaysOverflow(page);
  assert.deepEqual(layout.wider, [], `${where}: elements past the right edge of a ${layout.viewportWidth} px screen`);
  assert.ok(layout.scrollWidth <= layout.viewportWidth, `${where}: the page is ${layout.scrollWidth} px wide on a ${layout.viewportWidth} px screen`);
}

test("a 70-character name and a 200-character unbroken message fit a phone's screen", { skip }, async () => {
  await inbox.row(LONG_NAME).waitFor();
  assert.equal(LONG_NAME.length, 70);
  await assertFits(inbox.page, "the list");
  // The row's time and badge stay on screen beside the clipped name and preview.
  for (const part of ["time", ".badge"]) {
    const box = await inbox.row(LONG_NAME).locator(part).boundingBox();
    assert.ok(box && box.x + box.width <= PHONE.width, `${part} is on screen`);
  }

  await inbox.open(LONG_NAME);
  await inbox.bubbles.filter({ hasText: UNBROKEN }).waitFor();
  await inbox.reply(`See https://example.com/${"a".repeat(150)}`);
  await inbox.bubbles.filter({ hasText: "example.com" }).waitFor();
  await assertFits(inbox.page, "the conversation");

  await inbox.page.getByRole("link", { name: "Team" }).click();
  await inbox.page.getByText(LONG_AGENT).waitFor();
  await assertFits(inbox.page, "the team page");
});
