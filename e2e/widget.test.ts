/**
 * The widget where it lives: embedded cross-origin in someone else's page with hostile CSS,
 * chatting with an agent who uses the stock @rails/actioncable client.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { connectAgent, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();

/** CSS a careless (or hostile) site might ship, aimed at everything the widget uses. */
const HOSTILE_CSS = `<style>
  html { font-size: 6px !important; }
  body * { color: red !important; font: italic 40px/3 "Comic Sans MS", cursive !important; letter-spacing: 4px !important; }
  div, button, textarea, ol, li, p, form { border: 5px dashed lime !important; padding: 30px !important; margin: 30px !important; box-sizing: content-box !important; }
  button { display: none !important; }
  [hidden] { display: block !important; }
  parley-widget { display: none !important; position: absolute !important; transform: scale(0.1) !important; opacity: 0 !important; }
  * { --c: red; --f: red; }
  .l, .p, .b, .n { background: orange !important; }
</style>
<script>window.__globalsBefore = Object.getOwnPropertyNames(window);</script>`;

let parley: Parley;
let site: ThirdPartySite;
let browser: Browser;
let agent: Agent;
let page: Page;
let conversationId = 0;
const dialogs: string[] = [];

before(async () => {
  if (skip) return;
  site = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [site.origin] });
  site.setPage(
    "/",
    embedPage(parley.url, { head: HOSTILE_CSS, body: '<p class="b" id="own">The page\'s own text</p>' }),
  );
  site.setPage("/other", embedPage(parley.url, { body: "<h1>Another page of the shop</h1>" }));
  browser = await launchChromium();
  agent = await connectAgent(parley.url);
  page = await browser.context.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

after(async () => {
  agent?.close();
  await browser?.close();
  await parley?.close();
  await site?.close();
});

test("the widget survives the page's hostile CSS and leaves only window.Parley", { skip }, async () => {
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.waitFor({ state: "visible" });
  const box = await widget.launcher.boundingBox();
  assert.ok(box, "the launcher has a box");
  assert.ok(box.width >= 48 && box.width < 120 && box.height >= 48 && box.height < 80, JSON.stringify(box));
  assert.ok(box.x + box.width > 1280 - 60 && box.y + box.height > 800 - 60, "bottom-right");
  const style = await widget.launcher.evaluate((el) => {
    const s = getComputedStyle(el);
    return { font: s.fontFamily, size: s.fontSize, padding: s.paddingTop, border: s.borderTopStyle };
  });
  assert.doesNotMatch(style.font, /Comic/);
  assert.equal(style.border, "none");
  // The widget's `.b` class must not reach the page's own `.b` element.
  const own = await page.locator("#own").evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(own, "rgb(255, 165, 0)");
  const added = await page.evaluate(() => {
    const w = window as unknown as { __globalsBefore: string[] };
    const before = new Set(w.__globalsBefore);
    return Object.getOwnPropertyNames(window).filter(
      (name) => !before.has(name) && name !== "__globalsBefore",
    );
  });
  assert.deepEqual(added, ["Parley"]);
});

test("a visitor chats with an agent: pending, sent, typing both ways, agent names", { skip }, async () => {
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.panel.waitFor({ state: "visible" });
  assert.equal(
    await widget.input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
    true,
    "focus moves to the text box",
  );
  const panelFont = await widget.input.evaluate((el) => getComputedStyle(el).fontSize);
  assert.equal(panelFont, "16px");

  await widget.send("Hello, is anyone there?");
  const first = await agent.next("new_message", (e) => e.message.content === "Hello, is anyone there?");
  conversationId = first.conversation_id;
  await waitFor("the visitor's message marked sent", async () => {
    const status = await widget.host.locator("li.v .t").first().textContent();
    return status === "now";
  });

  const from = agent.events.length;
  await widget.input.pressSequentially("Another q", { delay: 20 });
  await agent.next(
    "typing",
    (e) => e.sender === "visitor" && e.typing && e.conversation_id === conversationId,
    { from },
  );

  agent.perform({ action: "typing", conversation_id: conversationId, typing: true });
  await widget.host.locator(".ty", { hasText: "typing" }).waitFor();

  agent.perform({
    action: "send_message",
    conversation_id: conversationId,
    content: "Hi! I'm here. See https://example.com/help.",
  });
  const reply = widget.host.locator("li.a").last();
  await reply.locator(".b", { hasText: "I'm here" }).waitFor();
  assert.ok(
    ((await reply.locator(".who").textContent()) ?? "").length > 0,
    "the agent's name heads the reply",
  );
  assert.equal(await widget.host.locator(".ty").textContent(), "", "a reply ends the typing indicator");
  const link = reply.locator("a");
  assert.equal(await link.getAttribute("href"), "https://example.com/help");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer nofollow");
  assert.equal(await link.textContent(), "https://example.com/help");
});

test("markup in messages shows as text, both ways", { skip }, async () => {
  const widget = widgetIn(page);
  const attack = "<img src=x onerror=alert(1)>";
  await widget.input.fill("");
  await widget.send(attack);
  await agent.next("new_message", (e) => e.message.content === attack);
  agent.perform({
    action: "send_message",
    conversation_id: conversationId,
    content: '<script>alert(2)</script><a href="javascript:alert(3)">x</a>',
  });
  await widget.bubbles.filter({ hasText: "<script>alert(2)</script>" }).waitFor();
  assert.ok((await widget.texts()).includes(attack));
  assert.equal(await widget.host.locator("img, script, li a[href^='javascript']").count(), 0);
  assert.deepEqual(dialogs, []);
});

test("unread replies are counted on the launcher while the panel is closed", { skip }, async () => {
  const widget = widgetIn(page);
  await page.keyboard.press("Escape");
  await widget.panel.waitFor({ state: "hidden" });
  agent.perform({ action: "send_message", conversation_id: conversationId, content: "One more thing" });
  agent.perform({ action: "send_message", conversation_id: conversationId, content: "And another" });
  await waitFor(
    "a badge of 2",
    async () => (await widget.badge.textContent()) === "2" && (await widget.badge.isVisible()),
  );
  assert.match((await widget.launcher.getAttribute("aria-label")) ?? "", /2 unread/);
  await widget.launcher.click();
  await waitFor("the badge cleared", async () => !(await widget.badge.isVisible()));
});

test("the conversation follows the visitor to other pages, reloads and a new browser", { skip }, async () => {
  const expected = await widgetIn(page).texts();
  assert.equal(expected.length, 6);
  const sent: string[] = [];
  page.on("websocket", (socket) => socket.on("framesent", ({ payload }) => sent.push(String(payload))));
  await page.goto(`${site.origin}/other`);
  const widget = widgetIn(page);
  await widget.launcher.click();
  await waitFor("history on another page", async () => (await widget.texts()).length === expected.length);
  assert.deepEqual(await widget.texts(), expected);
  // The widget asks for a bounded history itself; only the seed's clients rely on the server's cap.
  const identifiers = sent
    .map((frame) => JSON.parse(frame) as { command?: string; identifier?: string })
    .filter((frame) => frame.command === "subscribe")
    .map((frame) => JSON.parse(frame.identifier ?? "{}") as { channel?: string; limit?: unknown });
  assert.ok(identifiers.length > 0, "the widget subscribed");
  for (const identifier of identifiers) assert.equal(identifier.limit, 500, JSON.stringify(identifier));
  await page.reload();
  await widgetIn(page).launcher.click();
  await waitFor(
    "history after a reload",
    async () => (await widgetIn(page).texts()).length === expected.length,
  );

  const profileDir = browser.profileDir;
  await browser.context.close();
  browser = await launchChromium({ profileDir });
  page = await browser.context.newPage();
  await page.goto(`${site.origin}/other`);
  const again = widgetIn(page);
  await again.launcher.click();
  await waitFor(
    "history after the browser restarted",
    async () => (await again.texts()).length === expected.length,
  );
  assert.deepEqual(await again.texts(), expected);
  await again.send("Back again");
  const back = await agent.next("new_message", (e) => e.message.content === "Back again");
  assert.equal(back.conversation_id, conversationId, "same conversation, not a new one");
});
