/**
 * The Broker contract (broker.ts), written once against the interface and run on every
 * implementation (broker.test.ts). What a broker cannot do is said by its harness: the memory
 * broker has no other node and never loses a delivery.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Broker, BrokerEvent, Publication } from "./broker.js";

export interface BrokerHarness {
  /** A broker on a node of its own, sharing streams with the harness's other nodes, if any. */
  node(): Promise<Broker>;
  /** True when a second `node()` is another process's broker (publishes cross between them). */
  spansNodes: boolean;
  /** Cuts `broker`'s connection as an outage would; absent where no delivery can be lost. */
  interrupt?: (broker: Broker) => Promise<void>;
  close(): Promise<void>;
}

/** An event that says which it is: session ids are free text. */
const numbered = (n: number): BrokerEvent => ({ type: "sessions_ended", session_ids: [String(n)] });
const numberOf = (publication: Publication): number => {
  const { event } = publication;
  return event.type === "sessions_ended" ? Number(event.session_ids[0]) : Number.NaN;
};

/** Collects what a listener hears; `until` resolves once it has heard `count` events. */
class Heard {
  readonly numbers: number[] = [];
  readonly publications: Publication[] = [];
  private waiting: { count: number; resolve: () => void } | undefined;

  readonly listener = (publication: Publication): void => {
    this.publications.push(publication);
    this.numbers.push(numberOf(publication));
    if (this.waiting !== undefined && this.numbers.length >= this.waiting.count) this.waiting.resolve();
  };

  until(count: number): Promise<void> {
    if (this.numbers.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`heard ${this.numbers.length} of ${count} events`)),
        5000,
      );
      this.waiting = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }
}

export function brokerContract(open: () => Promise<BrokerHarness>): void {
  const withHarness = (run: (harness: BrokerHarness) => Promise<void>) => async () => {
    const harness = await open();
    try {
      await run(harness);
    } finally {
      await harness.close();
    }
  };
  /** Publishes a marker on its own stream and waits for it: every earlier publish has arrived. */
  const flush = async (broker: Broker) => {
    const marker = new Heard();
    const unsubscribe = await broker.subscribe("flush", marker.listener);
    await broker.publish("flush", numbered(-1));
    await marker.until(1);
    unsubscribe();
  };

  describe("the Broker contract", () => {
    it(
      "delivers a stream's events to a listener in publish order",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const heard = new Heard();
        await broker.subscribe("s", heard.listener);
        const numbers = Array.from({ length: 200 }, (_, i) => i);
        await Promise.all(numbers.map((n) => broker.publish("s", numbered(n))));
        await heard.until(200);
        assert.deepEqual(heard.numbers, numbers);
      }),
    );

    it(
      "keeps publish order for every listener when a listener publishes on the stream it hears",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const [first, second] = [new Heard(), new Heard()];
        await broker.subscribe("s", (publication) => {
          first.listener(publication);
          if (numberOf(publication) === 1) void broker.publish("s", numbered(2));
        });
        await broker.subscribe("s", second.listener);
        await broker.publish("s", numbered(1));
        await Promise.all([first.until(2), second.until(2)]);
        assert.deepEqual(first.numbers, [1, 2]);
        assert.deepEqual(second.numbers, [1, 2], "the second listener hears 1 before the 2 it caused");
      }),
    );

    it(
      "fans each event out to every listener of its stream and to no other stream",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const [first, second, elsewhere] = [new Heard(), new Heard(), new Heard()];
        await broker.subscribe("s", first.listener);
        await broker.subscribe("s", second.listener);
        await broker.subscribe("t", elsewhere.listener);
        await broker.publish("s", numbered(1));
        await broker.publish("t", numbered(2));
        await Promise.all([first.until(1), second.until(1), elsewhere.until(1)]);
        assert.deepEqual([first.numbers, second.numbers, elsewhere.numbers], [[1], [1], [2]]);
      }),
    );

    it(
      "shows its tap each publication once, before the stream's listeners, and none nobody hears",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const order: string[] = [];
        const tapped: Publication[] = [];
        broker.tapDeliveries((publication) => {
          tapped.push(publication);
          order.push(`tap ${numberOf(publication)}`);
        });
        const [first, second] = [new Heard(), new Heard()];
        await broker.subscribe("s", (publication) => {
          order.push(`first ${numberOf(publication)}`);
          first.listener(publication);
        });
        await broker.subscribe("s", second.listener);
        await broker.publish("unheard", numbered(0));
        await broker.publish("s", numbered(1));
        await broker.publish("s", numbered(2));
        await Promise.all([first.until(2), second.until(2)]);
        assert.deepEqual(
          tapped.map(numberOf),
          [1, 2],
          "once per publication, not per listener, none on a stream without listeners",
        );
        assert.deepEqual(order, ["tap 1", "first 1", "tap 2", "first 2"]);
        assert.equal(tapped[0], first.publications[0], "the very publication the listeners get");
      }),
    );

    it(
      "hands listeners the event and its JSON, made once for all of them",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const [first, second] = [new Heard(), new Heard()];
        await broker.subscribe("s", first.listener);
        await broker.subscribe("s", second.listener);
        const event = numbered(7);
        await broker.publish("s", event);
        await Promise.all([first.until(1), second.until(1)]);
        const publication = first.publications[0]!;
        assert.deepEqual(publication.event, event);
        assert.deepEqual(JSON.parse(publication.json), event);
        assert.equal(second.publications[0], publication, "one publication shared by every listener");
      }),
    );

    it(
      "counts a function subscribed twice as two listeners, each removed on its own",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const heard = new Heard();
        const unsubscribeFirst = await broker.subscribe("s", heard.listener);
        await broker.subscribe("s", heard.listener);
        await broker.publish("s", numbered(1));
        await heard.until(2);
        unsubscribeFirst();
        unsubscribeFirst();
        await broker.publish("s", numbered(2));
        await heard.until(3);
        await flush(broker);
        assert.deepEqual(heard.numbers, [1, 1, 2]);
      }),
    );

    it(
      "stops delivering to a listener once it unsubscribes, and delivers again after a new subscribe",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const gone = new Heard();
        const unsubscribe = await broker.subscribe("s", gone.listener);
        unsubscribe();
        await broker.publish("s", numbered(1));
        await flush(broker);
        assert.deepEqual(gone.numbers, []);
        // The stream's last listener left just before: the new subscription must still be live.
        const back = new Heard();
        await broker.subscribe("s", back.listener);
        await broker.publish("s", numbered(2));
        await back.until(1);
        assert.deepEqual(back.numbers, [2]);
      }),
    );

    it(
      "goes on delivering to the other listeners when one throws",
      withHarness(async (harness) => {
        const broker = await harness.node();
        const heard = new Heard();
        await broker.subscribe("s", () => {
          throw new Error("a broken listener");
        });
        await broker.subscribe("s", heard.listener);
        await broker.publish("s", numbered(1));
        await broker.publish("s", numbered(2));
        await heard.until(2);
        assert.deepEqual(heard.numbers, [1, 2]);
      }),
    );

    it(
      "delivers every publish made after subscribe resolves, from any node",
      withHarness(async (harness) => {
        const here = await harness.node();
        const there = harness.spansNodes ? await harness.node() : here;
        const [onHere, onThere] = [new Heard(), new Heard()];
        await here.subscribe("s", onHere.listener);
        await there.subscribe("s", onThere.listener);
        await there.publish("s", numbered(1));
        await here.publish("s", numbered(2));
        await Promise.all([onHere.until(2), onThere.until(2)]);
        assert.deepEqual([...onHere.numbers].sort(), [1, 2]);
        assert.deepEqual([...onThere.numbers].sort(), [1, 2]);
      }),
    );

    it(
      "reports a gap after deliveries may have been lost, then delivers on every stream again",
      withHarness(async (harness) => {
        const broker = await harness.node();
        let gaps = 0;
        const removeGapListener = broker.onGap(() => gaps++);
        const [s, t] = [new Heard(), new Heard()];
        await broker.subscribe("s", s.listener);
        await broker.subscribe("t", t.listener);
        if (harness.interrupt === undefined) {
          // Nothing is lost in one process: no gap, ever.
          await broker.publish("s", numbered(1));
          await flush(broker);
          assert.equal(gaps, 0);
          removeGapListener();
          return;
        }
        const gap = new Promise<void>((resolve) => broker.onGap(resolve));
        await harness.interrupt(broker);
        await gap;
        assert.equal(gaps, 1);
        removeGapListener();
        await broker.publish("s", numbered(1));
        await broker.publish("t", numbered(2));
        await Promise.all([s.until(1), t.until(1)]);
        assert.deepEqual([s.numbers, t.numbers], [[1], [2]]);
      }),
    );
  });
}
