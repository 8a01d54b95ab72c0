/**
 * The seed's frontend, unchanged, against Parley: the Next.js site whose chat widget, admin
 * login page and admin page were written for the Rails server. It uses the stock
 * @rails/actioncable consumer and `fetch` with `credentials: "include"` from the site's origin,
 * and this suite sends exactly what it sends, in its order, and checks the type of every field it
 * reads (seedShapes.ts). The admin page lives on the website's origin and calls the server
 * cross-origin with the agent's cookie, so that origin is an agent origin too.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { png } from "../files/fixtures.js";
import { createConsumerAt, RecordingSubscription, type Received } from "../support/cable.js";
import { OWNER, startTestServer, type TestServer } from "../support/testServer.js";
import {
  isId,
  isObject,
  isText,
  isTextOrNull,
  seedConversation,
  seedConversations,
  seedError,
  seedMessage,
  seedMessages,
} from "./seedShapes.js";
import { SiteBrowser } from "./siteBrowser.js";

/** The website: widget, admin login page and admin page are all its pages. */
const SITE = "http://localhost:3000";
/** More than a page of Parley's own clients (50): the admin page shows whole conversations. */
const LONG = 120;

type Message = { id: number; sender: string; content: string };

describe("the seed's frontend (stock ActionCable consumer, fetch with credentials) against Parley", () => {
  let server: TestServer;
  let cableUrl: string;
  let admin: SiteBrowser;
  let adminConsumer: Consumer;
  let adminChannel: RecordingSubscription;
  const consumers: Consumer[] = [];
  const visitorToken = randomUUID();
  let visitor: RecordingSubscription;
  let conversationId = 0;

  /** Frames of `type` this subscription received after `from` (an index into `received`). */
  const nextAfter = (
    subscription: RecordingSubscription,
    from: number,
    type: string,
    predicate: (m: Received) => boolean = () => true,
  ) => subscription.next((m) => subscription.received.indexOf(m) >= from && m.type === type && predicate(m));

  /** The widget's `createConsumer("ws://host/cable?token=…")` and its bare identifier. */
  const visitorWidget = (token: string): RecordingSubscription => {
    const consumer = createConsumerAt(`${cableUrl}?token=${token}`, { origin: SITE });
    consumers.push(consumer);
    return new RecordingSubscription(consumer, { channel: "VisitorChannel" });
  };

  /** The widget's send, waiting for its echo (the seed's widget shows a message once echoed). */
  const visitorSays = async (
    subscription: RecordingSubscription,
    content: string,
    name: string | undefined,
  ) => {
    const from = subscription.received.length;
    subscription.perform("send_message", { content, ...(name === undefined ? {} : { visitor_name: name }) });
    const echo = await nextAfter(
      subscription,
      from,
      "message",
      (m) => (m.message as Message).content === content,
    );
    return seedMessage(echo.message, "message.message") as unknown as Message;
  };

  before(async () => {
    server = await startTestServer({
      ALLOWED_ORIGINS: SITE,
      // The admin page is on the website's origin; after the origins split this is what grants
      // it agent access (today ALLOWED_ORIGINS does).
      AGENT_ORIGINS: SITE,
      // LONG messages from one visitor within a minute.
      RATE_LIMIT_PER_MINUTE: "1000",
    });
    cableUrl = `${server.url.replace(/^http/, "ws")}/cable`;
    admin = new SiteBrowser(SITE, server.url);
  });

  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    await server.dispose();
  });

  it("login page: POST /auth/login refuses a wrong password with the seed's error, then logs in", async () => {
    const wrong = await admin.fetch("/auth/login", {
      method: "POST",
      json: { username: OWNER.username, password: "not the password" },
    });
    assert.equal(wrong.status, 401);
    assert.equal(seedError(await wrong.json()), "Invalid credentials");
    assert.equal(admin.cookieHeader, undefined);

    const response = await admin.fetch("/auth/login", {
      method: "POST",
      json: { username: OWNER.username, password: OWNER.password },
    });
    assert.equal(response.status, 200);
    const body = isObject(await response.json(), "login");
    assert.equal(body.ok, true);
    assert.ok(admin.cookies.has("parley_session"), "the session cookie is set");
  });

  it("admin page: GET /conversations, then AdminChannel with the cookie sends `conversations`", async () => {
    const response = await admin.fetch("/conversations");
    assert.equal(response.status, 200);
    assert.deepEqual(seedConversations(isObject(await response.json(), "body").conversations), []);

    adminConsumer = createConsumerAt(cableUrl, { origin: SITE, cookie: admin.cookieHeader! });
    consumers.push(adminConsumer);
    adminChannel = new RecordingSubscription(adminConsumer, { channel: "AdminChannel" });
    const list = await adminChannel.next((m) => m.type === "conversations");
    assert.equal(adminChannel.rejected, false);
    assert.deepEqual(seedConversations(list.conversations), []);
    await adminChannel.until(() => adminChannel.confirmed);
  });

  it("widget: a first visit has no history; send_message is echoed as `message` and reaches the admin as `new_message`", async () => {
    visitor = visitorWidget(visitorToken);
    await visitor.until(() => visitor.confirmed);
    assert.equal(visitor.rejected, false);
    assert.equal(visitor.ofType("history").length, 0);

    const fromAdmin = adminChannel.received.length;
    const sent = await visitorSays(visitor, "Hello, is anyone there?", "Ada");
    assert.equal(sent.sender, "visitor");
    const heard = await nextAfter(adminChannel, fromAdmin, "new_message");
    conversationId = isId(heard.conversation_id, "new_message.conversation_id");
    assert.equal(isTextOrNull(heard.visitor_name, "new_message.visitor_name"), "Ada");
    const message = seedMessage(heard.message, "new_message.message");
    assert.equal(message.id, sent.id);
    // The admin page's own handler: `last_message: message.content`.
    assert.equal(isText(message.content, "new_message.message.content"), "Hello, is anyone there?");
  });

  it("admin page: send_message {conversation_id, content} reaches the widget; mark_read zeroes unread_count", async () => {
    const fromVisitor = visitor.received.length;
    const fromAdmin = adminChannel.received.length;
    adminChannel.perform("send_message", {
      conversation_id: conversationId,
      content: "Hi Ada, how can I help?",
    });
    const reply = seedMessage((await nextAfter(visitor, fromVisitor, "message")).message, "message.message");
    assert.equal(reply.sender, "admin");
    assert.equal(reply.content, "Hi Ada, how can I help?");
    const echoed = await nextAfter(adminChannel, fromAdmin, "new_message");
    assert.equal(echoed.conversation_id, conversationId);
    assert.equal(seedMessage(echoed.message, "new_message.message").id, reply.id);

    const listed = async () =>
      seedConversations(isObject(await (await admin.fetch("/conversations")).json(), "body").conversations);
    assert.equal((await listed())[0]?.unread_count, 1);
    const fromRead = adminChannel.received.length;
    adminChannel.perform("mark_read", { conversation_id: conversationId });
    // The admin page ignores Parley's `conversation_updated`; here it says mark_read is done. Its
    // Conversation has the seed's types too.
    const updated = await nextAfter(adminChannel, fromRead, "conversation_updated");
    assert.equal(seedConversation(updated.conversation, "conversation_updated.conversation").unread_count, 0);
    assert.equal(
      (updated.conversation as { last_message?: unknown }).last_message,
      "Hi Ada, how can I help?",
    );
    assert.equal((await listed())[0]?.unread_count, 0);
  });

  it("widget: errors come as `error` with the seed's texts", async () => {
    const fromVisitor = visitor.received.length;
    visitor.perform("send_message", { content: "   ", visitor_name: "Ada" });
    assert.equal(
      isText((await nextAfter(visitor, fromVisitor, "error")).error, "error.error"),
      "Message is empty",
    );
    const fromAgain = visitor.received.length;
    visitor.perform("send_message", { content: "x".repeat(2001), visitor_name: "Ada" });
    assert.equal(
      isText((await nextAfter(visitor, fromAgain, "error")).error, "error.error"),
      "Message too long (max 2000)",
    );
  });

  it(`admin page: get_history {conversation_id} without paging answers the whole conversation (${LONG + 2} messages)`, async () => {
    for (let n = 1; n <= LONG; n++) await visitorSays(visitor, `Line ${n}`, "Ada");
    const from = adminChannel.received.length;
    adminChannel.perform("get_history", { conversation_id: conversationId });
    const history = await nextAfter(adminChannel, from, "history");
    assert.equal(isId(history.conversation_id, "history.conversation_id"), conversationId);
    const contents = seedMessages(history.messages, "history.messages").map((m) => m.content);
    assert.deepEqual(contents, [
      "Hello, is anyone there?",
      "Hi Ada, how can I help?",
      ...Array.from({ length: LONG }, (_, i) => `Line ${i + 1}`),
    ]);

    // The same from REST, which the admin page also reads.
    const rest = await admin.fetch(`/conversations/${conversationId}/messages`);
    assert.equal(rest.status, 200);
    const messages = seedMessages(isObject(await rest.json(), "body").messages, "body.messages");
    assert.deepEqual(
      messages.map((m) => m.content),
      contents,
    );
  });

  it("admin page: list_conversations answers `conversations` whose last_message is text", async () => {
    const from = adminChannel.received.length;
    adminChannel.perform("list_conversations", {});
    const list = await nextAfter(adminChannel, from, "conversations");
    const [row] = seedConversations(list.conversations);
    assert.equal(row?.id, conversationId);
    assert.equal(row?.session_token, visitorToken);
    assert.equal(row?.visitor_name, "Ada");
    assert.equal(row?.last_message, `Line ${LONG}`);
    assert.equal(row?.unread_count, LONG);

    const rest = seedConversations(
      isObject(await (await admin.fetch("/conversations")).json(), "body").conversations,
    );
    assert.equal(rest[0]?.last_message, `Line ${LONG}`);
  });

  it("widget: a second visit gets `history` with the conversation and every message", async () => {
    const again = visitorWidget(visitorToken);
    const history = await again.next((m) => m.type === "history");
    const conversation = isObject(history.conversation, "history.conversation");
    assert.equal(isId(conversation.id, "history.conversation.id"), conversationId);
    assert.equal(isTextOrNull(conversation.visitor_name, "history.conversation.visitor_name"), "Ada");
    assert.equal(seedMessages(history.messages, "history.messages").length, LONG + 2);
  });

  it("a visitor without a name is null, and a message of files alone still has a text last_message", async () => {
    const token = randomUUID();
    const nameless = visitorWidget(token);
    await nameless.until(() => nameless.confirmed);
    await visitorSays(nameless, "No name here", undefined);

    // Parley's own widget attaches files: upload, then a message of those files and no text.
    const site = new SiteBrowser(SITE, server.url);
    const ids: number[] = [];
    for (const filename of ["photo.png", "second.png"]) {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(await png(16, 16))], { type: "image/png" }), filename);
      const upload = await site.fetch("/uploads", {
        method: "POST",
        form,
        headers: { "X-Visitor-Token": token },
      });
      assert.equal(upload.status, 201, await upload.clone().text());
      ids.push(isId(isObject(await upload.json(), "upload").id, "upload.id"));
    }
    const fromAdmin = adminChannel.received.length;
    const fromVisitor = nameless.received.length;
    nameless.perform("send_message", { content: "", attachment_ids: ids });
    const echo = seedMessage((await nextAfter(nameless, fromVisitor, "message")).message, "message.message");
    assert.equal(echo.content, "");
    const heard = await nextAfter(
      adminChannel,
      fromAdmin,
      "new_message",
      (m) => (m.message as Message).id === echo.id,
    );
    assert.equal(isTextOrNull(heard.visitor_name, "new_message.visitor_name"), null);
    assert.equal(isText((heard.message as Message).content, "new_message.message.content"), "");

    const from = adminChannel.received.length;
    adminChannel.perform("list_conversations", {});
    const rows = seedConversations((await nextAfter(adminChannel, from, "conversations")).conversations);
    const row = rows.find((candidate) => candidate.session_token === token);
    assert.ok(row, "the nameless visitor's conversation is listed");
    assert.equal(row.visitor_name, null);
    assert.equal(row.last_message, "photo.png +1");

    const rest = seedConversations(
      isObject(await (await admin.fetch("/conversations")).json(), "body").conversations,
    );
    assert.equal(rest.find((candidate) => candidate.session_token === token)?.last_message, "photo.png +1");
    const single = await admin.fetch(`/conversations/${isId(row.id, "row.id")}`);
    assert.equal(
      seedConversation(isObject(await single.json(), "body").conversation).last_message,
      "photo.png +1",
    );
  });

  it("admin page: DELETE /conversations/:id with no body and no Content-Type; agents get conversation_deleted", async () => {
    const from = adminChannel.received.length;
    const response = await admin.fetch(`/conversations/${conversationId}`, { method: "DELETE" });
    assert.equal(response.status, 200);
    assert.equal(isObject(await response.json(), "body").ok, true);
    const deleted = await nextAfter(adminChannel, from, "conversation_deleted");
    assert.equal(isId(deleted.conversation_id, "conversation_deleted.conversation_id"), conversationId);
    const missing = await admin.fetch(`/conversations/${conversationId}/messages`);
    assert.equal(missing.status, 404);
    seedError(await missing.json());
  });

  it("admin page: DELETE /auth/logout with no body ends the session", async () => {
    const cookie = admin.cookieHeader;
    const response = await admin.fetch("/auth/logout", { method: "DELETE" });
    assert.equal(response.status, 200);
    assert.equal(isObject(await response.json(), "body").ok, true);
    assert.equal(admin.cookies.has("parley_session"), false, "the cookie is cleared");
    const stale = await fetch(`${server.url}/conversations`, { headers: { origin: SITE, cookie: cookie! } });
    assert.equal(stale.status, 401);
    seedError(await stale.json());
    const now = await admin.fetch("/conversations");
    assert.equal(now.status, 401);
  });
});
