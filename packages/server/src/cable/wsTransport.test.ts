/**
 * The frames one turn sends to a socket leave in one write at the turn's end, in order, over a
 * real `ws` server and client on loopback.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { after, before, describe, it } from "node:test";
import { WebSocket, WebSocketServer } from "ws";
import { WsTransport } from "./wsTransport.js";

/** The socket `ws` writes to, with a count of the writes that reach it. */
function countWrites(socket: WebSocket): { raw: Duplex; writes: () => number } {
  const raw = (socket as WebSocket & { _socket: Duplex })._socket;
  let writes = 0;
  const stream = raw as Duplex & { _write: Duplex["_write"]; _writev?: Duplex["_writev"] };
  const write = stream._write.bind(stream);
  stream._write = (chunk, encoding, callback) => {
    writes++;
    write(chunk, encoding, callback);
  };
  const writev = stream._writev?.bind(stream);
  if (writev !== undefined)
    stream._writev = (chunks, callback) => {
      writes++;
      writev(chunks, callback);
    };
  return { raw, writes: () => writes };
}

describe("WsTransport", () => {
  let server: WebSocketServer;
  let serverSide: WebSocket;
  let client: WebSocket;
  const heard: string[] = [];

  before(async () => {
    server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await once(server, "listening");
    const accepted = once(server, "connection");
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on("message", (data: Buffer) => heard.push(data.toString("utf8")));
    [serverSide] = (await accepted) as [WebSocket];
    await once(client, "open");
  });

  after(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const heardSoon = async (count: number) => {
    while (heard.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
    return heard.splice(0, count);
  };

  it("writes the frames of one turn, its promise reactions included, in one go at its end", async () => {
    const transport = new WsTransport(serverSide);
    const { raw, writes } = countWrites(serverSide);
    transport.send("one");
    transport.send(Buffer.from("two"));
    assert.equal(raw.writableCorked, 1, "held until the turn ends");
    await Promise.resolve();
    transport.send("three");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(raw.writableCorked, 0);
    assert.equal(writes(), 1, "three frames, one write");
    assert.deepEqual(await heardSoon(3), ["one", "two", "three"]);

    transport.send("next turn");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writes(), 2);
    assert.deepEqual(await heardSoon(1), ["next turn"]);
  });

  it("sends what it held before a close in the same turn", async () => {
    const transport = new WsTransport(serverSide);
    const closed = once(client, "close");
    transport.send("last words");
    transport.close(1000);
    const [code] = (await closed) as [number];
    assert.equal(code, 1000);
    assert.deepEqual(await heardSoon(1), ["last words"]);
  });
});
