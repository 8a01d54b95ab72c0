/**
 * Shutdown with many sockets: every client hears `server_restart` and the close code, and the
 * visitors leaving are booked together (last seen set) rather than with a read and a write each.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReconnectingVisitor } from "../../../../bench/loadgen/reconnectingVisitor.js";
import WebSocket from "ws";
import { startTestServer, visitorToken, WIDGET_ORIGIN } from "../support/testServer.js";

const VISITORS = 1000;
const TALKERS = 100;

describe("shutdown with many sockets", () => {
  it("sends every socket away and books the visitors in bulk", async () => {
    const server = await startTestServer({
      MAX_CONNECTIONS_PER_ADDRESS: "0",
      NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
      RATE_LIMIT_PER_MINUTE: "100000",
    });
    const cable = `ws://127.0.0.1:${server.port}/cable`;
    const tokens = Array.from({ length: VISITORS }, () => visitorToken());
    const talkers = tokens
      .slice(0, TALKERS)
      .map((token) => new ReconnectingVisitor({ url: () => cable, token, origin: WIDGET_ORIGIN }));
    for (const talker of talkers) await talker.start();
    for (const [index, talker] of talkers.entries())
      talker.send({ action: "send_message", content: "hi", client_id: `c${index}` });
    while ((await server.store.findConversationsByTokens(tokens.slice(0, TALKERS))).length < TALKERS)
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const talker of talkers) talker.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const heard: { disconnect: boolean; code: number | undefined }[] = [];
    const sockets = await Promise.all(
      tokens.map(
        (token) =>
          new Promise<WebSocket>((resolve, reject) => {
            const entry = { disconnect: false, code: undefined as number | undefined };
            heard.push(entry);
            const socket = new WebSocket(cable, ["actioncable-v1-json"], {
              headers: { origin: WIDGET_ORIGIN },
            });
            socket.on("open", () =>
              socket.send(
                JSON.stringify({
                  command: "subscribe",
                  identifier: JSON.stringify({ channel: "VisitorChannel", token }),
                }),
              ),
            );
            socket.on("message", (data) => {
              const frame = JSON.parse((data as Buffer).toString("utf8")) as {
                type?: string;
                reason?: string;
              };
              if (frame.type === "confirm_subscription") resolve(socket);
              if (frame.type === "disconnect" && frame.reason === "server_restart") entry.disconnect = true;
            });
            socket.on("close", (code) => (entry.code = code));
            socket.on("error", reject);
          }),
      ),
    );
    const calls = { findByToken: 0, update: 0, marked: 0 };
    const { store } = server;
    const find = store.findConversationByToken.bind(store);
    const update = store.updateConversation.bind(store);
    const mark = store.markVisitorsLastSeen.bind(store);
    store.findConversationByToken = (token) => (calls.findByToken++, find(token));
    store.updateConversation = (id, patch) => (calls.update++, update(id, patch));
    store.markVisitorsLastSeen = (ids, at) => ((calls.marked += ids.length), mark(ids, at));

    await server.dispose();
    await Promise.all(
      sockets.map((socket) =>
        socket.readyState === WebSocket.CLOSED
          ? Promise.resolve()
          : new Promise((resolve) => socket.once("close", resolve)),
      ),
    );
    assert.equal(heard.filter((entry) => entry.disconnect && entry.code === 1012).length, VISITORS);
    assert.deepEqual(calls, { findByToken: 0, update: 0, marked: TALKERS });
  });
});
