/**
 * What people write is stored plain: no control characters (a message keeps its lines and
 * tabs), no bidi overrides or other invisible formatting that could make text read otherwise
 * ("gpj.exe" shown as "exe.jpg"), names on one line; and a visitor cannot go by an agent's name.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

type Event = {
  type?: string;
  error?: string;
  client_id?: string;
  message?: { content: string; client_id?: string };
};

/** Every character the server must drop from a message, by name. */
const HIDDEN: Record<string, string> = {
  NUL: "\u0000",
  BEL: "\u0007",
  "vertical tab": "\u000b",
  "form feed": "\u000c",
  ESC: "\u001b",
  DEL: "\u007f",
  "C1 CSI": "\u009b",
  "C1 NEL": "\u0085",
  ALM: "\u061c",
  "Mongolian vowel separator": "\u180e",
  "zero-width space": "\u200b",
  LRM: "\u200e",
  RLM: "\u200f",
  LRE: "\u202a",
  RLE: "\u202b",
  PDF: "\u202c",
  LRO: "\u202d",
  RLO: "\u202e",
  "word joiner": "\u2060",
  "invisible times": "\u2062",
  LRI: "\u2066",
  RLI: "\u2067",
  FSI: "\u2068",
  PDI: "\u2069",
  "inhibit symmetric swapping": "\u206a",
  BOM: "\ufeff",
  "interlinear annotation anchor": "\ufff9",
};

describe("plain text from people", () => {
  let server: TestServer;
  let cookie: string;
  const sockets: RawCable[] = [];

  /** A visitor's subscription; send() resolves with the stored message or the error text. */
  const visitor = async (token = visitorToken()) => {
    const cable = await openRawCable(server.url);
    sockets.push(cable);
    const id = cable.subscribe({ channel: "VisitorChannel", token });
    await cable.next((f) => f.type === "confirm_subscription");
    let sent = 0;
    return {
      token,
      async send(data: Record<string, unknown>): Promise<Event> {
        const clientId = `p${++sent}`;
        cable.perform(id, { action: "send_message", client_id: clientId, ...data });
        const frame = await cable.next((f) => {
          const event = f.message as Event | undefined;
          return (
            event?.message?.client_id === clientId ||
            (event?.type === "error" && event.client_id === clientId)
          );
        });
        return frame.message as Event;
      },
    };
  };
  const storedName = async (token: string) =>
    (await server.store.findConversationByToken(token))?.visitorName;
  const renameSelf = (name: string) =>
    fetch(`${server.url}/agents/me`, {
      method: "PATCH",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name }),
    });

  before(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await server.dispose();
  });

  it("drops controls and invisible formatting from messages, keeping lines, tabs and emoji", async () => {
    const ada = await visitor();
    const all = Object.values(HIDDEN).join("");
    const family = "\u{1F468}\u200d\u{1F469}\u200d\u{1F467}";
    const stored = await ada.send({
      content: `invoice${all}\u202egpj.exe\r\nline two\ttabbed\u2028${family} \u200cمی‌خواهم`,
      visitor_name: "Ada",
    });
    assert.equal(stored.type, "message", stored.error);
    assert.equal(stored.message?.content, `invoicegpj.exe\nline two\ttabbed\n${family} \u200cمی‌خواهم`);
    for (const [name, char] of Object.entries(HIDDEN)) {
      const event = await ada.send({ content: `a${char}b` });
      assert.equal(event.message?.content, "ab", name);
    }
    // Nothing left once they are gone: the seed's text.
    const empty = await ada.send({ content: `${all}\r\n ` });
    assert.deepEqual([empty.type, empty.error], ["error", "Message is empty"]);
  });

  it("puts visitor names on one line, without controls or formatting", async () => {
    const eve = await visitor();
    const sent = await eve.send({ content: "hi", visitor_name: "  Eve\r\n\u202eSmith\t\u0007 " });
    assert.equal(sent.type, "message", sent.error);
    assert.equal(await storedName(eve.token), "Eve Smith");
    // The seed's texts stand for the seed's cases.
    assert.equal(
      (await eve.send({ content: "hi", visitor_name: "x".repeat(51) })).error,
      "Name too long (max 50)",
    );
    assert.equal((await eve.send({ content: "hi", visitor_name: 7 })).error, "Name must be text");
  });

  it("does the same to an agent's display name and messages", async () => {
    const renamed = await renameSelf("Grace\n\u202eHopper\u200f");
    assert.equal(renamed.status, 200);
    assert.equal(((await renamed.json()) as { agent: { name: string } }).agent.name, "Grace Hopper");
    assert.equal((await renameSelf("\u202e\u0000\n")).status, 400, "nothing left of the name");

    const ada = await visitor();
    await ada.send({ content: "hello" });
    const conversationId = (await server.store.findConversationByToken(ada.token))!.id;
    const agent = await openRawCable(server.url, { cookie });
    sockets.push(agent);
    const id = agent.subscribe({ channel: "AdminChannel" });
    await agent.next((f) => (f.message as Event | undefined)?.type === "conversations");
    agent.perform(id, {
      action: "send_message",
      conversation_id: conversationId,
      content: "Hi\u0000 \u202ethere\r\n",
      client_id: "a1",
    });
    const echoed = await agent.next(
      (f) => (f.message as { message?: { client_id?: string } } | undefined)?.message?.client_id === "a1",
    );
    assert.equal((echoed.message as { message: { content: string } }).message.content, "Hi there");
  });

  it("marks a visitor who goes by an agent's name, in any case or disguise", async () => {
    assert.equal((await renameSelf("Grace Hopper")).status, 200);
    for (const [requested, shown] of [
      ["Grace Hopper", "Grace Hopper (visitor)"],
      ["grace HOPPER", "grace HOPPER (visitor)"],
      ["Grace\u00ad Hop\u200dper", "Grace\u00ad Hop\u200dper (visitor)"],
      ["Ｇｒａｃｅ Hopper", "Ｇｒａｃｅ Hopper (visitor)"],
      ["Grace\n\u202eHopper", "Grace Hopper (visitor)"],
      ["Grace Hopper (visitor)", "Grace Hopper (visitor)"],
      ["Grace Hoppers", "Grace Hoppers"],
    ] as const) {
      const someone = await visitor();
      const event = await someone.send({ content: "hi", visitor_name: requested });
      assert.equal(event.type, "message", event.error);
      assert.equal(await storedName(someone.token), shown, requested);
    }
    // A visitor who has the name keeps it when they send it again, and is marked when they take one.
    const ada = await visitor();
    await ada.send({ content: "hi", visitor_name: "Ada" });
    await ada.send({ content: "hi again", visitor_name: "Ada" });
    assert.equal(await storedName(ada.token), "Ada");
    await ada.send({ content: "I am staff", visitor_name: "GRACE HOPPER" });
    assert.equal(await storedName(ada.token), "GRACE HOPPER (visitor)");
    await ada.send({ content: "still me", visitor_name: "GRACE HOPPER" });
    assert.equal(await storedName(ada.token), "GRACE HOPPER (visitor)");
  });
});
