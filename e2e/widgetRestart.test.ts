/**
 * The server restarts mid-conversation (a deploy): the widget shows a quiet "reconnecting",
 * comes back by itself, catches up with `since`, and neither loses nor repeats a message —
 * including one the visitor wrote while the server was away.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Message } from "@parley/protocol";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();

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

test("after a restart the widget catches up without duplicates", { skip }, async () => {
  const agent = await connectAgent(parley.url);
  agents.push(agent);
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.send("Before the restart");
  const { conversation_id: id } = await agent.next(
    "new_message",
    (e) => e.message.content === "Before the restart",
  );
  agent.perform({ action: "send_message", conversation_id: id, content: "Reply before" });
  await widget.bubbles.filter({ hasText: "Reply before" }).waitFor();

  // Down: the server goes, and the visitor's network too, so the widget cannot come back early.
  await parley.server.close();
  await widget.host.locator(".note", { hasText: "Reconnecting" }).waitFor();
  await browser.context.setOffline(true);
  await widget.send("Written while the server was away");
  await widget.host.locator("li.v .t", { hasText: "Sending" }).waitFor();

  // Up again, same storage and port; an agent writes while the widget is still offline.
  await parley.restart();
  const agentAfter = await connectAgent(parley.url);
  agents.push(agentAfter);
  agentAfter.perform({ action: "send_message", conversation_id: id, content: "Missed reply 1" });
  agentAfter.perform({ action: "send_message", conversation_id: id, content: "Missed reply 2" });
  await agentAfter.next("new_message", (e) => e.message.content === "Missed reply 2");

  await browser.context.setOffline(false);
  await widget.bubbles.filter({ hasText: "Missed reply 2" }).waitFor({ timeout: 15_000 });
  await agentAfter.next("new_message", (e) => e.message.content === "Written while the server was away");
  await widget.host.locator(".note", { hasText: "Reconnecting" }).waitFor({ state: "hidden" });

  agentAfter.perform({ action: "send_message", conversation_id: id, content: "Live after" });
  await widget.bubbles.filter({ hasText: "Live after" }).waitFor();
  const expected = [
    "Before the restart",
    "Reply before",
    "Missed reply 1",
    "Missed reply 2",
    "Written while the server was away",
    "Live after",
  ];
  assert.deepEqual([...(await widget.texts())].sort(), [...expected].sort());
  const stored = (await storedMessages(id)).map((m) => m.content);
  assert.deepEqual([...stored].sort(), [...expected].sort(), "stored once each on the server");
  // The widget shows them in the server's order.
  assert.deepEqual(await widget.texts(), stored);

  await page.reload();
  await widgetIn(page).launcher.click();
  await waitFor(
    "history after reload",
    async () => (await widgetIn(page).texts()).length === expected.length,
  );
  assert.deepEqual(await widgetIn(page).texts(), stored);
});
