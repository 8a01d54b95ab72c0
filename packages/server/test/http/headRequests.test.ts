/**
 * HEAD, answered by the GET route of the same path (http/headRequests.ts): the same status and
 * headers, no body on the wire, a 404 where there is no GET route, and CORS's preflight for a
 * HEAD on a widget route as before. Read off a raw socket, so a body Node sent would show.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { startTestServer, WIDGET_ORIGIN, type TestServer } from "../support/testServer.js";

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  /** Every byte after the blank line that ends the headers. */
  rest: Buffer;
}

/** Sends one request with `Connection: close` and reads the whole answer as it came. */
function rawRequest(url: string, method: string, path: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<RawAnswer>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf("\r\n\r\n");
      const [statusLine, ...lines] = all.subarray(0, end).toString("latin1").split("\r\n");
      resolve({
        status: Number(statusLine!.split(" ")[1]),
        headers: new Map(
          lines.map((line) => [
            line.slice(0, line.indexOf(":")).toLowerCase(),
            line.slice(line.indexOf(":") + 1).trim(),
          ]),
        ),
        rest: all.subarray(end + 4),
      });
    });
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.end(
      `${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${extra}Connection: close\r\n\r\n`,
    );
  });
}

describe("HEAD requests", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.dispose());

  it("answers with the GET route's status and headers, and no body", async () => {
    for (const path of ["/up", "/health", "/widget/config", "/widget.js"]) {
      const get = await rawRequest(server.url, "GET", path);
      const head = await rawRequest(server.url, "HEAD", path);
      assert.equal(head.status, get.status, path);
      for (const name of ["content-type", "content-length", "cache-control"])
        assert.equal(head.headers.get(name), get.headers.get(name), `${path}: ${name}`);
      assert.equal(head.rest.length, 0, `${path}: no body after a HEAD`);
      if (get.headers.has("content-length")) assert.ok(get.rest.length > 0, `${path}: GET has its body`);
    }
  });

  it("is a 404 where no GET route is, as a GET is", async () => {
    for (const path of ["/no-such-page", "/api/v1/conversations/1/messages/no"]) {
      const head = await rawRequest(server.url, "HEAD", path);
      assert.equal(head.status, (await rawRequest(server.url, "GET", path)).status, path);
      assert.equal(head.rest.length, 0);
    }
    assert.equal((await rawRequest(server.url, "HEAD", "/no-such-page")).status, 404);
  });

  it("passes CORS's preflight for a HEAD on a widget route from the widget's origin", async () => {
    const preflight = await rawRequest(server.url, "OPTIONS", "/widget/config", {
      origin: WIDGET_ORIGIN,
      "access-control-request-method": "HEAD",
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), WIDGET_ORIGIN);
  });
});
