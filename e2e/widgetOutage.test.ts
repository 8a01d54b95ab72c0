/**
 * A server outage under an open widget must not look like "we're away": the widget keeps the
 * availability it knew and says it is reconnecting; a message written meanwhile waits, is sent
 * once the server is back (by client_id, so once), and never reads "Not sent"; and the widget is
 * back within a second or two of the server, not after a backoff that grew during the outage.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Message } from "@parley/protocol";
import { STRINGS } from "../packages/widget/src/i18n.js";
import { FAIL_AFTER_MS } from "../packages/widget/src/session.js";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
/** The bound of the issue: connected again, and the waiting message delivered, by then. */
const RECOVERY_BOUND_MS = 2000;

let parley: Parley;
let site: ThirdPartySite;
let browser: Browser;
const agents: Agent[] = [];

before(async () => {
  if (skip) return;
  site = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [site.origin] });
  site.setPage("/", embedPage(parley.url));
  browser = await launchChromium();
});

after(async () => {
  for (const agent of agents) agent.close();
  await browser?.close();
  await parley?.close();
  await site?.close();
});

async function storedMessages(conversationId: number): Promise<Message[]> {
  const cookie = await login(parley.url);
  const response = await fetch(`${parley.url}/conversations/${conversationId}/messages`, {
    headers: { cookie },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { messages: Message[] }).messages;
}

/**
 * Runs in the page (as text: the test runner's transpiler would name inner functions with a
 * helper the page does not have). It records, as it happens, anything that says "away" or "Not
 * sent", when the "Reconnecting…" note goes, and when the message written during the outage is
 * stored (its status becomes a time).
 */
const WATCH_SCRIPT = (offline: string, reconnecting: string): string => `(() => {
  const shadow = document.querySelector("parley-widget").shadowRoot;
  const watch = { away: [], failed: [], reconnectedAt: 0, sentAt: 0 };
  window.watch = watch;
  let wasReconnecting = false;
  const look = () => {
    const status = shadow.querySelector(".s")?.textContent ?? "";
    if (status.includes(${JSON.stringify(offline)})) watch.away.push(status);
    for (const row of shadow.querySelectorAll("li.failed")) watch.failed.push(row.textContent);
    const note = [...shadow.querySelectorAll(".note")].find(
      (n) => !n.hidden && n.textContent === ${JSON.stringify(reconnecting)},
    );
    if (note) wasReconnecting = true;
    else if (wasReconnecting && !watch.reconnectedAt) watch.reconnectedAt = Date.now();
    const during = [...shadow.querySelectorAll("li.v")].find((li) =>
      li.textContent.includes("Written during the outage"),
    );
    if (during?.querySelector(".t time") && !watch.sentAt) watch.sentAt = Date.now();
  };
  new MutationObserver(look).observe(shadow, { subtree: true, childList: true, characterData: true, attributes: true });
  look();
})()`;

interface Watch {
  away: string[];
  failed: string[];
  reconnectedAt: number;
  sentAt: number;
}

test(
  "an outage reads as reconnecting, not away; the waiting message goes once, soon after",
  { skip },
  async () => {
    const agent = await connectAgent(parley.url);
    agents.push(agent);
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/`);
    const widget = widgetIn(page);
    await widget.launcher.click();
    await widget.host.locator(".s", { hasText: STRINGS.en.online }).waitFor();
    await widget.send("Before the outage");
    const { conversation_id: id } = await agent.next(
      "new_message",
      (e) => e.message.content === "Before the outage",
    );

    await page.evaluate(WATCH_SCRIPT(STRINGS.en.offline, STRINGS.en.reconnecting));
    const watch = (): Promise<Watch> => page.evaluate(() => (window as unknown as { watch: Watch }).watch);

    await parley.server.close();
    await widget.host.locator(".note", { hasText: STRINGS.en.reconnecting }).waitFor();
    await widget.send("Written during the outage");
    await widget.host.locator("li.v .t", { hasText: STRINGS.en.sending }).waitFor();
    // The server stays down longer than a send is given to be confirmed while connected: a
    // message written offline must not fail for it. (The scenario's length, not a wait for a result.)
    await new Promise((resolve) => setTimeout(resolve, FAIL_AFTER_MS + 2000));
    assert.deepEqual((await watch()).failed, [], "nothing reads Not sent during the outage");

    await parley.restart();
    const restartedAt = Date.now();
    const agentAfter = await connectAgent(parley.url);
    agents.push(agentAfter);
    await waitFor("the widget connected again", async () => (await watch()).reconnectedAt > 0);
    await waitFor("the waiting message stored", async () => (await watch()).sentAt > 0);
    const seen = await watch();
    const reconnectMs = seen.reconnectedAt - restartedAt;
    const deliveredMs = seen.sentAt - restartedAt;
    console.log(`reconnected ${reconnectMs} ms and delivered ${deliveredMs} ms after the restart`);
    assert.ok(reconnectMs <= RECOVERY_BOUND_MS, `reconnected ${reconnectMs} ms after the restart`);
    assert.ok(deliveredMs <= RECOVERY_BOUND_MS, `delivered ${deliveredMs} ms after the restart`);

    // The agent is back too: the header still (or again) says online, and never said away.
    await widget.host.locator(".s", { hasText: STRINGS.en.online }).waitFor();
    agentAfter.perform({ action: "send_message", conversation_id: id, content: "Back" });
    await widget.bubbles.filter({ hasText: "Back" }).waitFor();
    const final = await watch();
    assert.deepEqual(final.away, [], "the away text never showed for the outage");
    assert.deepEqual(final.failed, [], "nothing read Not sent");

    const stored = (await storedMessages(id)).map((m) => m.content);
    assert.deepEqual(stored, ["Before the outage", "Written during the outage", "Back"], "stored once each");
    assert.deepEqual(await widget.texts(), stored);
    await page.close();
  },
);
