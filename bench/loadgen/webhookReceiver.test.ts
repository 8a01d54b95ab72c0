import assert from "node:assert/strict";
import { test } from "node:test";
import { WebhookReceiver } from "./webhookReceiver.js";

const deliver = async (url: string, id: string, type: string) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "parley-event-id": id, "parley-event-type": type },
    body: JSON.stringify({ id, type, data: {} }),
  });
  await response.arrayBuffer();
  return response.status;
};

test("answers every delivery 204 and counts events by type, a retried event once", async () => {
  const receiver = await WebhookReceiver.start();
  try {
    assert.equal(await deliver(receiver.url, "e1", "message.created"), 204);
    assert.equal(await deliver(receiver.url, "e2", "message.created"), 204);
    assert.equal(await deliver(receiver.url, "e2", "message.created"), 204);
    assert.equal(await deliver(receiver.url, "e3", "conversation.created"), 204);
    assert.deepEqual(receiver.snapshot(), {
      requests: 4,
      events: { "message.created": 2, "conversation.created": 1 },
    });
  } finally {
    await receiver.stop();
  }
});
