import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { fakeSockets, type FakeSocket } from "../../protocol/src/cable/fakeSocket.js";
import { FAIL_AFTER_MS, Session, type SessionListener } from "../src/session.js";

// The page the session reports on every subscribe (§12): a host page, as in a browser (the
// cable listens to its visibility).
const hostPage = (title: string, referrer: string) => ({
  title,
  referrer,
  visibilityState: "visible",
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
});
Object.assign(globalThis, {
  location: { href: "https://shop.test/pricing?utm_source=news#plans" },
  document: hostPage("Pricing", "https://search.test/"),
});

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"] }));
afterEach(() => mock.timers.reset());

const quiet: SessionListener = {
  changed: () => undefined,
  arrived: () => undefined,
  availability: () => undefined,
  typing: () => undefined,
  connection: () => undefined,
  disconnected: () => undefined,
  tooFast: () => undefined,
  visitorName: () => undefined,
  siteUpdated: () => undefined,
  rating: () => undefined,
};

function setup(site?: string, listener: SessionListener = quiet) {
  const { sockets, create } = fakeSockets();
  const session = new Session("ws://chat.test/cable", "t".repeat(24), () => null, listener, {
    site,
    createSocket: create,
  });
  session.start();
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    assert.ok(socket);
    return socket;
  };
  /** The server welcomes the newest socket and confirms the subscription. */
  const connect = (): FakeSocket => {
    const socket = last();
    socket.accept();
    socket.frame({ type: "welcome" });
    const subscribe = socket.sent.find((frame) => frame.command === "subscribe");
    socket.frame({ identifier: subscribe?.identifier, type: "confirm_subscription" });
    return socket;
  };
  /** Time passes on a live connection (the server pings every 3 s). */
  const pass = (ms: number): void => {
    for (let left = ms; left > 0; left -= 3000) {
      mock.timers.tick(Math.min(3000, left));
      last().frame({ type: "ping", message: Date.now() });
    }
  };
  const deliveries = () => session.conversation.list().map((message) => message.delivery);
  return { session, sockets, last, connect, pass, deliveries };
}

/** The `send_message` actions a socket carried. */
function sends(socket: FakeSocket): { content: string; client_id: string }[] {
  return socket.sent
    .filter((frame) => frame.command === "message")
    .map((frame) => JSON.parse(String(frame.data)) as { action: string; content: string; client_id: string })
    .filter((data) => data.action === "send_message");
}

function echo(socket: FakeSocket, id: number, sent: { content: string; client_id: string }): void {
  const subscribe = socket.sent.filter((frame) => frame.command === "subscribe").at(-1);
  socket.frame({
    identifier: subscribe?.identifier,
    message: {
      type: "message",
      message: {
        id,
        sender: "visitor",
        content: sent.content,
        client_id: sent.client_id,
        created_at: new Date().toISOString(),
      },
    },
  });
}

test("a message written while disconnected waits, then goes once the connection is back", () => {
  const { session, sockets, connect, deliveries } = setup();
  connect().drop();
  session.send("Written offline");
  mock.timers.tick(FAIL_AFTER_MS * 3);
  assert.deepEqual(deliveries(), ["pending"], "waiting, not failed");
  const back = connect();
  const [sent] = sends(back);
  assert.ok(sent, "sent on reconnect");
  assert.equal(sent.content, "Written offline");
  assert.equal(sockets.filter((socket) => sends(socket).length > 0).length, 1, "sent once");
  echo(back, 1, sent);
  assert.deepEqual(deliveries(), ["sent"]);
});

test("a message in flight when the line dropped is sent again with its client_id, and does not fail meanwhile", () => {
  const { session, connect, deliveries } = setup();
  const first = connect();
  session.send("In flight");
  const [given] = sends(first);
  assert.ok(given);
  first.drop();
  mock.timers.tick(FAIL_AFTER_MS * 2);
  assert.deepEqual(deliveries(), ["pending"]);
  const back = connect();
  assert.deepEqual(sends(back), [given], "the same client_id: the server stores it once");
});

test("a message the server was given and never answered reads Not sent", () => {
  const { session, connect, pass, deliveries } = setup();
  connect();
  session.send("Unanswered");
  pass(FAIL_AFTER_MS - 1000);
  assert.deepEqual(deliveries(), ["pending"]);
  pass(1000);
  assert.deepEqual(deliveries(), ["failed"]);
});

test("the site's key goes in the identifier; without one the identifier is as before sites", () => {
  const identifier = (site?: string): unknown => {
    const socket = setup(site).connect();
    const subscribe = socket.sent.find((frame) => frame.command === "subscribe");
    return JSON.parse(String(subscribe?.identifier));
  };
  assert.deepEqual(identifier("shop-site-1"), {
    channel: "VisitorChannel",
    token: "t".repeat(24),
    limit: 500,
    site: "shop-site-1",
  });
  assert.deepEqual(identifier(), { channel: "VisitorChannel", token: "t".repeat(24), limit: 500 });
});

test("site_updated hands the new settings over", () => {
  const configs: unknown[] = [];
  const { connect } = setup("shop-site-1", { ...quiet, siteUpdated: (config) => configs.push(config) });
  const socket = connect();
  const subscribe = socket.sent.find((frame) => frame.command === "subscribe");
  const config = { title: "Acme", agents_online: false, within_hours: false };
  socket.frame({ identifier: subscribe?.identifier, message: { type: "site_updated", config } });
  socket.frame({ identifier: subscribe?.identifier, message: { type: "site_updated", config: null } });
  assert.deepEqual(configs, [config]);
});

/** The actions other than sends a socket carried, in order. */
function actions(socket: FakeSocket): Record<string, unknown>[] {
  return socket.sent
    .filter((frame) => frame.command === "message")
    .map((frame) => JSON.parse(String(frame.data)) as Record<string, unknown>);
}

test("every subscribe, the first and each after a drop, reports the page before sending what waits", () => {
  const { session, connect } = setup();
  const first = connect();
  const page = {
    action: "page",
    url: "https://shop.test/pricing?utm_source=news#plans",
    title: "Pricing",
    referrer: "https://search.test/",
    time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  assert.deepEqual(actions(first), [page]);
  first.drop();
  session.send("hello");
  mock.timers.tick(60_000);
  const second = connect();
  assert.deepEqual(
    actions(second).map((data) => data.action),
    ["page", "send_message"],
  );
  assert.deepEqual(actions(second)[0], page);
});

test("an empty title and no referrer are left out of the page", () => {
  Object.assign(globalThis, { document: hostPage("", "") });
  try {
    const { connect } = setup();
    const [page] = actions(connect());
    assert.equal(page?.action, "page");
    assert.ok(!("title" in page) && !("referrer" in page), JSON.stringify(page));
  } finally {
    Object.assign(globalThis, { document: hostPage("Pricing", "https://search.test/") });
  }
});

test("a stopped session closes its connection and reconnects no more", () => {
  const { session, sockets, connect } = setup();
  const socket = connect();
  session.stop();
  assert.equal(socket.readyState, 3);
  mock.timers.tick(120_000);
  assert.equal(sockets.length, 1);
});

test("(§18) a pending rating in history, rating_requested and rated reach the listener, whose send is `rate`", () => {
  const seen: string[] = [];
  let send: ((data: Record<string, unknown>) => void) | undefined;
  const { connect } = setup(undefined, {
    ...quiet,
    rating: (event, perform) => {
      seen.push(event.type);
      send = perform;
    },
  });
  const socket = connect();
  const identifier = socket.sent.find((frame) => frame.command === "subscribe")?.identifier;
  const history = (pending: boolean) => ({
    type: "history",
    conversation: { id: 7, visitor_name: null, rating_requested: pending, rating: null },
    messages: [],
  });
  // Nothing pending: the chunk is not fetched.
  socket.frame({ identifier, message: history(false) });
  assert.deepEqual(seen, []);
  socket.frame({ identifier, message: history(true) });
  socket.frame({ identifier, message: { type: "rating_requested", conversation_id: 7 } });
  socket.frame({ identifier, message: { type: "rated", rating: { score: 5, comment: null } } });
  assert.deepEqual(seen, ["history", "rating_requested", "rated"]);
  send?.({ score: 4, comment: "kind" });
  assert.deepEqual(actions(socket).at(-1), { action: "rate", score: 4, comment: "kind" });
});
