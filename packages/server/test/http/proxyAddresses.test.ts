/**
 * TRUST_PROXY: the client's address is the one the nearest trusted proxy saw (the rightmost
 * untrusted X-Forwarded-For hop), never what the client wrote at the left of that header.
 * Requests here carry the header as kamal-proxy forwards it: whatever the client sent, then the
 * address the proxy saw.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { after, before, describe, it } from "node:test";
import { proxyRule } from "../../src/http/clientAddress.js";
import { openRawCable } from "../support/rawCable.js";
import { OWNER, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

const ATTACKER = "203.0.113.7";

function spoofed(i: number, real = ATTACKER): string {
  return `10.${i % 250}.${Math.floor(i / 250)}.1, ${real}`;
}

function loginAttempt(server: TestServer, username: string, forwardedFor: string): Promise<Response> {
  return fetch(`${server.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ username, password: "not the password" }),
  });
}

/** A visitor's first message on a new connection: "stored", or "too_fast" when capped. */
async function startConversation(server: TestServer, forwardedFor: string): Promise<"stored" | "too_fast"> {
  const cable = await openRawCable(server.url, { headers: { "x-forwarded-for": forwardedFor } });
  try {
    const id = cable.subscribe({ channel: "VisitorChannel", token: visitorToken() });
    await cable.next((f) => f.identifier === id && f.type === "confirm_subscription");
    cable.perform(id, { action: "send_message", content: "hello" });
    const answer = await cable.next((f) => {
      const type = (f.message as { type?: string } | undefined)?.type;
      return type === "message" || type === "too_fast";
    });
    return (answer.message as { type: string }).type === "message" ? "stored" : "too_fast";
  } finally {
    cable.close();
  }
}

describe("TRUST_PROXY=true: one proxy hop", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      TRUST_PROXY: "true",
      NEW_CONVERSATIONS_PER_IP_PER_HOUR: "3",
      RATE_LIMIT_PER_MINUTE: "1000",
    });
  });
  after(() => server.dispose());

  it("limits password guesses whatever the client writes at the left of X-Forwarded-For", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await loginAttempt(server, "owner", spoofed(i))).status);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.ok(
      statuses.slice(10).every((status) => status === 429),
      `statuses: ${statuses.join(" ")}`,
    );
    // Another client behind the same proxy is not affected.
    assert.equal((await loginAttempt(server, "owner", spoofed(99, "198.51.100.2"))).status, 401);
  });

  it("caps new conversations per address whatever the client writes at the left of X-Forwarded-For", async () => {
    const results: string[] = [];
    for (let i = 0; i < 6; i++) results.push(await startConversation(server, spoofed(i)));
    assert.deepEqual(results, ["stored", "stored", "stored", "too_fast", "too_fast", "too_fast"]);
    const stored = await server.store.listConversations({ limit: 10 });
    assert.ok(stored.length >= 3);
  });

  it("believes the scheme the nearest proxy wrote, for the session cookie", async () => {
    const login = (proto: string) =>
      fetch(`${server.url}/auth/login`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-forwarded-for": "198.51.100.3",
          "x-forwarded-proto": proto,
        },
        body: JSON.stringify(OWNER),
      });
    assert.match((await login("https")).headers.get("set-cookie")!, /Secure; SameSite=None/);
    assert.match((await login("https, http")).headers.get("set-cookie")!, /SameSite=Lax/);
  });
});

describe("the proxy rule, for both Fastify and the cable", () => {
  const request = (socketAddress: string, forwardedFor?: string, proto?: string): IncomingMessage =>
    ({
      headers: {
        ...(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }),
        ...(proto === undefined ? {} : { "x-forwarded-proto": proto }),
      },
      socket: { remoteAddress: socketAddress },
    }) as unknown as IncomingMessage;

  it("trusts nothing with 0: the socket's peer is the client, and the scheme is the socket's", () => {
    const rule = proxyRule(0);
    assert.equal(rule.clientAddress(request("192.0.2.1", "10.0.0.1")), "192.0.2.1");
    assert.equal(rule.scheme(request("192.0.2.1", undefined, "https")), "http");
  });

  it("takes the rightmost untrusted hop with a hop count", () => {
    assert.equal(proxyRule(1).clientAddress(request("127.0.0.1", "6.6.6.6, 192.0.2.1")), "192.0.2.1");
    assert.equal(proxyRule(1).clientAddress(request("127.0.0.1")), "127.0.0.1");
    assert.equal(
      proxyRule(2).clientAddress(request("127.0.0.1", "6.6.6.6, 192.0.2.1, 10.0.0.5")),
      "192.0.2.1",
    );
    // Fewer hops than trusted: the leftmost is all there is.
    assert.equal(proxyRule(2).clientAddress(request("127.0.0.1", "192.0.2.1")), "192.0.2.1");
    assert.equal(proxyRule(1).scheme(request("127.0.0.1", "192.0.2.1", "http, https")), "https");
  });

  it("trusts only the listed proxies with addresses or CIDRs", () => {
    const rule = proxyRule(["10.0.0.0/8", "127.0.0.1"]);
    assert.equal(rule.clientAddress(request("127.0.0.1", "6.6.6.6, 192.0.2.1, 10.1.2.3")), "192.0.2.1");
    assert.equal(rule.clientAddress(request("192.0.2.9", "6.6.6.6")), "192.0.2.9");
    assert.equal(rule.scheme(request("192.0.2.9", undefined, "https")), "http");
    assert.equal(rule.scheme(request("10.0.0.2", undefined, "https")), "https");
  });
});
