/**
 * (§15) A snooze survives a restart: its wake-up waits in the durable job queue, so a server
 * stopped before the time and started again opens the conversation at its time, and an agent
 * connected to the new process hears it.
 */
import assert from "node:assert/strict";
import { after, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

type Conv = { id: number; state: string; snoozed_until: string | null };

const consumers: Consumer[] = [];
let server: TestServer | undefined;
after(async () => {
  for (const consumer of consumers) consumer.disconnect();
  await server?.dispose();
});

it("wakes a snooze set before a restart, after it", async () => {
  const first = await startTestServer();
  const { conversation } = await first.store.createConversation({
    token: visitorToken(),
    visitorName: "Rita",
    createdIp: null,
    siteId: (await first.store.getDefaultSite()).id,
    at: new Date().toISOString(),
  });
  const until = new Date(Date.now() + 4000).toISOString();
  const set = await fetch(`${first.url}/conversations/${conversation.id}/state`, {
    method: "PUT",
    headers: { cookie: await login(first.url), "content-type": "application/json" },
    body: JSON.stringify({ state: "snoozed", snoozed_until: until }),
  });
  assert.equal(set.status, 200, await set.text());
  await first.close();

  server = await startTestServer({}, first.storageDir);
  const stored = await server.store.getConversation(conversation.id);
  assert.equal(stored?.state, "snoozed", "still snoozed when the new process starts");
  const consumer = createConsumer(server.url, { cookie: await login(server.url) });
  consumers.push(consumer);
  const agent = new RecordingSubscription(consumer, { channel: "AdminChannel" });
  const woke = await agent.next(
    (m) =>
      m.type === "conversation_updated" &&
      (m.conversation as Conv).id === conversation.id &&
      (m.conversation as Conv).state === "open",
    10_000,
  );
  assert.equal((woke.conversation as Conv).snoozed_until, null);
  assert.ok(Date.now() >= Date.parse(until));
});
