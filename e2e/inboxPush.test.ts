/**
 * Web push in the inbox, in Chromium: the switch on *Account* subscribes this device and tells
 * the server, sign-out removes the subscription, and the service worker at /admin/sw.js shows a
 * push delivered through the DevTools protocol and takes a click to the conversation.
 * support/pushWorker.ts says which parts of the browser stand in for what.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { visitorMessageNotification } from "../packages/server/src/push/payload.js";
import { login } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { fakePushService, probePushWorker, pushCalls, TEST_PUSH_ORIGIN } from "./support/pushWorker.js";

const skip = skipWithoutChromium();

let parley: Parley;
const browsers: Browser[] = [];
const visitors: StockVisitor[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley({ env: { PUSH_ENDPOINT_ORIGINS: TEST_PUSH_ORIGIN } });
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function browser(): Promise<Browser> {
  const launched = await launchChromium();
  browsers.push(launched);
  return launched;
}

async function ownerId(): Promise<number> {
  const response = await fetch(`${parley.url}/auth/me`, { headers: { cookie: await login(parley.url) } });
  return ((await response.json()) as { agent: { id: number } }).agent.id;
}

/** Waits for the push switch's state; a timeout tells what the page says instead. */
async function switchReaches(page: Page, state: string): Promise<void> {
  try {
    await page.locator(`[data-push-state="${state}"]`).waitFor({ timeout: 15_000 });
  } catch {
    const card = await page
      .locator("section", { has: page.getByRole("heading", { name: "Notifications" }) })
      .textContent();
    throw new Error(`the push switch did not get to "${state}"; the page says: ${card}`);
  }
}

const storedEndpoints = async (): Promise<string[]> =>
  (await parley.server.store.listPushSubscriptions(await ownerId())).map(
    (subscription) => subscription.endpoint,
  );

test(
  "the service worker is served at /admin/sw.js as JavaScript that is never cached long",
  { skip },
  async () => {
    const response = await fetch(`${parley.url}/admin/sw.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^(text|application)\/javascript/);
    assert.doesNotMatch(response.headers.get("cache-control") ?? "", /max-age=[1-9]|immutable/);
    assert.doesNotMatch(await response.text(), /<!doctype html>/i);
  },
);

test(
  "the push switch asks for permission only when turned on; sign-out removes the subscription",
  { skip },
  async () => {
    const { context } = await browser();
    const { endpoint } = await fakePushService(context);
    await context.grantPermissions(["notifications"], { origin: parley.url });
    const page = await context.newPage();
    await loginInInbox(page, parley.url, OWNER);
    await page.getByRole("link", { name: "Account" }).click();

    const push = page.getByRole("checkbox", { name: "Web push notifications on this device" });
    const note = page.locator("[data-push-note]");
    await switchReaches(page, "off");
    assert.equal(await push.isChecked(), false);
    assert.equal(
      await page.evaluate(() =>
        navigator.serviceWorker.getRegistration("/admin/").then((r) => r === undefined),
      ),
      true,
    );
    assert.equal((await pushCalls(page)).permissionAsks, 0);

    await push.check();
    await switchReaches(page, "on");
    assert.match((await note.textContent()) ?? "", /^On:/);
    const scriptURL = await page.evaluate(
      async () => (await navigator.serviceWorker.ready).active?.scriptURL,
    );
    assert.equal(scriptURL, `${parley.url}/admin/sw.js`);
    assert.deepEqual(await storedEndpoints(), [endpoint]);
    assert.equal((await pushCalls(page)).permissionAsks, 1);

    // Off and on again: the server forgets and relearns the endpoint.
    await push.uncheck();
    await switchReaches(page, "off");
    assert.deepEqual(await storedEndpoints(), []);
    await push.check();
    await switchReaches(page, "on");
    assert.deepEqual(await storedEndpoints(), [endpoint]);
    const { unsubscribed } = await pushCalls(page);

    // Sign-out: the DELETE needs the session, so it must come before the logout (else it is a 401).
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByText("You have logged out.").waitFor();
    assert.deepEqual(await storedEndpoints(), []);
    assert.equal((await pushCalls(page)).unsubscribed, unsubscribed + 1);
  },
);

test("blocked notifications leave the switch disabled with a note", { skip }, async () => {
  const { context } = await browser();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Browser.setPermission", {
    permission: { name: "notifications" },
    setting: "denied",
    origin: parley.url,
  });
  await loginInInbox(page, parley.url, OWNER);
  await page.getByRole("link", { name: "Account" }).click();
  await switchReaches(page, "denied");
  assert.equal(
    await page.getByRole("checkbox", { name: "Web push notifications on this device" }).isDisabled(),
    true,
  );
  assert.match((await page.locator("[data-push-note]").textContent()) ?? "", /blocked/);
});

test(
  "the service worker shows a pushed notification, and a click opens the conversation",
  { skip },
  async () => {
    const { context } = await browser();
    await fakePushService(context);
    await context.grantPermissions(["notifications"], { origin: parley.url });
    const page = await context.newPage();
    const probe = await probePushWorker(context, page, parley.url);
    await loginInInbox(page, parley.url, OWNER);

    const noor = await connectVisitor(parley.url, "Noor");
    visitors.push(noor);
    noor.send("Do you ship to Norway?");
    const inbox = inboxIn(page);
    await inbox.row("Noor").waitFor();
    const conversationId = Number((await inbox.row("Noor").getAttribute("href"))?.split("/").pop());
    assert.ok(conversationId > 0);

    // The worker comes with the switch (in a real browser the push service then pushes to it).
    await page.getByRole("link", { name: "Account" }).click();
    await page.getByRole("checkbox", { name: "Web push notifications on this device" }).check();
    await switchReaches(page, "on");
    await probe.registrationId();

    // What the server's push job would send (the same builder), first for one message, then three.
    const conversation = { id: conversationId, visitorName: "Noor" };
    const first = visitorMessageNotification(
      { ...conversation, unreadCount: 1 },
      { content: "Do you ship to Norway?" },
    );
    await probe.deliver(first);
    assert.deepEqual(await probe.shown(), [
      {
        title: "New message from Noor",
        body: "Do you ship to Norway?",
        tag: `parley-conversation-${conversationId}`,
        data: { url: `${parley.url}/admin/chats/${conversationId}`, count: 1 },
        renotify: false,
      },
    ]);

    // A newer push about the conversation replaces it on screen, and alerts again: more messages.
    await probe.deliver(
      visitorMessageNotification({ ...conversation, unreadCount: 3 }, { content: "Or to Iceland?" }),
    );
    const replaced = await probe.shown();
    assert.equal(replaced.length, 1);
    assert.equal(replaced[0]?.title, "3 new messages from Noor");
    assert.equal(replaced[0]?.body, "Or to Iceland?");
    assert.equal(replaced[0]?.renotify, true);

    // The click brings the open inbox window (here on Account) to the conversation.
    assert.equal(new URL(page.url()).pathname, "/admin/account");
    await probe.click(first.tag);
    await page.waitForURL(`${parley.url}/admin/chats/${conversationId}`);
    await page.locator(".thread-head h2", { hasText: "Noor" }).waitFor();
    assert.deepEqual(await probe.shown(), []);
  },
);
