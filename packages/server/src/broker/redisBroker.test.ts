/**
 * What the Redis broker does beyond the Broker contract (broker.test.ts): visitors' streams
 * travel through one pattern subscription per node, shared streams through one channel
 * subscription however many listen, and nodes of either kind hear each other (rolling deploys).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import type { Broker, BrokerEvent, Publication } from "./broker.js";
import { RedisBroker, type RedisBrokerOptions } from "./redisBroker.js";
import { captureLogs } from "../testing/logs.js";
import { connectRedis, privatePrefix, REDIS_SKIP } from "../testing/redis.js";

const redisUrl = process.env.TEST_REDIS_URL || undefined;
const VISITORS: RedisBrokerOptions = { patternFamilies: ["visitor:"] };

const numbered = (n: number): BrokerEvent => ({ type: "sessions_ended", session_ids: [String(n)] });
const numberOf = ({ event }: Publication): number =>
  event.type === "sessions_ended" ? Number(event.session_ids[0]) : Number.NaN;

/** A listener that records the numbers it hears. */
function recorder(): { heard: number[]; listener: (p: Publication) => void } {
  const heard: number[] = [];
  return { heard, listener: (p) => heard.push(numberOf(p)) };
}

/** Publishes a marker on `stream` from `from` and waits until `on` hears it: all before it arrived. */
async function flush(from: Broker, on: Broker, stream = "flush"): Promise<void> {
  let heard!: () => void;
  const arrived = new Promise<void>((resolve) => (heard = resolve));
  const timer = setTimeout(() => heard(), 5000);
  const unsubscribe = await on.subscribe(stream, (p) => numberOf(p) === -1 && heard());
  await from.publish(stream, numbered(-1));
  await arrived;
  clearTimeout(timer);
  unsubscribe();
}

if (redisUrl === undefined) {
  it("Redis broker's channels", { skip: REDIS_SKIP }, () => {});
} else {
  const url = redisUrl;
  describe("Redis broker's channels", () => {
    let admin: Redis;
    let prefix: string;
    const brokers: Broker[] = [];
    const node = async (options: RedisBrokerOptions) => {
      const broker = await RedisBroker.connect(url, captureLogs().logger, { ...options, prefix });
      brokers.push(broker);
      return broker;
    };
    /** Channel and pattern subscriptions of this run's subscriber connections, from CLIENT LIST. */
    const subscriptions = async () => {
      const lines = ((await admin.client("LIST")) as string)
        .split("\n")
        .filter((line) => line.includes(` name=${prefix}broker:subscriber `));
      return lines.map((line) => ({
        channels: Number(/ sub=(\d+)/.exec(line)![1]),
        patterns: Number(/ psub=(\d+)/.exec(line)![1]),
      }));
    };

    before(async () => {
      admin = await connectRedis(url);
    });
    after(async () => {
      await admin.quit();
    });
    const fresh = (run: () => Promise<void>) => async () => {
      prefix = privatePrefix();
      try {
        await run();
      } finally {
        await Promise.all(brokers.splice(0).map((broker) => broker.close()));
      }
    };

    it(
      "hears many visitors' streams through one pattern, each only by its own listeners",
      fresh(async () => {
        const here = await node(VISITORS);
        const there = await node(VISITORS);
        const streams = Array.from({ length: 20 }, (_, i) => `visitor:v${i}`);
        const records = streams.map(() => recorder());
        for (const [i, stream] of streams.entries()) await here.subscribe(stream, records[i]!.listener);
        // `there` listens to none of them: it receives and drops what it publishes.
        for (const [i, stream] of streams.entries()) await there.publish(stream, numbered(i));
        await flush(there, here, "visitor:flush");
        assert.deepEqual(
          records.map((r) => r.heard),
          streams.map((_, i) => [i]),
        );
        assert.deepEqual(
          await subscriptions(),
          [
            { channels: 0, patterns: 1 },
            { channels: 0, patterns: 0 },
          ],
          "one pattern on the listening node, no channel per visitor; nothing on the other",
        );
      }),
    );

    it(
      "keeps the pattern for the family's other streams when one stream's last listener leaves",
      fresh(async () => {
        const broker = await node(VISITORS);
        const [gone, staying] = [recorder(), recorder()];
        const unsubscribe = await broker.subscribe("visitor:a", gone.listener);
        await broker.subscribe("visitor:b", staying.listener);
        unsubscribe();
        await broker.publish("visitor:a", numbered(1));
        await broker.publish("visitor:b", numbered(2));
        await flush(broker, broker, "visitor:flush");
        assert.deepEqual([gone.heard, staying.heard], [[], [2]]);
        // And a stream subscribed again after its last listener left is live at once.
        const back = recorder();
        await broker.subscribe("visitor:a", back.listener);
        await broker.publish("visitor:a", numbered(3));
        await flush(broker, broker, "visitor:flush");
        assert.deepEqual([gone.heard, back.heard], [[], [3]]);
        assert.deepEqual(await subscriptions(), [{ channels: 0, patterns: 1 }]);
      }),
    );

    it(
      "sends one SUBSCRIBE for a stream many listen to, and one PSUBSCRIBE for many visitors",
      fresh(async () => {
        const monitor = await admin.monitor();
        const commands: string[] = [];
        monitor.on("monitor", (_time: string, args: string[]) => {
          if (args.some((arg) => arg.startsWith(prefix))) commands.push(args[0]!.toLowerCase());
        });
        try {
          const broker = await node(VISITORS);
          const site = recorder();
          for (let i = 0; i < 10; i++) {
            await broker.subscribe("site:1", site.listener);
            await broker.subscribe(`visitor:v${i}`, () => {});
          }
          await broker.publish("site:1", numbered(1));
          await flush(broker, broker);
          assert.deepEqual(site.heard, Array(10).fill(1));
          const count = (name: string) => commands.filter((command) => command === name).length;
          // site:1 once, and the flush stream's own channel.
          assert.equal(count("subscribe"), 2);
          assert.equal(count("psubscribe"), 1);
        } finally {
          monitor.disconnect();
        }
      }),
    );

    it(
      "lets a node with a channel per visitor and a node with the pattern hear each other (rolling deploy)",
      fresh(async () => {
        const old = await node({});
        const updated = await node(VISITORS);
        const [onOld, onUpdated] = [recorder(), recorder()];
        await old.subscribe("visitor:x", onOld.listener);
        await updated.subscribe("visitor:x", onUpdated.listener);
        await old.publish("visitor:x", numbered(1));
        await updated.publish("visitor:x", numbered(2));
        // Everything either node published has reached both.
        for (const from of [old, updated])
          for (const on of [old, updated]) await flush(from, on, "visitor:f");
        assert.deepEqual(onOld.heard, [1, 2], "each publish exactly once");
        assert.deepEqual(onUpdated.heard, [1, 2], "each publish exactly once");
        assert.deepEqual(await subscriptions(), [
          { channels: 1, patterns: 0 },
          { channels: 0, patterns: 1 },
        ]);
      }),
    );
  });
}
