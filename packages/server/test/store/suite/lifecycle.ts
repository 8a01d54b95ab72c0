/** Migrations, ping and the engine's identity. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { at, newConversation, visitorMessage, withStore, type StoreFactory } from "./harness.js";

export function lifecycleTests(fresh: StoreFactory, engine: "sqlite" | "postgres"): void {
  describe("lifecycle", () => {
    it(`reports its engine (${engine}) and answers ping`, () =>
      withStore(fresh, async (store) => {
        assert.equal(store.engine, engine);
        await store.ping();
      }));

    it("runs migrate() again, and twice at once, as a no-op that keeps the data", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const { message } = await store.appendMessage(visitorMessage(conversation.id, "kept", at(1)));
        await store.migrate();
        await Promise.all([store.migrate(), store.migrate()]);
        assert.deepEqual(await store.listMessagesSince(0, 10), [message]);
        const next = await store.appendMessage(visitorMessage(conversation.id, "next", at(2)));
        assert.ok(next.message.id > message.id);
      }));

    it("fails ping after close", async () => {
      const store = await fresh();
      await store.close();
      await assert.rejects(store.ping());
    });
  });
}
