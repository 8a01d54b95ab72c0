/**
 * What screen readers and automated checks find in the widget: axe-core, scoped to the widget's
 * host element (it walks the open shadow root), reports no violation of moderate impact or more,
 * closed, open and in a conversation, in light and dark colour schemes, on a desktop and on a
 * phone. The widget is read in its own language, the visitor's messages say "You", every agent
 * message says who wrote it, and the launcher says (and shows) that it closes an open chat.
 */
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { CHAT_ICON, CLOSE_ICON } from "../packages/widget/src/ui/dom.js";
import { connectAgent, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser, type LaunchOptions } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const SERIOUS = new Set(["moderate", "serious", "critical"]);
const DEVICES: [string, LaunchOptions][] = [
  ["desktop", {}],
  ["phone", { viewport: { width: 390, height: 844 }, phone: true }],
];

let parley: Parley;
let site: ThirdPartySite;
let agent: Agent;
const browsers: Browser[] = [];

before(async () => {
  if (skip) return;
  site = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [site.origin] });
  site.setPage("/", embedPage(parley.url));
  agent = await connectAgent(parley.url);
});

after(async () => {
  agent?.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
  await site?.close();
});

async function launch(options: LaunchOptions = {}): Promise<Browser> {
  const browser = await launchChromium(options);
  browsers.push(browser);
  return browser;
}

/**
 * axe's findings of moderate impact or more in the widget, one line each. Once the panel's
 * opening animation is over: halfway through its fade, text is not yet at its final contrast.
 */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(async () => {
    const shadow = document.querySelector("parley-widget")?.shadowRoot;
    await Promise.all((shadow?.getAnimations() ?? []).map((animation) => animation.finished));
  });
  const results = await new AxeBuilder({ page }).include("parley-widget").analyze();
  return results.violations
    .filter((violation) => SERIOUS.has(violation.impact ?? ""))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => JSON.stringify(node.target)).join(", ")}`,
    );
}

for (const [device, options] of DEVICES) {
  test(`axe finds nothing of moderate impact or more on a ${device}, light and dark`, { skip }, async () => {
    const browser = await launch(options);
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme });
      await page.goto(`${site.origin}/`);
      const widget = widgetIn(page);
      await widget.launcher.waitFor();
      // Closed, with the app's (hidden) panel in place.
      await widget.panel.waitFor({ state: "attached" });
      assert.deepEqual(await violations(page), [], `${device}, ${colorScheme}, closed`);

      await widget.launcher.click();
      await widget.panel.waitFor();
      assert.deepEqual(await violations(page), [], `${device}, ${colorScheme}, open`);

      const hello = `Hello from a ${device} in ${colorScheme}`;
      await widget.send(hello);
      const sent = await agent.next("new_message", (e) => e.message.content === hello);
      agent.perform({ action: "send_message", conversation_id: sent.conversation_id, content: "Hi there" });
      agent.perform({
        action: "send_message",
        conversation_id: sent.conversation_id,
        content: "How can I help?",
      });
      await widget.bubbles.filter({ hasText: "How can I help?" }).last().waitFor();
      await widget.host.locator("li.v .t", { hasText: "now" }).last().waitFor();
      assert.deepEqual(await violations(page), [], `${device}, ${colorScheme}, in a conversation`);
      await page.close();
    }
  });
}

test("screen readers hear who wrote each message: You, or the agent's name", { skip }, async () => {
  const browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.send("Where is my order?");
  const sent = await agent.next("new_message", (e) => e.message.content === "Where is my order?");
  agent.perform({ action: "send_message", conversation_id: sent.conversation_id, content: "Let me look" });
  agent.perform({ action: "send_message", conversation_id: sent.conversation_id, content: "It ships today" });
  await widget.bubbles.filter({ hasText: "It ships today" }).waitFor();
  // The name, after the agent's face (a photo with an empty alt, or an initial hidden from screen readers).
  const agentName = await widget.host
    .locator("li.a .who")
    .first()
    .evaluate((who) => who.lastChild?.textContent ?? "");
  assert.ok(agentName, "the agent's name heads their first message");

  const mine = widget.host.locator("li.v", { hasText: "Where is my order?" });
  assert.match(await mine.ariaSnapshot(), /You/);
  const label = await mine.getByText("You", { exact: true }).boundingBox();
  assert.ok(label && label.width <= 1 && label.height <= 1, "said, not shown");
  // The agent's second message has no visible name above it, but a screen reader hears it.
  const second = widget.host.locator("li.a", { hasText: "It ships today" });
  assert.match(await second.ariaSnapshot(), new RegExp(agentName));
  await page.close();
});

test("the widget is read in its own language, whatever the page's", { skip }, async () => {
  const japanese = await launch({ locale: "ja-JP" });
  const page = await japanese.context.newPage();
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.equal(await widget.host.locator(".w").getAttribute("lang"), "ja");
  assert.equal(await widget.launcher.getAttribute("aria-label"), "チャットを開く");
  await page.close();

  const english = await launch();
  const other = await english.context.newPage();
  await other.goto(`${site.origin}/`);
  await widgetIn(other).launcher.waitFor();
  assert.equal(await widgetIn(other).host.locator(".w").getAttribute("lang"), "en");
  await other.close();
});

test("while the chat is open the launcher shows a close icon and says it closes", { skip }, async () => {
  const browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  const shape = widget.launcher.locator("svg path");
  await widget.launcher.waitFor();
  assert.equal(await shape.getAttribute("d"), CHAT_ICON);
  await widget.launcher.click();
  await widget.panel.waitFor();
  assert.equal(await widget.launcher.getAttribute("aria-label"), "Close chat");
  assert.equal(await widget.launcher.getAttribute("aria-expanded"), "true");
  assert.equal(await shape.getAttribute("d"), CLOSE_ICON);
  await widget.launcher.click();
  await widget.panel.waitFor({ state: "hidden" });
  assert.equal(await widget.launcher.getAttribute("aria-label"), "Open chat");
  assert.equal(await shape.getAttribute("d"), CHAT_ICON);
  await page.close();
});
