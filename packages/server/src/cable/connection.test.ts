/**
 * The connection's state machine on a fake transport: no server, no socket. What a client sees
 * (frames, close codes) and what channels see (subscribe, perform, unsubscribed) for each path.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_FRAME_BYTES } from "@parley/protocol";
import { captureLogs, type CapturedLogs } from "../testing/logs.js";
import { FakeTransport } from "../testing/fakeTransport.js";
import type { Channel, Subscription, SubscriptionContext } from "./channel.js";
import { Connection } from "./connection.js";
import {
  MAX_IDENTIFIER_BYTES,
  MAX_NEW_SUBSCRIPTIONS_PER_MINUTE,
  MAX_QUEUED_BYTES,
  MAX_SUBSCRIPTIONS,
} from "./limits.js";

type Identity = { kind: "test" };
const MAX_BUFFERED_BYTES = 4096;

/** Lets the connection's frame queue run to where it waits on something the test holds. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** A channel that records what the connection asks of it; each knob changes one behaviour. */
class TestChannel implements Channel<Identity> {
  readonly contexts: SubscriptionContext<Identity>[] = [];
  readonly performed: Record<string, unknown>[] = [];
  unsubscribed = 0;
  /** Sent during subscribe, as a channel sends its history. */
  history: unknown = undefined;
  answer: "subscription" | "refuse" | "fail" = "subscription";
  /** While set, subscribe waits for it (the subscription is pending). */
  holdSubscribe: Promise<void> | undefined;
  /** While set, perform waits for what it returns. */
  holdPerform: ((data: Record<string, unknown>) => Promise<void>) | undefined;
  performFails = false;

  async subscribe(context: SubscriptionContext<Identity>): Promise<Subscription | null> {
    this.contexts.push(context);
    if (this.history !== undefined) context.transmit(this.history);
    await this.holdSubscribe;
    if (this.answer === "refuse") return null;
    if (this.answer === "fail") throw new Error("the store is down");
    return {
      perform: async (data) => {
        this.performed.push(data);
        await this.holdPerform?.(data);
        if (this.performFails) throw new Error("perform broke");
      },
      unsubscribed: () => {
        this.unsubscribed++;
      },
    };
  }
}

interface Opened {
  transport: FakeTransport;
  connection: Connection<Identity>;
  channel: TestChannel;
  logs: CapturedLogs;
  closes: () => number;
  cutOffs: string[];
}

function open(limits: { maxQueuedBytes?: number } = {}): Opened {
  const transport = new FakeTransport();
  const channel = new TestChannel();
  const logs = captureLogs();
  let closes = 0;
  const cutOffs: string[] = [];
  const connection = new Connection<Identity>(
    {
      transport,
      identity: { kind: "test" },
      remoteAddress: "192.0.2.7",
      logger: logs.logger.child({ connection: "c-1" }),
    },
    {
      channels: new Map([["TestChannel", channel]]),
      maxFrameBytes: MAX_FRAME_BYTES,
      maxBufferedBytes: MAX_BUFFERED_BYTES,
      maxSubscriptions: MAX_SUBSCRIPTIONS,
      maxNewSubscriptionsPerMinute: MAX_NEW_SUBSCRIPTIONS_PER_MINUTE,
      maxQueuedBytes: limits.maxQueuedBytes ?? MAX_QUEUED_BYTES,
      onClose: () => closes++,
      onCutOff: (why) => cutOffs.push(why),
    },
  );
  return { transport, connection, channel, logs, closes: () => closes, cutOffs };
}

const identifier = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ channel: "TestChannel", ...extra });
const subscribe = (id: string) => ({ command: "subscribe", identifier: id });
const message = (id: string, data: Record<string, unknown>) => ({
  command: "message",
  identifier: id,
  data: JSON.stringify(data),
});

function assertDisconnected(
  transport: FakeTransport,
  reason: string,
  reconnect: boolean,
  code: number,
): void {
  assert.deepEqual(transport.ofType("disconnect"), [{ type: "disconnect", reason, reconnect }]);
  assert.equal(transport.closedWith, code);
}

describe("a cable connection", () => {
  describe("subscribing", () => {
    it("confirms before the channel's first transmit, then carries its messages", async () => {
      const { transport, channel } = open();
      channel.history = { type: "history", messages: [] };
      const id = identifier();
      transport.receive(subscribe(id));
      await settle();
      assert.deepEqual(transport.sent, [
        { identifier: id, type: "confirm_subscription" },
        { identifier: id, message: { type: "history", messages: [] } },
      ]);
      channel.contexts[0]!.transmitJson('{"type":"typing","typing":true}');
      assert.deepEqual(transport.messages(id).at(-1), { type: "typing", typing: true });
    });

    it("hands a channel's message to the socket encoded once, byte for byte the joined JSON", async () => {
      const { transport, channel } = open();
      const id = '{"channel":"TestChannel","name":"Zoë"}';
      const history = { type: "history", messages: [{ content: 'héllo — 👋 "quoted"\n' }] };
      channel.history = history;
      transport.receive(subscribe(id));
      await settle();
      channel.contexts[0]!.transmitJson('{"type":"typing","typing":true}');
      const [, historyFrame, typingFrame] = transport.frames;
      assert.ok(
        Buffer.isBuffer(historyFrame) && Buffer.isBuffer(typingFrame),
        "not a string to be copied again",
      );
      assert.equal(
        historyFrame.toString("utf8"),
        `{"identifier":${JSON.stringify(id)},"message":${JSON.stringify(history)}}`,
      );
      assert.equal(
        typingFrame.toString("utf8"),
        `{"identifier":${JSON.stringify(id)},"message":{"type":"typing","typing":true}}`,
      );
    });

    it("confirms once subscribe resolves when the channel transmits nothing, and echoes the identifier byte for byte", async () => {
      const { transport, channel } = open();
      const hold = deferred();
      channel.holdSubscribe = hold.promise;
      const id = '{"channel":"TestChannel","since":"0041" }';
      transport.receive(subscribe(id));
      await settle();
      assert.deepEqual(transport.sent, [], "nothing while the subscription is pending");
      hold.resolve();
      await settle();
      assert.deepEqual(transport.sent, [{ identifier: id, type: "confirm_subscription" }]);
      assert.deepEqual(channel.contexts[0]!.params, { channel: "TestChannel", since: "0041" });
      assert.equal(channel.contexts[0]!.remoteAddress, "192.0.2.7");
    });

    it("handles a message sent right after its subscribe only once the subscription is active", async () => {
      const { transport, channel } = open();
      const hold = deferred();
      channel.holdSubscribe = hold.promise;
      const id = identifier();
      transport.receive(subscribe(id));
      transport.receive(message(id, { action: "send_message", content: "hi" }));
      await settle();
      assert.deepEqual(channel.performed, []);
      hold.resolve();
      await settle();
      assert.deepEqual(channel.performed, [{ action: "send_message", content: "hi" }]);
    });

    it("answers a repeated subscribe with a confirmation and subscribes once", async () => {
      const { transport, channel } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      transport.receive(subscribe(id));
      await settle();
      assert.equal(channel.contexts.length, 1);
      assert.equal(transport.ofType("confirm_subscription").length, 2);
    });

    it("rejects an unknown channel, a channel that refuses and one that fails (logged with the channel)", async () => {
      const { transport, channel, logs } = open();
      const unknown = JSON.stringify({ channel: "NoSuchChannel" });
      transport.receive(subscribe(unknown));
      await settle();
      channel.answer = "refuse";
      transport.receive(subscribe(identifier({ n: 1 })));
      await settle();
      channel.answer = "fail";
      transport.receive(subscribe(identifier({ n: 2 })));
      await settle();
      assert.deepEqual(
        transport.sent.map((frame) => [frame.identifier, frame.type]),
        [
          [unknown, "reject_subscription"],
          [identifier({ n: 1 }), "reject_subscription"],
          [identifier({ n: 2 }), "reject_subscription"],
        ],
      );
      const [failed] = logs.withMessage("subscribe failed");
      assert.equal(failed?.channel, "TestChannel");
      assert.equal(failed?.connection, "c-1");
      assert.match(String((failed?.err as { message?: string }).message), /the store is down/);
      assert.equal(transport.closedWith, undefined, "the connection stays open");
    });

    it(`rejects subscriptions past ${MAX_SUBSCRIPTIONS}, logging the cap once`, async (t) => {
      t.mock.timers.enable({ apis: ["Date"], now: 1_000_000 });
      const { transport, channel, logs } = open();
      for (let n = 0; n < MAX_SUBSCRIPTIONS + 3; n++) transport.receive(subscribe(identifier({ n })));
      await settle();
      assert.equal(channel.contexts.length, MAX_SUBSCRIPTIONS);
      assert.equal(transport.ofType("confirm_subscription").length, MAX_SUBSCRIPTIONS);
      assert.equal(transport.ofType("reject_subscription").length, 3);
      assert.equal(logs.withMessage("cable subscriptions per connection at the cap").length, 1);
      transport.receive({ command: "unsubscribe", identifier: identifier({ n: 0 }) });
      // The refused ones asked the channel nothing; the minute's allowance of new ones is spent.
      t.mock.timers.tick(6_000);
      transport.receive(subscribe(identifier({ n: 99 })));
      await settle();
      assert.equal(
        transport.ofType("confirm_subscription").length,
        MAX_SUBSCRIPTIONS + 1,
        "an unsubscribe makes room",
      );
    });

    it(`cuts off a client asking for more than ${MAX_NEW_SUBSCRIPTIONS_PER_MINUTE} subscriptions in a minute, before building the next history`, async (t) => {
      t.mock.timers.enable({ apis: ["Date"], now: 1_000_000 });
      const { transport, channel, cutOffs } = open();
      channel.history = { type: "history", messages: [] };
      const held = identifier({ n: "held" });
      for (let n = 0; n < MAX_NEW_SUBSCRIPTIONS_PER_MINUTE - 1; n++) {
        transport.receive(subscribe(identifier({ n })));
        transport.receive({ command: "unsubscribe", identifier: identifier({ n }) });
      }
      transport.receive(subscribe(held));
      // ActionCable resends the subscribe of one it holds: answered, not counted.
      for (let n = 0; n < 5; n++) transport.receive(subscribe(held));
      await settle();
      assert.equal(transport.terminated, false);
      t.mock.timers.tick(6_000); // one more is allowed every 6 s
      transport.receive(subscribe(identifier({ n: "after 6 s" })));
      await settle();
      assert.equal(transport.terminated, false);
      transport.receive(subscribe(identifier({ n: "one too many" })));
      await settle();
      assert.equal(transport.terminated, true);
      assert.deepEqual(cutOffs, ["subscribe_flood"]);
      assert.equal(
        channel.contexts.length,
        MAX_NEW_SUBSCRIPTIONS_PER_MINUTE + 1,
        "no history built for the last",
      );
    });

    it("unsubscribes on request, once, and ignores messages for it afterwards", async () => {
      const { transport, channel } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      transport.receive({ command: "unsubscribe", identifier: id });
      transport.receive({ command: "unsubscribe", identifier: id });
      transport.receive(message(id, { action: "late" }));
      await settle();
      assert.equal(channel.unsubscribed, 1);
      assert.deepEqual(channel.performed, []);
    });
  });

  describe("frames it refuses", () => {
    it(`disconnects an identifier over ${MAX_IDENTIFIER_BYTES} bytes as an invalid request`, async () => {
      const { transport, channel } = open();
      transport.receive(subscribe(identifier({ pad: "x".repeat(MAX_IDENTIFIER_BYTES) })));
      await settle();
      assert.equal(channel.contexts.length, 0);
      assertDisconnected(transport, "invalid_request", false, 1003);
    });

    it("disconnects a frame over the size limit (1009) before reading it", async () => {
      const { transport, logs } = open();
      transport.receive("x".repeat(MAX_FRAME_BYTES + 1));
      assertDisconnected(transport, "invalid_request", false, 1009);
      assert.equal(logs.withMessage("cable frame too large")[0]?.bytes, MAX_FRAME_BYTES + 1);
    });

    it("disconnects a binary frame (1003)", () => {
      const { transport } = open();
      transport.receiveBinary(Buffer.from(JSON.stringify(subscribe(identifier()))));
      assertDisconnected(transport, "invalid_request", false, 1003);
    });

    for (const [what, frame] of [
      ["text that is not JSON", "{garbage"],
      ["a JSON array", "[]"],
      ["an unknown command", JSON.stringify({ command: "shout", identifier: identifier() })],
      ["an identifier without a channel", JSON.stringify({ command: "subscribe", identifier: "{}" })],
      [
        "a message whose data is not a string",
        JSON.stringify({ command: "message", identifier: identifier(), data: {} }),
      ],
    ] as const) {
      it(`disconnects ${what} (1003), logging the problem`, async () => {
        const { transport, logs } = open();
        transport.receive(frame);
        await settle();
        assertDisconnected(transport, "invalid_request", false, 1003);
        assert.equal(logs.withMessage("invalid cable frame").length, 1);
      });
    }

    it("disconnects an action that is not a JSON object, and ignores one for a subscription it does not hold", async () => {
      const { transport, channel } = open();
      transport.receive(message(identifier({ other: true }), { action: "x" }));
      await settle();
      assert.equal(transport.closedWith, undefined);
      const id = identifier();
      transport.receive(subscribe(id));
      transport.receive({ command: "message", identifier: id, data: "[1,2]" });
      await settle();
      assert.deepEqual(channel.performed, []);
      assertDisconnected(transport, "invalid_request", false, 1003);
    });
  });

  describe("actions", () => {
    it("performs actions in the order they came, one at a time", async () => {
      const { transport, channel } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      const hold = deferred();
      channel.holdPerform = () => hold.promise;
      transport.receive(message(id, { action: "first" }));
      transport.receive(message(id, { action: "second" }));
      await settle();
      assert.deepEqual(channel.performed, [{ action: "first" }], "the second waits for the first");
      hold.resolve();
      await settle();
      assert.deepEqual(channel.performed, [{ action: "first" }, { action: "second" }]);
    });

    it("logs a failing action with its name and channel on the connection's logger, and goes on", async () => {
      const { transport, channel, logs } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      channel.performFails = true;
      transport.receive(message(id, { action: "send_message", content: "hi" }));
      transport.receive(message(id, { action: "a".repeat(500) }));
      await settle();
      const [first, second] = logs.withMessage("cable action failed");
      assert.equal(first?.action, "send_message");
      assert.equal(first?.channel, "TestChannel");
      assert.equal(first?.connection, "c-1");
      assert.equal((first?.err as { message?: string }).message, "perform broke");
      assert.equal(second?.action, "a".repeat(64), "the client's text is cut short");
      assert.equal(channel.performed.length, 2);
      assert.equal(transport.closedWith, undefined);
    });

    it("gives the channel a logger bound to the connection and the channel, never to the identifier", async () => {
      const { transport, channel, logs } = open();
      transport.receive(subscribe(identifier({ token: "secret-token-0123456789" })));
      await settle();
      channel.contexts[0]!.logger.warn("from the channel");
      const [line] = logs.withMessage("from the channel");
      assert.equal(line?.connection, "c-1");
      assert.equal(line?.channel, "TestChannel");
      assert.ok(!JSON.stringify(logs.lines()).includes("secret-token"));
    });
  });

  describe("backpressure", () => {
    it("stops reading past the limit of bytes waiting to be handled, and reads again at half", async () => {
      const frameBytes = 200;
      const { transport, channel } = open({ maxQueuedBytes: 4 * frameBytes });
      const id = identifier();
      transport.receive(subscribe(id));
      await settle();
      const holds = Array.from({ length: 6 }, () => deferred());
      channel.holdPerform = (data) => holds[data.i as number]!.promise;
      const frame = (i: number) => {
        const text = JSON.stringify(message(id, { action: "big", i, pad: "" }));
        return JSON.stringify(message(id, { action: "big", i, pad: "p".repeat(frameBytes - text.length) }));
      };
      assert.equal(Buffer.byteLength(frame(0)), frameBytes);
      for (let i = 0; i < 4; i++) transport.receive(frame(i));
      assert.equal(transport.readingPaused, false, "at the limit, not past it");
      transport.receive(frame(4));
      transport.receive(frame(5));
      assert.equal(transport.readingPaused, true, "past the limit");
      for (let i = 0; i < 3; i++) holds[i]!.resolve();
      await settle();
      assert.equal(transport.readingPaused, true, "three waiting: above half");
      holds[3]!.resolve();
      await settle();
      assert.equal(transport.readingPaused, false, "two waiting: half");
      holds[4]!.resolve();
      holds[5]!.resolve();
      await settle();
      assert.deepEqual(
        channel.performed.map((data) => data.i),
        [0, 1, 2, 3, 4, 5],
      );
    });

    it("drops a client that does not read (slow consumer) at once, queueing nothing more", async () => {
      const { transport, channel, closes } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      await settle();
      const sentBefore = transport.sent.length;
      transport.bufferedAmount = MAX_BUFFERED_BYTES * 2;
      channel.contexts[0]!.transmit({ type: "message" });
      // No closing handshake: its close frame would wait behind all the client left unread.
      assert.equal(transport.terminated, true);
      assert.equal(transport.sent.length, sentBefore, "neither the message nor a disconnect frame is queued");
      channel.contexts[0]!.transmit({ type: "message" });
      assert.equal(transport.sent.length, sentBefore, "nothing is sent after the cut");
      assert.equal(channel.unsubscribed, 1);
      assert.equal(closes(), 1);
    });
    it("lets one frame of any size through whole, and cuts off past the bound on top of it", async () => {
      const { transport, channel, cutOffs } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      await settle();
      const context = channel.contexts[0]!;
      // A history three times the bound, in two-byte characters: its bytes count, not its length.
      context.transmit({ type: "history", text: "é".repeat(3 * MAX_BUFFERED_BYTES) });
      const historyBytes = 6 * MAX_BUFFERED_BYTES;
      transport.bufferedAmount = historyBytes + MAX_BUFFERED_BYTES - 100;
      context.transmit({ type: "availability" });
      assert.equal(transport.terminated, false, "a client still reading its history is not cut off");
      assert.deepEqual(
        transport.messages(id).map((each) => (each as { type: string }).type),
        ["history", "availability"],
      );
      transport.bufferedAmount = historyBytes + 2 * MAX_BUFFERED_BYTES;
      context.transmit({ type: "message" });
      assert.equal(transport.terminated, true, "the bound past the largest frame is reached");
      assert.deepEqual(cutOffs, ["slow_consumer"]);
    });

    it("starts the allowance over once the buffer is back within the bound", async () => {
      const { transport, channel } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      await settle();
      const context = channel.contexts[0]!;
      context.transmit({ type: "history", text: "x".repeat(3 * MAX_BUFFERED_BYTES) });
      transport.bufferedAmount = MAX_BUFFERED_BYTES / 2;
      context.transmit({ type: "message" });
      // The history went out; what is behind now is small frames, held to the bound alone.
      transport.bufferedAmount = 2 * MAX_BUFFERED_BYTES;
      context.transmit({ type: "message" });
      assert.equal(transport.terminated, true);
    });

    it("cuts off a client too far behind before acting on its frame: no history is built for it", async () => {
      const { transport, channel, closes } = open();
      transport.receive(subscribe(identifier({ n: 1 })));
      await settle();
      transport.bufferedAmount = MAX_BUFFERED_BYTES * 2;
      transport.receive(subscribe(identifier({ n: 2 })));
      await settle();
      assert.equal(transport.terminated, true);
      assert.equal(channel.contexts.length, 1, "the second subscribe never reached the channel");
      assert.equal(closes(), 1);
    });

    it("does not serialise a message for a connection already closed", async () => {
      const { transport, channel } = open();
      transport.receive(subscribe(identifier()));
      await settle();
      transport.drop();
      let serialised = 0;
      channel.contexts[0]!.transmit({
        toJSON: () => {
          serialised++;
          return {};
        },
      });
      assert.equal(serialised, 0);
    });
  });

  describe("shutdown and teardown", () => {
    it("pauses: the frames already taken in finish, later ones are not acted on", async () => {
      const { transport, connection, channel } = open();
      const id = identifier();
      transport.receive(subscribe(id));
      await settle();
      const hold = deferred();
      channel.holdPerform = () => hold.promise;
      transport.receive(message(id, { action: "in flight" }));
      await settle();
      let paused = false;
      const pausing = connection.pause().then(() => (paused = true));
      transport.receive(message(id, { action: "after the pause" }));
      await settle();
      assert.equal(paused, false, "waits for the action in flight");
      hold.resolve();
      await pausing;
      assert.deepEqual(channel.performed, [{ action: "in flight" }]);
      assert.equal(connection.isOpen, true, "pausing does not close");
    });

    it("on close, unsubscribes each active subscription once and reports the close once", async () => {
      const { transport, connection, channel, closes } = open();
      transport.receive(subscribe(identifier({ n: 1 })));
      transport.receive(subscribe(identifier({ n: 2 })));
      await settle();
      transport.drop();
      transport.drop();
      connection.disconnect({ reason: "server_restart", reconnect: true, code: 1012 });
      assert.equal(channel.unsubscribed, 2);
      assert.equal(closes(), 1);
      assert.equal(connection.isOpen, false);
      assert.deepEqual(transport.sent.slice(2), [], "nothing is sent to a closed connection");
      connection.send('{"type":"ping"}');
      assert.equal(transport.sent.length, 2);
    });

    it("unsubscribes at once a subscription that completes after the socket closed", async () => {
      const { transport, channel } = open();
      const hold = deferred();
      channel.holdSubscribe = hold.promise;
      transport.receive(subscribe(identifier()));
      await settle();
      transport.drop();
      hold.resolve();
      await settle();
      assert.equal(channel.unsubscribed, 1);
      assert.deepEqual(transport.ofType("confirm_subscription"), []);
    });

    it("disconnects with the reason's frame and close code, and logs socket errors", () => {
      const { transport, connection, logs } = open();
      transport.fail(new Error("ECONNRESET"));
      assert.equal(logs.withMessage("cable socket error").length, 1);
      connection.disconnect({ reason: "unauthorized", reconnect: false, code: 1008 });
      assertDisconnected(transport, "unauthorized", false, 1008);
    });
  });
});
