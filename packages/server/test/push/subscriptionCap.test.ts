/**
 * One agent's push subscriptions are capped: each browser adds one, and nothing else ever
 * removes those a browser silently dropped, so without a cap a script with an agent's session
 * could grow the table (and every push's fan-out) without bound.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MAX_PUSH_SUBSCRIPTIONS_PER_AGENT } from "../../src/push/subscriptionLimit.js";
import { login, startTestServer, type TestServer } from "../support/testServer.js";
import { agentApi } from "./support/agentApi.js";
import { browserSubscription } from "./support/browserSubscription.js";

describe("push subscriptions per agent", () => {
  let server: TestServer;
  let api: ReturnType<typeof agentApi>;

  before(async () => {
    server = await startTestServer();
    api = agentApi(server.url, await login(server.url));
  });
  after(() => server.dispose());

  it(`keeps the newest ${MAX_PUSH_SUBSCRIPTIONS_PER_AGENT}, replacing the oldest`, async () => {
    assert.equal(MAX_PUSH_SUBSCRIPTIONS_PER_AGENT, 10);
    const endpoints = Array.from({ length: 13 }, (_, i) => `https://fcm.googleapis.com/fcm/send/device-${i}`);
    for (const endpoint of endpoints) {
      assert.equal((await api.subscribe(browserSubscription(endpoint).body)).status, 201);
    }
    // Saving a kept endpoint again refreshes its keys and removes nothing.
    assert.equal((await api.subscribe(browserSubscription(endpoints[12]!).body)).status, 201);
    const owner = (await server.store.findAgentByUsername("owner"))!;
    const kept = (await server.store.listPushSubscriptions(owner.id)).map((row) => row.endpoint);
    assert.deepEqual(kept, endpoints.slice(3));
  });
});
