/**
 * Inputs the fuzzer found that made the server fail, each kept as a plain test so that it stays
 * fixed whatever the generators come to produce.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openRawCable } from "../support/rawCable.js";
import {
  WIDGET_ORIGIN,
  login,
  startTestServer,
  visitorToken,
  type TestServer,
} from "../support/testServer.js";

describe("what the fuzzer found", () => {
  let server: TestServer;
  let cookie: string;

  before(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
  });

  after(async () => {
    await server.dispose();
  });

  // The multipart parser's own errors have no HTTP status and fell through to a 500.
  for (const [name, body] of [
    [
      "a file part cut short",
      '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
    ],
    ["a part header cut short", "--fuzz\r\nContent-Disposition: form-da"],
    ["no boundary at all", "hello"],
  ] as const) {
    for (const [who, headers] of [
      [
        "a visitor",
        (): Record<string, string> => ({ origin: WIDGET_ORIGIN, "x-visitor-token": visitorToken() }),
      ],
      ["an agent", (): Record<string, string> => ({ origin: server.url, cookie })],
    ] as const) {
      it(`answers 400 to ${who}'s upload with ${name}`, async () => {
        const response = await fetch(`${server.url}/uploads`, {
          method: "POST",
          headers: { ...headers(), "content-type": "multipart/form-data; boundary=fuzz" },
          body,
        });
        assert.equal(response.status, 400, await response.clone().text());
        const answer = (await response.json()) as { error: string; code: string };
        assert.equal(answer.code, "invalid_request");
      });
    }
  }

  it("answers 400 to an avatar with a multipart body cut short", async () => {
    const response = await fetch(`${server.url}/agents/me/avatar`, {
      method: "PUT",
      headers: { origin: server.url, cookie, "content-type": "multipart/form-data; boundary=fuzz" },
      body: '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG',
    });
    assert.equal(response.status, 400, await response.clone().text());
  });

  // String() of an object whose toString is not a function throws: the unknown-action answer
  // became "Something went wrong" and an error in the log.
  for (const channel of ["VisitorChannel", "AdminChannel"] as const) {
    it(`answers an action that is an object with "Unknown action" on ${channel}`, async () => {
      const cable =
        channel === "VisitorChannel"
          ? await openRawCable(server.url, { origin: WIDGET_ORIGIN })
          : await openRawCable(server.url, { cookie });
      try {
        const id = cable.subscribe({
          channel,
          ...(channel === "VisitorChannel" ? { token: visitorToken() } : {}),
        });
        await cable.next((f) => f.identifier === id && f.type === "confirm_subscription");
        cable.perform(id, { action: { toString: "x" }, client_id: "c-1" });
        const frame = await cable.next(
          (f) => f.identifier === id && (f.message as { type?: string } | undefined)?.type === "error",
        );
        assert.deepEqual(frame.message, { type: "error", error: "Unknown action: object" });
      } finally {
        cable.close();
      }
    });
  }
});
