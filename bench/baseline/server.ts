/**
 * The baseline: the least a Node server needs to do for Parley's wire contract, to measure
 * Parley against. `ws` + one INSERT per message (better-sqlite3, or pg with DATABASE_URL) +
 * in-process fan-out. No auth, no conversations, no validation beyond what keeps it running, no
 * limits, no catch-up. It speaks just enough ActionCable for the bench's clients: welcome,
 * pings every 3 s (spread over the interval, as any server with many sockets must), subscribe
 * to VisitorChannel (token in the identifier) or AdminChannel, and `send_message`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { WebSocketServer, type WebSocket } from "ws";

interface Insert {
  (token: string, content: string, clientId: string | null, createdAt: string): Promise<number>;
}

function sqliteInsert(storageDir: string): { insert: Insert; ping: () => Promise<void> } {
  mkdirSync(storageDir, { recursive: true });
  const db = new Database(join(storageDir, "baseline.sqlite3"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "create table if not exists messages (id integer primary key autoincrement, token text not null, content text not null, client_id text, created_at text not null)",
  );
  const statement = db.prepare(
    "insert into messages (token, content, client_id, created_at) values (?, ?, ?, ?)",
  );
  return {
    insert: async (...values) => Number(statement.run(...values).lastInsertRowid),
    ping: async () => void db.prepare("select 1").get(),
  };
}

function postgresInsert(url: string): { insert: Insert; ping: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url });
  const ready = pool.query(
    "create table if not exists messages (id bigint generated always as identity primary key, token text not null, content text not null, client_id text, created_at text not null)",
  );
  return {
    insert: async (...values) => {
      const result = await pool.query<{ id: string }>({
        name: "insert_message",
        text: "insert into messages (token, content, client_id, created_at) values ($1, $2, $3, $4) returning id",
        values,
      });
      return Number(result.rows[0]!.id);
    },
    ping: async () => {
      await ready;
      await pool.query("select 1");
    },
  };
}

const port = Number(process.env.PORT ?? 3200);
const store = process.env.DATABASE_URL
  ? postgresInsert(process.env.DATABASE_URL)
  : sqliteInsert(process.env.STORAGE_DIR ?? "./storage");

/** Subscriptions: a visitor's by token, the agents' in one set; each is a socket and its identifier. */
interface Subscription {
  socket: WebSocket;
  identifierJson: string;
}
const visitors = new Map<string, Set<Subscription>>();
const agents = new Set<Subscription>();
const conversationIds = new Map<string, number>();

function handleHttp(request: IncomingMessage, response: ServerResponse): void {
  if (request.method === "POST" && request.url === "/auth/login") {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, {
        "content-type": "application/json",
        "set-cookie": "parley_session=baseline; Path=/",
      });
      response.end('{"ok":true}');
    });
    return;
  }
  if (request.url === "/up") {
    store.ping().then(
      () => response.writeHead(200).end('{"status":"up"}'),
      () => response.writeHead(503).end(),
    );
    return;
  }
  response.writeHead(404).end();
}

const http = createServer(handleHttp);
const wss = new WebSocketServer({
  server: http,
  path: "/cable",
  perMessageDeflate: false,
  handleProtocols: (offered) => (offered.has("actioncable-v1-json") ? "actioncable-v1-json" : false),
});

wss.on("connection", (socket) => {
  const subscriptions = new Map<string, { token: string | null; subscription: Subscription }>();
  socket.send('{"type":"welcome"}');
  socket.on("message", (data) => {
    const text = (data as Buffer).toString("utf8");
    let frame: { command?: unknown; identifier?: unknown; data?: unknown };
    let params: { channel?: unknown; token?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
      params = JSON.parse(String(frame.identifier)) as typeof params;
    } catch {
      socket.close(1003);
      return;
    }
    const identifier = String(frame.identifier);
    if (frame.command === "subscribe") {
      const subscription = { socket, identifierJson: JSON.stringify(identifier) };
      if (params.channel === "AdminChannel") {
        agents.add(subscription);
        subscriptions.set(identifier, { token: null, subscription });
      } else if (params.channel === "VisitorChannel" && typeof params.token === "string") {
        let set = visitors.get(params.token);
        if (set === undefined) visitors.set(params.token, (set = new Set()));
        set.add(subscription);
        subscriptions.set(identifier, { token: params.token, subscription });
      } else {
        socket.send(JSON.stringify({ identifier, type: "reject_subscription" }));
        return;
      }
      socket.send(JSON.stringify({ identifier, type: "confirm_subscription" }));
    } else if (frame.command === "message") {
      const entry = subscriptions.get(identifier);
      if (entry?.token == null) return;
      void send(entry.token, JSON.parse(String(frame.data)) as { content?: unknown; client_id?: unknown });
    }
  });
  socket.on("close", () => {
    for (const { token, subscription } of subscriptions.values()) {
      if (token === null) agents.delete(subscription);
      else visitors.get(token)?.delete(subscription);
    }
  });
});

async function send(token: string, action: { content?: unknown; client_id?: unknown }): Promise<void> {
  if (typeof action.content !== "string") return;
  const clientId = typeof action.client_id === "string" ? action.client_id : null;
  const createdAt = new Date().toISOString();
  const id = await store.insert(token, action.content, clientId, createdAt);
  let conversationId = conversationIds.get(token);
  if (conversationId === undefined) conversationIds.set(token, (conversationId = conversationIds.size + 1));
  const message = JSON.stringify({
    id,
    sender: "visitor",
    content: action.content,
    created_at: createdAt,
    client_id: clientId,
  });
  for (const { socket, identifierJson } of visitors.get(token) ?? []) {
    socket.send(`{"identifier":${identifierJson},"message":{"type":"message","message":${message}}}`);
  }
  const event = `{"type":"new_message","conversation_id":${conversationId},"visitor_name":null,"message":${message}}`;
  for (const { socket, identifierJson } of agents)
    socket.send(`{"identifier":${identifierJson},"message":${event}}`);
}

// Pings: every socket once every 3 s, in 60 groups one of which is pinged every 50 ms, so no
// tick writes to every socket at once (as Parley does).
const PING_GROUPS = 60;
const pingGroups = Array.from({ length: PING_GROUPS }, () => new Set<WebSocket>());
let nextGroup = 0;
let pingTick = 0;
wss.on("connection", (socket) => {
  const group = pingGroups[nextGroup++ % PING_GROUPS]!;
  group.add(socket);
  socket.on("close", () => group.delete(socket));
});
setInterval(() => {
  const group = pingGroups[pingTick++ % PING_GROUPS]!;
  const frame = `{"type":"ping","message":${Math.floor(Date.now() / 1000)}}`;
  for (const socket of group) socket.send(frame);
}, 3000 / PING_GROUPS);

http.listen(port, process.env.HOST ?? "127.0.0.1");
process.once("SIGTERM", () => process.exit(0));
process.once("SIGINT", () => process.exit(0));
