/**
 * The banner that offers sound and push on first load, while both are off: one click turns on
 * each (push asks the browser's permission only on that click, as the Account switch does), and
 * dismissing it is remembered in this browser.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { login } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { fakePushService, pushCalls, TEST_PUSH_ORIGIN } from "./support/pushWorker.js";

const skip = skipWithoutChromium();

let parley: Parley;
const browsers: Browser[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley({ env: { PUSH_ENDPOINT_ORIGINS: TEST_PUSH_ORIGIN } });
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function browser(): Promise<Browser> {
  const launched = await launchChromium();
  browsers.push(launched);
  return launched;
}

async function storedEndpoints(): Promise<string[]> {
  const response = await fetch(`${parley.url}/auth/me`, { headers: { cookie: await login(parley.url) } });
  const { agent } = (await response.json()) as { agent: { id: number } };
  return (await parley.server.store.listPushSubscriptions(agent.id)).map(
    (subscription) => subscription.endpoint,
  );
}

test(
  "the banner turns on sound and push with one click each, asking permission only then",
  { skip },
  async () => {
    const { context } = await browser();
    const { endpoint } = await fakePushService(context);
    await context.grantPermissions(["notifications"], { origin: parley.url });
    const page = await context.newPage();
    await loginInInbox(page, parley.url, OWNER);

    const banner = page.getByRole("region", { name: "Get notified" });
    await banner.getByRole("button", { name: "Turn on notifications" }).waitFor();
    assert.equal((await pushCalls(page)).permissionAsks, 0, "no permission prompt on page load");

    await banner.getByRole("button", { name: "Turn on sound" }).click();
    await banner.getByText("Sound is on").waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem("parley.inbox.sound")), "on");
    assert.equal((await pushCalls(page)).permissionAsks, 0);

    await banner.getByRole("button", { name: "Turn on notifications" }).click();
    // With both on there is nothing left to offer: the banner goes.
    await banner.waitFor({ state: "detached" });
    assert.equal((await pushCalls(page)).permissionAsks, 1);
    assert.deepEqual(await storedEndpoints(), [endpoint]);

    // Account shows the same choices.
    await page.getByRole("link", { name: "Account" }).click();
    await page.locator('[data-push-state="on"]').waitFor();
    assert.equal(
      await page.getByRole("checkbox", { name: "Play a sound when a visitor writes" }).isChecked(),
      true,
    );
    await page.getByRole("link", { name: "Inbox" }).click();
    await page.getByRole("searchbox", { name: "Search conversations" }).waitFor();
    assert.equal(await banner.count(), 0);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByText("You have logged out.").waitFor();
  },
);

test("a dismissed banner stays dismissed in this browser", { skip }, async () => {
  const { context } = await browser();
  const page = await context.newPage();
  await loginInInbox(page, parley.url, OWNER);
  const banner = page.getByRole("region", { name: "Get notified" });
  await banner.getByRole("button", { name: "Dismiss" }).click();
  await banner.waitFor({ state: "detached" });
  assert.equal(
    await page.evaluate(() => localStorage.getItem("parley.inbox.sound")),
    null,
    "dismissing turns nothing on",
  );

  await page.reload();
  // Once dismissed, the banner is not shown from the first render on (it waits for nothing).
  await page.getByRole("searchbox", { name: "Search conversations" }).waitFor();
  assert.equal(await banner.count(), 0);
});

test("no banner when the agent already turned sound on", { skip }, async () => {
  const { context } = await browser();
  const page = await context.newPage();
  await loginInInbox(page, parley.url, OWNER);
  await page.getByRole("link", { name: "Account" }).click();
  await page.getByRole("checkbox", { name: "Play a sound when a visitor writes" }).check();
  await page.reload();
  await page.getByRole("checkbox", { name: "Play a sound when a visitor writes" }).waitFor();
  await page.getByRole("link", { name: "Inbox" }).click();
  await page.getByRole("searchbox", { name: "Search conversations" }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Get notified" }).count(), 0);
});
