/**
 * Everything a stranger can throw at /cable gets its documented answer, while the server keeps
 * serving a conversation that runs beside it, and nothing stored is lost or changed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";
import { handshakeStatus, openRawCable, type RawCable } from "../support/rawCable.js";

const isDisconnect = (reason: string) => (frame: Record<string, unknown>) =>
  frame.type === "disconnect" && frame.reason === reason;

describe("bad input on the cable", () => {
  let server: TestServer;
  let bystander: RawCable;
  let bystanderId: string;
  const bystanderToken = visitorToken();

  before(async () => {
    server = await startTestServer();
    bystander = await openRawCable(server.url);
    bystanderId = bystander.subscribe({ channel: "VisitorChannel", token: bystanderToken });
    await bystander.next((f) => f.type === "confirm_subscription");
    bystander.perform(bystanderId, { action: "send_message", content: "first" });
    await bystander.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
  });

  after(async () => {
    // The bystander's conversation went on through all of it, intact.
    bystander.perform(bystanderId, { action: "send_message", content: "last" });
    await bystander.next(
      (f) => (f.message as { message?: { content?: string } } | undefined)?.message?.content === "last",
    );
    const conversation = await server.store.findConversationByToken(bystanderToken);
    const messages = await server.store.listMessages(conversation!.id, { limit: 10 });
    assert.deepEqual(
      messages.map((m) => m.content),
      ["first", "last"],
    );
    bystander.close();
    await server.dispose();
  });

  for (const [name, text] of [
    ["not JSON", "{nope"],
    ["a JSON array", "[1,2]"],
    [
      "an unknown command",
      JSON.stringify({ command: "explode", identifier: '{"channel":"VisitorChannel"}' }),
    ],
    [
      "an identifier that is an object",
      JSON.stringify({ command: "subscribe", identifier: { channel: "VisitorChannel" } }),
    ],
    ["an identifier without a channel", JSON.stringify({ command: "subscribe", identifier: "{}" })],
    [
      "data that is not a string",
      JSON.stringify({ command: "message", identifier: '{"channel":"VisitorChannel"}', data: {} }),
    ],
  ] as const) {
    it(`disconnects with invalid_request on ${name}`, async () => {
      const cable = await openRawCable(server.url);
      await cable.next((f) => f.type === "welcome");
      cable.sendText(text);
      const frame = await cable.next(isDisconnect("invalid_request"));
      assert.equal(frame.reconnect, false);
      await cable.closed;
    });
  }

  it("closes a connection that sends a frame over 64 KiB", async () => {
    const cable = await openRawCable(server.url);
    await cable.next((f) => f.type === "welcome");
    cable.send({
      command: "message",
      identifier: '{"channel":"VisitorChannel"}',
      data: "x".repeat(70 * 1024),
    });
    const { code } = await cable.closed;
    assert.equal(code, 1009);
    assert.ok(cable.frames.some(isDisconnect("invalid_request")));
  });

  it("rejects an unknown channel and an AdminChannel without a session", async () => {
    const cable = await openRawCable(server.url);
    const unknown = cable.subscribe({ channel: "SecretChannel" });
    const admin = cable.subscribe({ channel: "AdminChannel" });
    await cable.next((f) => f.identifier === unknown && f.type === "reject_subscription");
    await cable.next((f) => f.identifier === admin && f.type === "reject_subscription");
    cable.close();
  });

  it("rejects malformed and missing visitor tokens", async () => {
    for (const token of [
      undefined,
      "short",
      "x".repeat(129),
      "has spaces in it!!",
      1234567890123456,
      { a: 1 },
    ]) {
      const cable = await openRawCable(server.url);
      const id = cable.subscribe({ channel: "VisitorChannel", ...(token === undefined ? {} : { token }) });
      await cable.next((f) => f.identifier === id && f.type === "reject_subscription");
      cable.close();
    }
    const onUrl = await openRawCable(server.url, { query: "?token=bad%20token" });
    await onUrl.next(isDisconnect("unauthorized"));
    await onUrl.closed;
  });

  it("refuses the handshake from an origin outside the allow-list", async () => {
    assert.equal(await handshakeStatus(server.url, { origin: "https://evil.example" }), 403);
    assert.equal(await handshakeStatus(server.url, { origin: "http://allowed.example" }), 101);
    assert.equal(await handshakeStatus(server.url, { origin: server.url }), 101);
  });

  it("answers bad actions and bad messages with an error, keeping the connection", async () => {
    const cable = await openRawCable(server.url);
    const id = cable.subscribe({ channel: "VisitorChannel", token: visitorToken() });
    await cable.next((f) => f.type === "confirm_subscription");
    const errors = (): string[] =>
      cable.frames
        .map((f) => f.message as { type?: string; error?: string } | undefined)
        .filter((m) => m?.type === "error")
        .map((m) => m!.error!);
    const cases: [Record<string, unknown>, string][] = [
      [{ action: "send_message", content: "" }, "Message is empty"],
      [{ action: "send_message", content: "   \n\t " }, "Message is empty"],
      [{ action: "send_message", content: "é".repeat(2001) }, "Message too long (max 2000)"],
      [{ action: "send_message", content: { text: "hi" } }, "Message must be text"],
      [{ action: "send_message", content: "hi", visitor_name: ["x"] }, "Name must be text"],
      [
        { action: "send_message", content: "hi", client_id: "c".repeat(65) },
        "client_id must be 1-64 characters",
      ],
      [{ action: "self_destruct" }, "Unknown action: self_destruct"],
      [{ content: "no action" }, "Unknown action: undefined"],
      [{ action: "typing", typing: "yes" }, "typing must be true or false"],
    ];
    for (const [data, expected] of cases) {
      const before = errors().length;
      cable.perform(id, data);
      await cable.next(() => errors().length > before);
      assert.equal(errors().at(-1), expected);
    }
    // Data that is not JSON inside a well-formed frame is a broken client.
    cable.send({ command: "message", identifier: id, data: "{not json" });
    await cable.next(isDisconnect("invalid_request"));
  });

  it("accepts exactly 2000 characters and stores HTML and SQL verbatim", async () => {
    const cable = await openRawCable(server.url);
    const token = visitorToken();
    const id = cable.subscribe({ channel: "VisitorChannel", token });
    await cable.next((f) => f.type === "confirm_subscription");
    const contents = [
      "a".repeat(2000),
      `<img src=x onerror=alert(1)><script>alert("x")</script>`,
      `'); DROP TABLE messages; --`,
    ];
    for (const content of contents) {
      cable.perform(id, { action: "send_message", content });
      await cable.next(
        (f) => (f.message as { message?: { content?: string } } | undefined)?.message?.content === content,
      );
    }
    const conversation = await server.store.findConversationByToken(token);
    const stored = await server.store.listMessages(conversation!.id, { limit: 10 });
    assert.deepEqual(
      stored.map((m) => m.content),
      contents,
    );
    cable.close();
  });

  it("ignores a conversation id a visitor sends and writes only to their own conversation", async () => {
    const cable = await openRawCable(server.url);
    const id = cable.subscribe({ channel: "VisitorChannel", token: visitorToken() });
    await cable.next((f) => f.type === "confirm_subscription");
    const victim = await server.store.findConversationByToken(bystanderToken);
    cable.perform(id, { action: "send_message", content: "sneaky", conversation_id: victim!.id });
    const echo = await cable.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    assert.equal((echo.message as { message: { content: string } }).message.content, "sneaky");
    const victimMessages = await server.store.listMessages(victim!.id, { limit: 10 });
    assert.ok(!victimMessages.some((m) => m.content === "sneaky"));
    cable.close();
  });

  it("answers a repeated subscribe with a confirmation and no second history", async () => {
    const cable = await openRawCable(server.url);
    const id = cable.subscribe({ channel: "VisitorChannel", token: bystanderToken });
    await cable.next((f) => f.type === "confirm_subscription");
    await cable.next((f) => (f.message as { type?: string } | undefined)?.type === "history");
    cable.sendText(JSON.stringify({ command: "subscribe", identifier: id }));
    await cable.next(() => cable.frames.filter((x) => x.type === "confirm_subscription").length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(
      cable.frames.filter((f) => (f.message as { type?: string } | undefined)?.type === "history").length,
      1,
    );
    cable.close();
  });

  it("sends pings and echoes the identifier byte for byte", async () => {
    const cable = await openRawCable(server.url);
    const identifier = '{ "token" : "' + visitorToken() + '", "channel":"VisitorChannel" }';
    cable.sendText(JSON.stringify({ command: "subscribe", identifier }));
    const confirm = await cable.next((f) => f.type === "confirm_subscription");
    assert.equal(confirm.identifier, identifier);
    const ping = await cable.next((f) => f.type === "ping", 4000);
    assert.equal(typeof ping.message, "number");
    cable.close();
  });

  it("accepts a handshake that offers no subprotocol", async () => {
    const cable = await openRawCable(server.url, { protocols: [] });
    await cable.next((f) => f.type === "welcome");
    assert.equal(cable.socket.protocol, "");
    cable.close();
  });

  it("still lets an agent in while all this goes on", async () => {
    const cable = await openRawCable(server.url, { cookie: await login(server.url) });
    cable.subscribe({ channel: "AdminChannel" });
    await cable.next((f) => (f.message as { type?: string } | undefined)?.type === "conversations");
    cable.close();
  });
});
