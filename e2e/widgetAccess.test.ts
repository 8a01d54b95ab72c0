/**
 * The widget for everyone: keyboard only, screen readers (labels, dialog, live region), a phone,
 * other languages, the site owner's settings and JS API, and the calm "too fast" notice.
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
const RATE_LIMIT_PER_MINUTE = 4;

let parley: Parley;
let site: ThirdPartySite;
let browser: Browser;
let agent: Agent | undefined;

before(async () => {
  if (skip) return;
  site = await startThirdPartySite();
  parley = await startParley({
    allowedOrigins: [site.origin],
    env: { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE) },
  });
  site.setPage("/", embedPage(parley.url, { body: '<h1>A shop</h1><a href="#top">Top</a>' }));
  browser = await launchChromium();
});

after(async () => {
  agent?.close();
  await browser?.close();
  await parley?.close();
  await site?.close();
});

/** What has focus, looking through the widget's shadow root. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    const inner = active?.shadowRoot?.activeElement;
    const el = inner ?? active;
    return el ? `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ""}` : "";
  });
}

test(
  "keyboard only: reach, open, write, send, close; labels, dialog and announcements",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/`);
    const widget = widgetIn(page);
    await widget.launcher.waitFor();
    assert.equal(await widget.launcher.getAttribute("aria-label"), "Open chat");
    assert.equal(await widget.launcher.getAttribute("aria-expanded"), "false");

    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "a");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "button.l");
    await page.keyboard.press("Enter");
    await widget.panel.waitFor();
    assert.equal(await widget.launcher.getAttribute("aria-expanded"), "true");
    assert.equal(await focused(page), "textarea");
    const labelledBy = await widget.panel.getAttribute("aria-labelledby");
    assert.equal(await widget.host.locator(`#${labelledBy}`).textContent(), "Chat with us");

    // No agent is online yet: the panel says so and still takes the message.
    await widget.host.locator(".s", { hasText: "away" }).waitFor();
    await page.keyboard.type("First line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    await page.keyboard.press("Enter");
    await widget.bubbles.filter({ hasText: "second line" }).waitFor();
    assert.deepEqual(await widget.texts(), ["First line\nsecond line"]);
    assert.equal(await widget.input.inputValue(), "");

    agent = await connectAgent(parley.url);
    await widget.host.locator(".s", { hasText: "online" }).waitFor();
    const conversations = await agent.next("conversations");
    const id = conversations.conversations[0]?.id;
    assert.ok(id, "the message waited for the agent");
    agent.perform({ action: "send_message", conversation_id: id, content: "Answer for screen readers" });
    await waitFor("the reply announced", async () => {
      const live = widget.host.locator("[aria-live=polite]");
      return ((await live.textContent()) ?? "").includes("Answer for screen readers");
    });

    // The name ask is reachable and skippable by keyboard.
    await widget.host.locator(".ask").waitFor();
    await widget.host.locator(".ask input").focus();
    await page.keyboard.type("Ada");
    await page.keyboard.press("Enter");
    await widget.host.locator(".ask").waitFor({ state: "hidden" });

    await widget.input.focus();
    await page.keyboard.press("Escape");
    await widget.panel.waitFor({ state: "hidden" });
    assert.equal(await focused(page), "button.l", "focus returns to the launcher");
    await page.keyboard.press("Space");
    await widget.panel.waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "button.send");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    // Before the text box, the paperclip: a real, labelled button.
    assert.equal(await focused(page), "button.pc");
    assert.equal(await widget.host.locator("button.pc").getAttribute("aria-label"), "Attach a file");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(page), "button.x");
    await page.keyboard.press("Enter");
    await widget.panel.waitFor({ state: "hidden" });
    assert.equal(await focused(page), "button.l");
    await page.close();
  },
);

test("phones: the panel fills the screen and inputs do not make iOS zoom", { skip }, async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.panel.waitFor();
  // Once the opening animation has settled, the panel covers the whole viewport.
  await waitFor("a full-screen panel", async () => {
    const box = await widget.panel.boundingBox();
    return box && [box.x, box.y, box.width, box.height].map(Math.round).join() === "0,0,390,844";
  });
  assert.equal(await widget.launcher.isVisible(), false, "the launcher steps aside");
  const sizes = await widget.host
    .locator("textarea, input")
    .evaluateAll((els) => els.map((el) => parseFloat(getComputedStyle(el).fontSize)));
  assert.ok(sizes.length >= 1 && sizes.every((size) => size >= 16), JSON.stringify(sizes));
  await widget.host.locator("button.x").click();
  await widget.panel.waitFor({ state: "hidden" });
  assert.equal(await widget.launcher.isVisible(), true);
  await page.close();
});

test("site settings, the queued JS API and French", { skip }, async () => {
  const head = `<script>
    window.ParleySettings = { title: "Aide Acme", position: "left" };
    window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };
    window.events = [];
    Parley("on", "open", function () { events.push("open"); });
    Parley("on", "close", function () { events.push("close"); });
    Parley("on", "message", function (m) { events.push(m.sender + ":" + m.content); });
    Parley("identify", { name: "Grace" });
    Parley("open");
  </script>`;
  site.setPage(
    "/settings",
    embedPage(parley.url, { head, attributes: 'data-locale="fr" data-color="#ffcc00" data-title="ignored"' }),
  );
  const page = await browser.context.newPage();
  await page.evaluate(() => localStorage.clear()).catch(() => undefined);
  await page.goto(`${site.origin}/settings`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  const widget = widgetIn(page);
  await widget.panel.waitFor();
  assert.equal(await widget.host.locator("h2").textContent(), "Aide Acme");
  assert.equal(await widget.input.getAttribute("placeholder"), "Écrivez un message…");
  const box = await widget.launcher.boundingBox();
  assert.ok(box && box.x < 100, "launcher on the left");
  const header = await widget.host.locator(".h").evaluate((el) => getComputedStyle(el).color);
  assert.equal(header, "rgb(0, 0, 0)", "dark text on a yellow header");

  await widget.send("Bonjour");
  assert.ok(agent, "the agent from the first test");
  const first = await agent.next("new_message", (e) => e.message.content === "Bonjour");
  assert.equal(first.visitor_name, "Grace");
  agent.perform({ action: "send_message", conversation_id: first.conversation_id, content: "Bonjour Grace" });
  await widget.bubbles.filter({ hasText: "Bonjour Grace" }).waitFor();
  await page.evaluate(() => (window as unknown as { Parley: { close(): void } }).Parley.close());
  const events = await page.evaluate(() => (window as unknown as { events: string[] }).events);
  assert.deepEqual(events, ["open", "visitor:Bonjour", "admin:Bonjour Grace", "close"]);
  await page.close();
});

test("sending too fast shows a calm notice and a retry, not an error", { skip }, async () => {
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  const widget = widgetIn(page);
  await widget.launcher.click();
  for (let i = 1; i <= RATE_LIMIT_PER_MINUTE + 2; i++) await widget.send(`Quick ${i}`);
  await widget.host.locator(".note", { hasText: "quickly" }).waitFor();
  assert.match(
    (await widget.host.locator(".note", { hasText: "quickly" }).textContent()) ?? "",
    /again in \d+ s/,
  );
  await widget.host.locator("li.failed button.r", { hasText: "Retry" }).first().waitFor();
  await page.close();
});

test("Japanese from the browser's language", { skip }, async () => {
  const japanese = await launchChromium({ locale: "ja-JP" });
  try {
    const page = await japanese.context.newPage();
    await page.goto(`${site.origin}/`);
    const widget = widgetIn(page);
    await widget.launcher.click();
    assert.equal(await widget.input.getAttribute("placeholder"), "メッセージを入力…");
    assert.equal(await widget.host.locator("button.x").getAttribute("aria-label"), "チャットを閉じる");
  } finally {
    await japanese.close();
  }
});
