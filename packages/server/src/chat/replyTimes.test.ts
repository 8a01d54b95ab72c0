/**
 * The reply time (protocol §14): the median of first replies, and the widget's cache of it, which
 * never makes a request wait and computes a site's value again at most every REPLY_TIME_REFRESH_MS.
 * On a real SQLite store, with the cache's clock in the test's hands.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { openStore } from "../store/openStore.js";
import type { FirstReply, Store } from "../store/store.js";
import { REPLY_TIME_REFRESH_MS, ReplyTimes, replyStats } from "./replyTimes.js";

const T0 = Date.parse("2026-06-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const reply = (afterS: number | null): FirstReply => ({
  conversationId: 1,
  visitorAt: iso(T0),
  replyAt: afterS === null ? null : iso(T0 + afterS * 1000),
});

describe("reply times", () => {
  it("takes the median of the answered ones, in whole seconds, from the third on", () => {
    assert.deepEqual(replyStats([reply(600), reply(60), reply(120)]), { answered: 3, medianSeconds: 120 });
    assert.deepEqual(replyStats([reply(60), reply(120), reply(null), reply(300), reply(601)]), {
      answered: 4,
      medianSeconds: 210,
    });
    assert.deepEqual(replyStats([reply(60), reply(0.4), reply(null)]), { answered: 2, medianSeconds: null });
    assert.deepEqual(replyStats([]), { answered: 0, medianSeconds: null });
  });

  describe("the widget's cache", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-reply-times-"));
    let store: Store;
    let siteId: number;
    let now = T0;

    const answered = async (visitorAt: number, afterS: number) => {
      const { conversation } = await store.appendFirstMessage({
        conversation: { token: `t-${visitorAt}-${afterS}`, visitorName: null, createdIp: null, siteId },
        sender: "visitor",
        content: "hi",
        clientId: null,
        agentId: null,
        agentName: null,
        at: iso(visitorAt),
      });
      await store.appendMessage({
        conversationId: conversation.id,
        sender: "admin",
        content: "hello",
        clientId: null,
        agentId: null,
        agentName: "Ann",
        at: iso(visitorAt + afterS * 1000),
      });
    };

    before(async () => {
      store = await openStore({ storageDir: dir });
      await store.migrate();
      siteId = (await store.getDefaultSite()).id;
      for (const afterS of [60, 120, 600]) await answered(T0 - 60 * 60 * 1000, afterS);
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("answers null until its first computation is in, and computes again only when due", async () => {
      const times = new ReplyTimes(store, () => new Date(now), pino({ level: "silent" }));
      assert.equal(times.current(siteId), null);
      await times.idle();
      assert.equal(times.current(siteId), 120);

      // Two fast answers more: not seen before the value is due again.
      await answered(T0 - 30 * 60 * 1000, 1);
      await answered(T0 - 30 * 60 * 1000, 2);
      now = T0 + REPLY_TIME_REFRESH_MS - 1;
      assert.equal(times.current(siteId), 120);
      await times.idle();
      assert.equal(times.current(siteId), 120);

      now = T0 + REPLY_TIME_REFRESH_MS;
      // Due: this answer is still the last value, the next one the new median (1, 2, 60, 120, 600).
      assert.equal(times.current(siteId), 120);
      await times.idle();
      assert.equal(times.current(siteId), 60);
    });
  });
});
