import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { CableConsumer, type CableState } from "./consumer.js";
import { fakeSockets, type FakeSocket } from "./fakeSocket.js";

const channel = { channel: "VisitorChannel", token: "t".repeat(20) };

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"] }));
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

/** Full jitter may draw any delay in the step: tests of the step's length take its top. */
function slowestJitter(): void {
  mock.method(Math, "random", () => 0.999_999);
}

function setup() {
  const { sockets, create } = fakeSockets();
  const states: CableState[] = [];
  const consumer = new CableConsumer({
    url: "ws://chat.test/cable",
    createSocket: create,
    backoff: { baseMs: 1000, maxMs: 8000 },
    onStateChange: (state) => states.push(state),
  });
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    assert.ok(socket, "a socket was opened");
    return socket;
  };
  return { consumer, sockets, states, last };
}

function welcome(socket: FakeSocket): void {
  socket.accept();
  socket.frame({ type: "welcome" });
}

test("subscribes after welcome, routes by identifier and performs actions", () => {
  const { consumer, last } = setup();
  const received: unknown[] = [];
  const connected: boolean[] = [];
  const sub = consumer.subscribe(channel, {
    received: (m) => received.push(m),
    connected: ({ reconnected }) => connected.push(reconnected),
  });
  const socket = last();
  assert.deepEqual(socket.protocols, ["actioncable-v1-json", "actioncable-unsupported"]);
  assert.equal(sub.perform("typing"), false, "no perform before confirmation");
  welcome(socket);
  const identifier = JSON.stringify(channel);
  assert.deepEqual(socket.sent, [{ command: "subscribe", identifier }]);
  socket.frame({ identifier, type: "confirm_subscription" });
  assert.deepEqual(connected, [false]);
  socket.frame({ identifier, message: { type: "availability", online: true } });
  socket.frame({ identifier: "other", message: { type: "nope" } });
  assert.deepEqual(received, [{ type: "availability", online: true }]);
  assert.equal(sub.perform("send_message", { content: "hi" }), true);
  assert.deepEqual(socket.sent[1], {
    command: "message",
    identifier,
    data: JSON.stringify({ content: "hi", action: "send_message" }),
  });
  consumer.close();
});

test("reconnects with backoff and resubscribes with since", () => {
  slowestJitter();
  const { consumer, sockets, states, last } = setup();
  const disconnected: number[] = [];
  const connected: boolean[] = [];
  const sub = consumer.subscribe(channel, {
    disconnected: () => disconnected.push(1),
    connected: ({ reconnected }) => connected.push(reconnected),
  });
  welcome(last());
  last().frame({ identifier: sub.identifier, type: "confirm_subscription" });
  sub.seen(41);
  sub.seen(7);
  last().drop();
  assert.equal(consumer.state, "reconnecting");
  assert.deepEqual(disconnected, [1]);
  assert.equal(sockets.length, 1);
  mock.timers.tick(1000);
  assert.equal(sockets.length, 2, "retried within the first backoff step");
  last().drop();
  mock.timers.tick(1000);
  assert.equal(sockets.length, 2, "second retry waits longer");
  mock.timers.tick(1000);
  assert.equal(sockets.length, 3);
  welcome(last());
  const identifier = JSON.stringify({ ...channel, since: 41 });
  assert.deepEqual(last().sent, [{ command: "subscribe", identifier }]);
  last().frame({ identifier, type: "confirm_subscription" });
  assert.deepEqual(connected, [false, true]);
  assert.deepEqual(states, ["connecting", "connected", "reconnecting", "reconnecting", "connected"]);
  consumer.close();
});

test("a connection without pings for 6 s is treated as lost", () => {
  const { consumer, sockets, last } = setup();
  consumer.subscribe(channel, {});
  welcome(last());
  mock.timers.tick(3000);
  last().frame({ type: "ping", message: 1 });
  mock.timers.tick(5999);
  assert.equal(consumer.state, "connected");
  mock.timers.tick(1);
  assert.equal(consumer.state, "reconnecting");
  assert.equal(sockets[0]?.closed, true);
  consumer.close();
});

test("disconnect frames: reconnect or stop for good", () => {
  const { consumer, sockets, last } = setup();
  consumer.subscribe(channel, {});
  welcome(last());
  last().frame({ type: "disconnect", reason: "server_restart", reconnect: true });
  assert.equal(consumer.state, "reconnecting");
  mock.timers.tick(1000);
  welcome(last());
  last().frame({ type: "disconnect", reason: "unauthorized", reconnect: false });
  assert.equal(consumer.state, "closed");
  mock.timers.tick(60_000);
  assert.equal(sockets.length, 2);
});

test("rejected subscriptions are forgotten; an unsupported protocol closes for good", () => {
  const { consumer, last } = setup();
  let rejected = 0;
  const sub = consumer.subscribe({ channel: "AdminChannel" }, { rejected: () => rejected++ });
  welcome(last());
  last().frame({ identifier: sub.identifier, type: "reject_subscription" });
  assert.equal(rejected, 1);
  last().drop();
  mock.timers.tick(1000);
  welcome(last());
  assert.deepEqual(last().sent, [], "a rejected subscription is not retried");
  const other = setup();
  other.consumer.subscribe(channel, {});
  other.last().accept("actioncable-unsupported");
  assert.equal(other.consumer.state, "closed");
  consumer.close();
});

test("unsubscribe sends the last identifier and stops routing", () => {
  const { consumer, last } = setup();
  const received: unknown[] = [];
  const sub = consumer.subscribe(channel, { received: (m) => received.push(m) });
  welcome(last());
  const identifier = sub.identifier;
  last().frame({ identifier, type: "confirm_subscription" });
  sub.unsubscribe();
  last().frame({ identifier, message: { x: 1 } });
  assert.deepEqual(received, []);
  assert.deepEqual(last().sent.at(-1), { command: "unsubscribe", identifier });
  consumer.close();
});

/** A window and a document to fire the browser's wake-up hints on. */
function wakeSources() {
  const window = new EventTarget();
  const document = Object.assign(new EventTarget(), { visibilityState: "visible" });
  return { window, document };
}

test("the default backoff retries within a second during a short outage", () => {
  const { sockets, create } = fakeSockets();
  const consumer = new CableConsumer({ url: "ws://chat.test/cable", createSocket: create, wake: {} });
  consumer.subscribe(channel, {});
  welcome(sockets[0] as FakeSocket);
  (sockets[0] as FakeSocket).drop();
  // Forty seconds down: every retry came at most a second after the previous one.
  for (let second = 1; second <= 40; second++) {
    mock.timers.tick(1000);
    assert.equal(sockets.length, 1 + second, `a retry in second ${second}`);
    sockets.at(-1)?.drop();
  }
  // The server is back: the next retry is within a second, and is welcomed.
  mock.timers.tick(1000);
  assert.equal(sockets.length, 42);
  welcome(sockets.at(-1) as FakeSocket);
  assert.equal(consumer.state, "connected");
  consumer.close();
});

test("the consumer draws its delays with full jitter: the luckiest retry is immediate", () => {
  mock.method(Math, "random", () => 0);
  const { consumer, sockets, last } = setup();
  consumer.subscribe(channel, {});
  welcome(last());
  last().drop();
  assert.equal(sockets.length, 1);
  mock.timers.tick(0);
  assert.equal(sockets.length, 2, "a draw of 0 retries on the next turn, not after half a step");
  consumer.close();
});

test("a long outage is retried patiently", () => {
  slowestJitter();
  const { sockets, create } = fakeSockets();
  const consumer = new CableConsumer({ url: "ws://chat.test/cable", createSocket: create, wake: {} });
  consumer.subscribe(channel, {});
  welcome(sockets[0] as FakeSocket);
  (sockets[0] as FakeSocket).drop();
  for (let second = 0; second < 61; second++) {
    mock.timers.tick(1000);
    sockets.at(-1)?.drop();
  }
  const before = sockets.length;
  mock.timers.tick(14_000);
  assert.equal(sockets.length, before, "the slowest draw waits most of the 30 s step once down for a minute");
  mock.timers.tick(16_000);
  assert.equal(sockets.length, before + 1);
  consumer.close();
});

test("the network coming back, or the tab shown again, retries at once", () => {
  const wake = wakeSources();
  const { sockets, create } = fakeSockets();
  const consumer = new CableConsumer({
    url: "ws://chat.test/cable",
    createSocket: create,
    backoff: { baseMs: 20_000, maxMs: 20_000 },
    wake,
  });
  consumer.subscribe(channel, {});
  welcome(sockets[0] as FakeSocket);
  (sockets[0] as FakeSocket).drop();
  wake.window.dispatchEvent(new Event("online"));
  assert.equal(sockets.length, 2, "online");
  (sockets[1] as FakeSocket).drop();
  wake.document.visibilityState = "hidden";
  wake.document.dispatchEvent(new Event("visibilitychange"));
  assert.equal(sockets.length, 2, "hidden: no hurry");
  wake.document.visibilityState = "visible";
  wake.document.dispatchEvent(new Event("visibilitychange"));
  assert.equal(sockets.length, 3, "visible again");
  welcome(sockets[2] as FakeSocket);
  wake.window.dispatchEvent(new Event("online"));
  assert.equal(sockets.length, 3, "connected: nothing to do");
  consumer.close();
  wake.window.dispatchEvent(new Event("online"));
  assert.equal(sockets.length, 3, "closed: the hints are no longer listened to");
});

test("a tab woken with a socket that went quiet while it slept reconnects at once", () => {
  const wake = wakeSources();
  const { sockets, create } = fakeSockets();
  const consumer = new CableConsumer({ url: "ws://chat.test/cable", createSocket: create, wake });
  consumer.subscribe(channel, {});
  welcome(sockets[0] as FakeSocket);
  wake.document.dispatchEvent(new Event("visibilitychange"));
  assert.equal(sockets.length, 1, "a live socket is kept");
  // A suspended tab runs no timers: the clock moves on without the stale check firing.
  mock.timers.setTime(Date.now() + 60_000);
  wake.document.dispatchEvent(new Event("visibilitychange"));
  assert.equal(sockets.length, 2);
  assert.equal(sockets[0]?.closed, true);
  consumer.close();
});
