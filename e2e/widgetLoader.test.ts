/**
 * widget.js is a loader: `window.Parley` and the launcher from its first bytes, the chat app
 * (widget-app.js) fetched when the browser is idle, or at once when the visitor is quicker. The
 * app owns the connection, so a reply that came while the visitor was on another page shows on
 * the launcher's badge of a page where the chat was never opened.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page, Route } from "playwright-core";
import { connectAgent, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const APP = "**/widget-app.js?*";

let parley: Parley;
let site: ThirdPartySite;
let browser: Browser;
let agent: Agent;

before(async () => {
  if (skip) return;
  site = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [site.origin] });
  const events = `<script>
    window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };
    window.events = [];
    Parley("on", "open", function () { events.push("open"); });
    Parley("on", "close", function () { events.push("close"); });
  </script>`;
  site.setPage("/", embedPage(parley.url, { head: events }));
  site.setPage("/other", embedPage(parley.url, { body: "<h1>Another page</h1>" }));
  browser = await launchChromium();
  agent = await connectAgent(parley.url);
});

after(async () => {
  agent?.close();
  await browser?.close();
  await parley?.close();
  await site?.close();
});

/** The paths the page asked for, in order. */
function requests(page: Page): string[] {
  const paths: string[] = [];
  page.on("request", (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

test("the launcher and window.Parley come first; the app follows at idle, unasked", { skip }, async () => {
  const page = await browser.context.newPage();
  const paths = requests(page);
  const app = page.waitForResponse((response) => response.url().includes("/widget-app.js"));
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.waitFor();
  assert.equal(await page.evaluate(() => typeof (window as { Parley?: unknown }).Parley), "function");
  const response = await app;
  // At a versioned URL, kept for a year: the next page view gets it from the cache.
  assert.match(new URL(response.url()).search, /^\?v=[\w-]{12}$/);
  assert.match(response.headers()["cache-control"] ?? "", /immutable/);
  assert.deepEqual(
    paths.filter((path) => path.startsWith("/widget")),
    ["/widget.js", "/widget/config", "/widget-app.js"],
  );
  // The app has put its (closed) panel next to the launcher, ready to open at once.
  await widget.panel.waitFor({ state: "attached" });
  assert.equal(await widget.launcher.getAttribute("aria-controls"), await widget.panel.getAttribute("id"));
  await widget.launcher.click();
  await widget.panel.waitFor();
  await page.close();
});

test("a press before the app has arrived opens the chat when it does, once", { skip }, async () => {
  const page = await browser.context.newPage();
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await page.route(APP, async (route: Route) => {
    held++;
    await released;
    await route.continue();
  });
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.launcher.click();
  await waitFor("the app requested", () => held > 0);
  assert.equal(await widget.panel.count(), 0, "no panel without the app");
  release();
  await widget.panel.waitFor();
  assert.equal(await widget.launcher.getAttribute("aria-expanded"), "true");
  assert.equal(held, 1, "fetched once");
  const events = await page.evaluate(() => (window as unknown as { events: string[] }).events);
  assert.deepEqual(events, ["open"], "two presses before the app came open it, once");
  await page.close();
});

test("an app that did not load is asked for again on the next press", { skip }, async () => {
  const page = await browser.context.newPage();
  let attempts = 0;
  await page.route(APP, async (route: Route) => {
    attempts++;
    if (attempts === 1) await route.abort("internetdisconnected");
    else await route.continue();
  });
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.waitFor();
  await waitFor("the failed attempt", () => attempts === 1 && errors.some((e) => e.includes("Parley")));
  await widget.launcher.click();
  await widget.panel.waitFor();
  assert.equal(attempts, 2);
  await page.close();
});

test(
  "a reply that came meanwhile shows on the badge of a page where the chat was never opened",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/`);
    const widget = widgetIn(page);
    await widget.launcher.click();
    await widget.send("Is this in stock?");
    const sent = await agent.next("new_message", (e) => e.message.content === "Is this in stock?");
    await widget.host.locator("li.v .t", { hasText: "now" }).waitFor();

    await page.goto(`${site.origin}/other`);
    const other = widgetIn(page);
    await other.launcher.waitFor();
    agent.perform({ action: "send_message", conversation_id: sent.conversation_id, content: "Yes, 3 left" });
    await waitFor(
      "a badge of 1",
      async () => (await other.badge.isVisible()) && (await other.badge.textContent()) === "1",
    );
    assert.equal(await other.launcher.getAttribute("aria-label"), "Open chat (1 unread)");
    assert.equal(await other.panel.isVisible(), false, "never opened on this page");
    await page.close();
  },
);

test("widget-app.js is served like widget.js: gzip, ETag, immutable when versioned", { skip }, async () => {
  const first = await fetch(`${parley.url}/widget-app.js?v=1`, { headers: { "accept-encoding": "gzip" } });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("content-encoding"), "gzip");
  assert.match(first.headers.get("cache-control") ?? "", /immutable/);
  assert.match(first.headers.get("content-type") ?? "", /^application\/javascript/);
  assert.equal(first.headers.get("cross-origin-resource-policy"), "cross-origin");
  const etag = first.headers.get("etag");
  assert.ok(etag);
  const bare = await fetch(`${parley.url}/widget-app.js`, { headers: { "if-none-match": etag } });
  assert.equal(bare.status, 304);
  assert.equal(bare.headers.get("cache-control"), "public, max-age=300");
});
