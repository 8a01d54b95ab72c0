/**
 * The server restarts (a deploy) while an agent has a conversation open, and the agent's laptop
 * is offline a while too: the inbox shows that it is reconnecting, comes back by itself, and
 * catches up with `since`. Every message sent meanwhile shows exactly once, and unread counts
 * are not doubled by the replay.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Conversation } from "@parley/protocol";
import { login } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();

let parley: Parley;
let browser: Browser;
const visitors: StockVisitor[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  browser = await launchChromium();
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  await browser?.close();
  await parley?.close();
});

async function storedConversation(id: number): Promise<Conversation> {
  const cookie = await login(parley.url);
  const response = await fetch(`${parley.url}/conversations/${id}`, { headers: { cookie } });
  return ((await response.json()) as { conversation: Conversation }).conversation;
}

test(
  "after a restart the inbox catches up: messages sent meanwhile show exactly once",
  { skip },
  async () => {
    const vera = await connectVisitor(parley.url, "Vera");
    const otto = await connectVisitor(parley.url, "Otto");
    visitors.push(vera, otto);
    vera.send("Before the restart");
    otto.send("Otto before");
    const inbox = inboxIn(await browser.context.newPage());
    await loginInInbox(inbox.page, parley.url, OWNER);
    await inbox.open("Vera");
    await inbox.bubbles.filter({ hasText: "Before the restart" }).waitFor();
    await inbox.reply("Reply before");
    await vera.next("message", (event) => event.message.content === "Reply before");

    // Down: the server goes, and so does the agent's network (a laptop lid closing).
    await parley.server.close();
    await inbox.banner.filter({ hasText: "Reconnecting" }).waitFor();
    await browser.context.setOffline(true);
    await inbox.reply("Written while the server was away");
    await inbox.page.locator(".msg.sending", { hasText: "Written while the server was away" }).waitFor();

    // Up again; the visitors write while the inbox is still offline.
    await parley.restart();
    const vera2 = await connectVisitor(parley.url, "Vera", vera.token);
    const otto2 = await connectVisitor(parley.url, "Otto", otto.token);
    visitors.push(vera2, otto2);
    vera2.send("Missed 1");
    vera2.send("Missed 2");
    otto2.send("Otto missed");
    await vera2.next("message", (event) => event.message.content === "Missed 2");
    await otto2.next("message", (event) => event.message.content === "Otto missed");

    await browser.context.setOffline(false);
    await inbox.bubbles.filter({ hasText: "Missed 2" }).waitFor({ timeout: 20_000 });
    await inbox.banner.waitFor({ state: "detached" });
    await vera2.next("message", (event) => event.message.content === "Written while the server was away");
    await inbox.page.locator(".msg.sending").waitFor({ state: "detached" });

    vera2.send("Live after");
    await inbox.bubbles.filter({ hasText: "Live after" }).waitFor();
    const expected = [
      "Before the restart",
      "Reply before",
      "Written while the server was away",
      "Missed 1",
      "Missed 2",
      "Live after",
    ];
    const texts = await inbox.texts();
    assert.deepEqual([...texts].sort(), [...expected].sort(), "each message once");
    const stored = vera2.messages().map((message) => message.content);
    assert.deepEqual(texts, stored, "in the server's order");

    // The other conversation caught up too, with the server's unread count, not a doubled one.
    const ottoRow = inbox.row("Otto");
    await ottoRow.locator(".preview", { hasText: "Otto missed" }).waitFor();
    const ottoId = Number(await ottoRow.getAttribute("data-conversation-id"));
    const server = await storedConversation(ottoId);
    assert.equal(server.unread_count, 2);
    await waitFor("Otto's badge", async () => (await ottoRow.locator(".badge").textContent()) === "2");
    assert.equal(await inbox.page.title(), "(2) Parley inbox");
  },
);
