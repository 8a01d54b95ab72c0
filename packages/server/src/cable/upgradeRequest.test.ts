/**
 * An open cable connection does not keep its upgrade request: the HTTP request with its headers
 * is garbage once the socket is handed to the cable, where a listener made in the upgrade's own
 * scope kept it for the socket's life (about 1.5 KB per connected visitor). A real HTTP server,
 * a real `ws` client, and the garbage collector asked directly.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pino from "pino";
import { WebSocket } from "ws";
import { CableServer } from "./cableServer.js";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

describe("an open cable connection", () => {
  let http: Server;
  let cable: CableServer<{ kind: "visitor" }>;
  const requests: WeakRef<IncomingMessage>[] = [];
  before(async () => {
    cable = new CableServer<{ kind: "visitor" }>({
      channels: new Map(),
      logger: pino({ level: "silent" }),
      isOriginAllowed: () => true,
      authenticate: async () => ({ identity: { kind: "visitor" }, tags: [] }),
      remoteAddress: (request) => request.socket.remoteAddress ?? "",
      logIdentity: () => ({ identity: "visitor" }),
    });
    http = createServer((_request, response) => response.writeHead(404).end());
    http.on("upgrade", (request: IncomingMessage, socket, head: Buffer) => {
      requests.push(new WeakRef(request));
      cable.handleUpgrade(request, socket, head);
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  });
  after(async () => {
    await cable.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it("lets its upgrade request be collected while the socket stays open", async () => {
    const { port } = http.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}/cable`, "actioncable-v1-json");
    const welcome = await new Promise<string>((resolve, reject) => {
      client.once("message", (data: Buffer) => resolve(data.toString()));
      client.once("error", reject);
    });
    assert.equal(welcome, '{"type":"welcome"}');
    assert.equal(cable.connectionCount, 1);
    // Turns of the event loop first: the upgrade's own callbacks are done with it by then.
    for (let i = 0; i < 5 && requests[0]!.deref() !== undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
    }
    assert.equal(requests[0]!.deref(), undefined, "the upgrade request is still held");
    assert.equal(cable.connectionCount, 1, "and the connection is still open");
    client.close();
  });
});
