#!/usr/bin/env node
// The container test's client, run inside the server's network namespace
// (`ip netns exec NS node probe.mjs COMMAND ...`): it talks to the server on 127.0.0.1:PORT as a
// visitor (ActionCable over WebSocket) or as an agent (REST), and prints one JSON line.
//
//   up [timeoutMs]                    poll GET /up until 200
//   get PATH                          status, type and length of one GET
//   visit TOKEN CONTENT               subscribe as a visitor, send CONTENT, wait for its echo
//   hold TOKEN                        subscribe, print {"ready":true}, then report how the server
//                                     closes the socket (the disconnect frame on SIGTERM)
//   agent USER PASSWORD TOKEN         log in, find the visitor's conversation and its messages
//
// Environment: PROBE_PORT (default 3100), PROBE_ORIGIN (a site in ALLOWED_ORIGINS, for visitors).
import WebSocket from "ws";

const port = Number(process.env.PROBE_PORT ?? 3100);
const origin = process.env.PROBE_ORIGIN ?? "http://localhost:3000";
const base = `http://127.0.0.1:${port}`;
const [command, ...args] = process.argv.slice(2);

function print(value) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function fail(message) {
  print({ error: message });
  process.exit(1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function up(timeoutMs = 60_000) {
  const started = Date.now();
  let last = "no answer";
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(`${base}/up`, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      last = `${response.status} ${body.slice(0, 200)}`;
      if (response.status === 200) return print({ status: 200, body, waitedMs: Date.now() - started });
    } catch (error) {
      last = String(error?.cause?.code ?? error);
    }
    await sleep(250);
  }
  fail(`/up did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

async function get(path) {
  const response = await fetch(`${base}${path}`, { headers: { origin } });
  const body = Buffer.from(await response.arrayBuffer());
  print({ status: response.status, contentType: response.headers.get("content-type"), length: body.length });
}

/** A visitor's socket: resolves once the subscription is confirmed. */
function subscribe(token) {
  return new Promise((resolve, reject) => {
    const identifier = JSON.stringify({ channel: "VisitorChannel", token });
    const ws = new WebSocket(
      `ws://127.0.0.1:${port}/cable`,
      ["actioncable-v1-json", "actioncable-unsupported"],
      {
        headers: { origin },
      },
    );
    const events = [];
    const frames = [];
    const waiters = [];
    const visitor = { ws, identifier, events, frames, waiters };
    const timer = setTimeout(() => reject(new Error("no confirm_subscription within 10 s")), 10_000);
    ws.on("message", (raw) => {
      const frame = JSON.parse(String(raw));
      if (frame.type === "ping") return;
      frames.push(frame);
      if (frame.type === "welcome") ws.send(JSON.stringify({ command: "subscribe", identifier }));
      if (frame.type === "confirm_subscription") {
        clearTimeout(timer);
        resolve(visitor);
      }
      if (frame.type === "reject_subscription") reject(new Error("subscription rejected"));
      if (frame.identifier === identifier && frame.message) {
        events.push(frame.message);
        for (const waiter of [...waiters]) waiter();
      }
    });
    ws.on("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    ws.on("error", reject);
  });
}

function waitFor(visitor, predicate, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = visitor.events.find(predicate);
      if (!found) return false;
      visitor.waiters.splice(visitor.waiters.indexOf(check), 1);
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    const timer = setTimeout(() => {
      visitor.waiters.splice(visitor.waiters.indexOf(check), 1);
      reject(new Error(`timed out; events: ${JSON.stringify(visitor.events).slice(0, 500)}`));
    }, timeoutMs);
    visitor.waiters.push(check);
    check();
  });
}

async function visit(token, content) {
  const visitor = await subscribe(token);
  // The server sends `history` right after the confirmation when the visitor already has a
  // conversation; give it a moment to arrive.
  await sleep(300);
  const history = visitor.events.find((event) => event.type === "history") ?? null;
  const clientId = `probe-${Date.now()}`;
  visitor.ws.send(
    JSON.stringify({
      command: "message",
      identifier: visitor.identifier,
      data: JSON.stringify({ action: "send_message", content, client_id: clientId }),
    }),
  );
  const echo = await waitFor(
    visitor,
    (event) => event.type === "message" && event.message?.content === content,
  );
  visitor.ws.close();
  print({ history, message: echo.message });
}

async function hold(token) {
  const visitor = await subscribe(token);
  print({ ready: true });
  const closed = await new Promise((resolve) => {
    visitor.ws.on("close", (code) => resolve(code));
  });
  const disconnect = visitor.frames.find((frame) => frame.type === "disconnect") ?? null;
  print({ disconnect, closeCode: closed });
}

async function agent(user, password, token) {
  // As the inbox at /admin does: from the server's own origin (the widget's sites get no agent access).
  const inboxOrigin = base;
  const login = await fetch(`${base}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: inboxOrigin },
    body: JSON.stringify({ username: user, password }),
  });
  if (login.status !== 200) fail(`POST /auth/login answered ${login.status}: ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const headers = { cookie, origin: inboxOrigin };
  const list = await fetch(`${base}/conversations`, { headers });
  if (list.status !== 200) fail(`GET /conversations answered ${list.status}`);
  const { conversations } = await list.json();
  const conversation = conversations.find((c) => c.session_token === token) ?? null;
  let messages = null;
  if (conversation) {
    const response = await fetch(`${base}/conversations/${conversation.id}/messages`, { headers });
    messages = (await response.json()).messages;
  }
  print({ conversations: conversations.length, conversation, messages });
}

try {
  switch (command) {
    case "up":
      await up(args[0] ? Number(args[0]) : undefined);
      break;
    case "get":
      await get(args[0]);
      break;
    case "visit":
      await visit(args[0], args[1]);
      break;
    case "hold":
      await hold(args[0]);
      break;
    case "agent":
      await agent(args[0], args[1], args[2]);
      break;
    default:
      fail(`unknown command ${command}`);
  }
  process.exit(0);
} catch (error) {
  fail(String(error?.stack ?? error));
}
