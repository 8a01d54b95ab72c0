/**
 * The inbox on a phone (390×844): one long visitor name or an unbroken message must not stretch
 * the page sideways (times, badges and filters would go off-screen), and the conversation's
 * header stays one row, its actions behind a menu button.
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
const LONG_NAME = "Maximiliana Konstantinopoulou-Featherstonehaugh de la Vega y Ostrowska"
  .padEnd(70, "x")
  .slice(0, 70);
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
  const { conversation } = await store.createConversation({
    token: "phone-long-name",
    visitorName: LONG_NAME,
    createdIp: null,
    siteId: (await store.getDefaultSite()).id,
    at,
  });
  await store.appendMessage({
    conversationId: conversation.id,
    sender: "visitor",
    content: UNBROKEN,
    clientId: null,
    agentId: null,
    agentName: null,
    at,
  });
  await addAgent(parley.url, await login(parley.url), {
    username: "bart",
    password: "bart's long password",
    name: LONG_AGENT,
  });
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
  assert.deepEqual(
    layout.wider,
    [],
    `${where}: elements past the right edge of a ${layout.viewportWidth} px screen`,
  );
  assert.ok(
    layout.scrollWidth <= layout.viewportWidth,
    `${where}: the page is ${layout.scrollWidth} px wide on a ${layout.viewportWidth} px screen`,
  );
}

test("a 70-character name and a 200-character unbroken message fit a phone's screen", { skip }, async () => {
  await inbox.row(LONG_NAME).waitFor();
  assert.equal(LONG_NAME.length, 70);
  await assertFits(inbox.page, "the list");
  // The navigation scrolls sideways rather than widen the page; on a phone it needs not to.
  assert.equal(
    await inbox.page.locator(".top nav").evaluate((nav) => nav.scrollWidth - nav.clientWidth),
    0,
    "the navigation shows whole",
  );
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

test(
  "on a phone the conversation header is one row, its actions behind a menu button",
  { skip },
  async () => {
    const { page } = inbox;
    await page.getByRole("link", { name: "Inbox" }).click();
    await inbox.open(LONG_NAME);
    const head = page.locator(".thread-head");
    // Everything the header shows shares one row.
    const boxes = await head.evaluate((header) =>
      [...header.querySelectorAll("a, button, select, h2")]
        .map((element) => element.getBoundingClientRect())
        .filter((box) => box.width > 0 && box.height > 0)
        .map((box) => ({ top: box.top, bottom: box.bottom })),
    );
    assert.ok(boxes.length >= 3, "back link, name and menu button");
    const lowestTop = Math.max(...boxes.map((box) => box.top));
    const highestBottom = Math.min(...boxes.map((box) => box.bottom));
    assert.ok(lowestTop < highestBottom, `one row: ${JSON.stringify(boxes)}`);

    // The actions are a click away, reachable by name, and the menu closes after one is used.
    const menu = page.getByRole("button", { name: "Conversation actions" });
    const assignee = page.getByLabel("Assignee");
    // The reply in the test above made the conversation its author's (assign on reply, §14):
    // unassigned again here, from the menu, so that "Assign to me" is offered.
    await menu.click();
    assert.equal(
      await assignee.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent),
      "owner (you)",
    );
    await assignee.selectOption("");
    await page
      .getByRole("button", { name: "Assign to me", includeHidden: true })
      .waitFor({ state: "attached" });
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    await menu.click();
    assert.equal(await menu.getAttribute("aria-expanded"), "true");
    await assertFits(page, "the open actions menu");
    await page.getByRole("button", { name: "Assign to me" }).click();
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    await menu.click();
    await page.getByRole("button", { name: "Assign to me" }).waitFor({ state: "detached" });
    assert.equal(
      await assignee.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent),
      "owner (you)",
    );
    // Esc closes it and gives focus back to the button.
    await page.keyboard.press("Escape");
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    assert.equal(await menu.evaluate((button) => button === document.activeElement), true);
    await page.getByRole("button", { name: "Resolve", exact: true }).waitFor({ state: "hidden" });
  },
);
