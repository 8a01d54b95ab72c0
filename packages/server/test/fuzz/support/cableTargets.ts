/**
 * Cable targets: raw frames of any shape, and well-formed subscriptions whose identifiers and
 * actions carry generated fields, on VisitorChannel (as a widget) and AdminChannel (as the
 * owner). Each case ends with a sync action on a subscription of its own, so the case is over
 * when the server has handled every frame before it (frames of a connection are handled in turn).
 */
import fc from "fast-check";
import WebSocket from "ws";
import { ADMIN_CHANNEL, VISITOR_CHANNEL } from "@parley/protocol";
import { WIDGET_ORIGIN, visitorToken } from "../../support/testServer.js";
import { anyJson, bent, hostileString, notQuiteJson, safeUrl } from "./arbitraries.js";
import type { FuzzServer } from "./fuzzServer.js";
import { countOutcome } from "./outcomes.js";
import type { FuzzTarget } from "./target.js";

const SYNC_ACTION = "fuzz_sync";
/** The cable's equivalent of a 500 (channels/replies.ts). */
const INTERNAL_ERROR = "Something went wrong, please try again";

export interface CableCase {
  frames: string[];
}

const smallId = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 6 }) },
  { weight: 1, arbitrary: anyJson },
);
const clientId = fc.oneof(fc.uuid(), hostileString);

const visitorActions: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  send_message: fc.record(
    {
      action: fc.constant("send_message"),
      content: fc.oneof(
        { weight: 4, arbitrary: fc.string({ maxLength: 200 }) },
        { weight: 1, arbitrary: fc.constant("x".repeat(2001)) },
        { weight: 2, arbitrary: hostileString },
      ),
      visitor_name: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(null), hostileString),
      client_id: clientId,
      attachment_ids: fc.array(smallId, { maxLength: 7 }),
    },
    { requiredKeys: ["action", "content"] },
  ),
  typing: fc.record(
    { action: fc.constant("typing"), typing: fc.oneof(fc.boolean(), anyJson) },
    { requiredKeys: ["action"] },
  ),
  page: fc.record(
    {
      action: fc.constant("page"),
      url: safeUrl,
      title: hostileString,
      referrer: safeUrl,
      time_zone: fc.oneof(fc.constantFrom("Europe/Paris", "UTC", "Mars/Olympus", ""), hostileString),
    },
    { requiredKeys: ["action", "url"] },
  ),
  rate: fc.record(
    {
      action: fc.constant("rate"),
      score: fc.oneof(fc.integer({ min: -1, max: 7 }), anyJson),
      comment: fc.oneof(fc.string({ maxLength: 200 }), fc.constant(null), hostileString),
    },
    { requiredKeys: ["action", "score"] },
  ),
};

const conversationId = { conversation_id: smallId };
const adminActions: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  send_message: fc.record(
    {
      action: fc.constant("send_message"),
      ...conversationId,
      content: fc.oneof(fc.string({ maxLength: 200 }), hostileString),
      client_id: clientId,
      attachment_ids: fc.array(smallId, { maxLength: 7 }),
    },
    { requiredKeys: ["action", "conversation_id", "content"] },
  ),
  mark_read: fc.record({ action: fc.constant("mark_read"), ...conversationId }),
  get_history: fc.record(
    {
      action: fc.constant("get_history"),
      ...conversationId,
      before_id: smallId,
      limit: fc.oneof(fc.integer({ min: -1, max: 1001 }), anyJson),
    },
    { requiredKeys: ["action", "conversation_id"] },
  ),
  list_conversations: fc.record(
    {
      action: fc.constant("list_conversations"),
      status: fc.oneof(fc.constantFrom("open", "closed", "all"), anyJson),
      site_id: smallId,
      state: fc.oneof(fc.constantFrom("open", "pending", "snoozed", "resolved", "all"), anyJson),
      label_id: smallId,
      assignee: fc.oneof(fc.constantFrom("me", "unassigned", "all"), smallId),
    },
    { requiredKeys: ["action"] },
  ),
  typing: fc.record(
    { action: fc.constant("typing"), ...conversationId, typing: fc.oneof(fc.boolean(), anyJson) },
    { requiredKeys: ["action", "conversation_id"] },
  ),
  close: fc.record({ action: fc.constant("close"), ...conversationId }),
  reopen: fc.record({ action: fc.constant("reopen"), ...conversationId }),
  assign: fc.record(
    { action: fc.constant("assign"), ...conversationId, agent_id: fc.oneof(smallId, fc.constant(null)) },
    { requiredKeys: ["action", "conversation_id"] },
  ),
  set_state: fc.record(
    {
      action: fc.constant("set_state"),
      ...conversationId,
      state: fc.oneof(fc.constantFrom("open", "pending", "snoozed", "resolved"), anyJson),
      snoozed_until: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constant(null),
        hostileString,
      ),
    },
    { requiredKeys: ["action", "conversation_id", "state"] },
  ),
  set_labels: fc.record({
    action: fc.constant("set_labels"),
    ...conversationId,
    label_ids: fc.oneof(fc.array(smallId, { maxLength: 12 }), anyJson),
  }),
  add_note: fc.record(
    {
      action: fc.constant("add_note"),
      ...conversationId,
      content: fc.oneof(fc.string({ maxLength: 200 }), hostileString),
      client_id: clientId,
    },
    { requiredKeys: ["action", "conversation_id", "content"] },
  ),
  get_notes: fc.record({ action: fc.constant("get_notes"), ...conversationId }),
  set_availability: fc.record({
    action: fc.constant("set_availability"),
    availability: fc.oneof(fc.constantFrom("online", "away", "offline"), anyJson),
  }),
  activity: fc.record({ action: fc.constant("activity") }),
};

/** An action: a known one (as generated, or with a field bent), or an unknown one. */
function actionArbitrary(
  actions: Record<string, fc.Arbitrary<Record<string, unknown>>>,
): fc.Arbitrary<unknown> {
  const known = fc.oneof(...Object.values(actions));
  return fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 2, arbitrary: bent(known) },
    { weight: 1, arbitrary: fc.record({ action: hostileString }) },
  );
}

function identifierArbitrary(
  channel: string,
  fields: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<string> {
  const shaped = fc.record(
    {
      channel: fc.oneof({ weight: 8, arbitrary: fc.constant(channel) }, { weight: 1, arbitrary: anyJson }),
      ...fields,
    },
    { requiredKeys: ["channel"] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: bent(shaped).map((value) => JSON.stringify(value) ?? "null") },
    { weight: 1, arbitrary: notQuiteJson },
  );
}

/** The frames of one case on a channel: subscribe (generated identifier), then actions on it. */
function channelFrames(
  identifier: fc.Arbitrary<string>,
  action: fc.Arbitrary<unknown>,
): fc.Arbitrary<string[]> {
  return fc
    .tuple(identifier, fc.array(fc.tuple(action, fc.nat(9)), { minLength: 1, maxLength: 5 }))
    .map(([id, actions]) => [
      JSON.stringify({ command: "subscribe", identifier: id }),
      ...actions.map(([data, twist]) =>
        twist === 0
          ? JSON.stringify({ command: "message", identifier: id, data })
          : twist === 1
            ? JSON.stringify({ command: "unsubscribe", identifier: id })
            : JSON.stringify({ command: "message", identifier: id, data: JSON.stringify(data) ?? "null" }),
      ),
    ]);
}

const rawFrame: fc.Arbitrary<string> = fc.oneof(
  notQuiteJson,
  anyJson.map((value) => JSON.stringify(value) ?? "null"),
  fc
    .record(
      {
        command: fc.oneof(
          fc.constantFrom("subscribe", "unsubscribe", "message", "ping", "pong", "welcome"),
          hostileString,
        ),
        identifier: fc.oneof(
          fc.constantFrom(
            `{"channel":"${VISITOR_CHANNEL}"}`,
            `{"channel":"${ADMIN_CHANNEL}"}`,
            '{"channel":"Nope"}',
          ),
          anyJson.map((value) => JSON.stringify(value) ?? "null"),
          anyJson,
        ),
        data: fc.oneof(
          anyJson.map((value) => JSON.stringify(value) ?? "null"),
          anyJson,
        ),
      },
      { requiredKeys: [] },
    )
    .map((frame) => JSON.stringify(frame)),
);

interface Connection {
  socket: WebSocket;
  frames: Array<Record<string, unknown>>;
  closed: Promise<void>;
  isClosed(): boolean;
  waitFor(
    predicate: (frame: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<"seen" | "closed" | "timeout">;
}

async function connect(server: FuzzServer, origin: string, cookie?: string): Promise<Connection> {
  const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/cable`, ["actioncable-v1-json"], {
    headers: { origin, ...(cookie === undefined ? {} : { cookie }) },
  });
  const frames: Array<Record<string, unknown>> = [];
  const listeners = new Set<() => void>();
  let closed = false;
  socket.on("message", (data) => {
    try {
      frames.push(JSON.parse((data as Buffer).toString("utf8")) as Record<string, unknown>);
    } catch {
      frames.push({ unparseable: (data as Buffer).toString("utf8").slice(0, 200) });
    }
    for (const listener of listeners) listener();
  });
  const closedPromise = new Promise<void>((resolve) =>
    socket.on("close", () => {
      closed = true;
      for (const listener of listeners) listener();
      resolve();
    }),
  );
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_request, response) =>
      reject(new Error(`handshake ${response.statusCode}`)),
    );
    socket.once("error", reject);
  });
  const waitFor: Connection["waitFor"] = (predicate, timeoutMs) =>
    new Promise((resolve) => {
      const check = () => {
        if (frames.some(predicate)) return finish("seen");
        if (closed) return finish("closed");
      };
      const finish = (how: "seen" | "closed" | "timeout") => {
        listeners.delete(check);
        clearTimeout(timer);
        resolve(how);
      };
      const timer = setTimeout(() => finish("timeout"), timeoutMs);
      listeners.add(check);
      check();
    });
  return { socket, frames, closed: closedPromise, isClosed: () => closed, waitFor };
}

/** Sends the frames after a sync subscription is up, then waits for the sync action's answer. */
async function runFrames(
  server: FuzzServer,
  frames: string[],
  as: { origin: string; cookie?: string; sync: Record<string, unknown> },
): Promise<string | undefined> {
  const connection = await connect(server, as.origin, as.cookie);
  try {
    const welcomed = await connection.waitFor((f) => f.type === "welcome", 10_000);
    if (welcomed !== "seen") return `no welcome (${welcomed})`;
    const syncId = JSON.stringify(as.sync);
    connection.socket.send(JSON.stringify({ command: "subscribe", identifier: syncId }));
    const confirmed = await connection.waitFor(
      (f) => f.identifier === syncId && f.type === "confirm_subscription",
      10_000,
    );
    if (confirmed !== "seen")
      return `sync subscription not confirmed (${confirmed}): ${JSON.stringify(connection.frames).slice(0, 300)}`;
    for (const text of frames) {
      if (connection.isClosed()) break;
      connection.socket.send(text);
    }
    if (!connection.isClosed()) {
      connection.socket.send(
        JSON.stringify({
          command: "message",
          identifier: syncId,
          data: JSON.stringify({ action: SYNC_ACTION }),
        }),
      );
    }
    const synced = await connection.waitFor(
      (f) => f.identifier === syncId && JSON.stringify(f.message ?? "").includes(SYNC_ACTION),
      20_000,
    );
    countOutcome(synced === "seen" ? "synced" : synced);
    if (connection.frames.some((f) => f.type === "confirm_subscription" && f.identifier !== syncId)) {
      countOutcome("subscribed");
    }
    if (synced === "timeout") return `no answer to the sync action in 20 s (a hang?)`;
    const internal = connection.frames.find((f) => JSON.stringify(f).includes(INTERNAL_ERROR));
    if (internal !== undefined)
      return `internal error on the cable: ${JSON.stringify(internal).slice(0, 300)}`;
    return undefined;
  } finally {
    connection.socket.terminate();
  }
}

export function rawCableTarget(): FuzzTarget<CableCase> {
  return {
    name: "cable-raw",
    arbitrary: fc.record({ frames: fc.array(rawFrame, { minLength: 1, maxLength: 4 }) }),
    run: (server, testCase) =>
      runFrames(server, testCase.frames, {
        origin: WIDGET_ORIGIN,
        sync: { channel: VISITOR_CHANNEL, token: visitorToken() },
      }),
  };
}

export function visitorCableTarget(tokens: string[]): FuzzTarget<CableCase> {
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...tokens) },
    { weight: 3, arbitrary: fc.uuid().map((uuid) => `visitor-${uuid}`) },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: anyJson },
  );
  const identifier = identifierArbitrary(VISITOR_CHANNEL, {
    token,
    since: fc.oneof(fc.integer({ min: -1, max: 100 }), anyJson),
    limit: fc.oneof(fc.integer({ min: -1, max: 1001 }), anyJson),
    site: fc.oneof(fc.constant("default"), hostileString, anyJson),
  });
  return {
    name: "cable-visitor",
    arbitrary: fc.record({ frames: channelFrames(identifier, actionArbitrary(visitorActions)) }),
    run: (server, testCase) =>
      runFrames(server, testCase.frames, {
        origin: WIDGET_ORIGIN,
        sync: { channel: VISITOR_CHANNEL, token: visitorToken() },
      }),
  };
}

export function adminCableTarget(): FuzzTarget<CableCase> {
  const identifier = identifierArbitrary(ADMIN_CHANNEL, {
    since: fc.oneof(fc.integer({ min: -1, max: 100 }), anyJson),
  });
  return {
    name: "cable-admin",
    arbitrary: fc.record({ frames: channelFrames(identifier, actionArbitrary(adminActions)) }),
    run: (server, testCase) =>
      runFrames(server, testCase.frames, {
        origin: server.url,
        cookie: server.cookie,
        sync: { channel: ADMIN_CHANNEL, fuzz_sync: true },
      }),
  };
}
