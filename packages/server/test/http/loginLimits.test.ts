/**
 * Password guessing is limited per address, per address and username, and per username from
 * every address (guesses spread over a botnet), and every check of a password counts: the
 * current password of a password change too. Run on one node (memory) and on Redis.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { LOGIN_LIMITS } from "../../src/chat/limitRules.js";
import { startRedis, type RedisProcess } from "../support/processes.js";
import { login, startTestServer, type TestServer } from "../support/testServer.js";

function limitSuite(
  name: string,
  env: () => Promise<{ env: Record<string, string>; stop: () => Promise<void> }>,
): void {
  describe(`login limits (${name})`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    let ownerCookie: string;
    // Addresses unique to this run, as the proxy (TRUST_PROXY=true) reports them.
    const net = `10.${randomInt(256)}.${randomInt(256)}`;
    let nextHost = 0;
    const address = () => `${net}.${nextHost++ % 256}`;

    const attempt = (username: string, password: string, from: string) =>
      fetch(`${server.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": from },
        body: JSON.stringify({ username, password }),
      });
    const addAgent = async (): Promise<{ username: string; password: string }> => {
      const agent = { username: `agent-${randomInt(1e9)}`, password: "the right password" };
      const response = await fetch(`${server.url}/agents`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: ownerCookie, "x-forwarded-for": address() },
        body: JSON.stringify(agent),
      });
      assert.equal(response.status, 201);
      return agent;
    };

    before(async () => {
      const backend = await env();
      stop = backend.stop;
      server = await startTestServer({ TRUST_PROXY: "true", ...backend.env });
      ownerCookie = await login(server.url);
    });
    after(async () => {
      await server.dispose();
      await stop();
    });

    it(`refuses a username after ${LOGIN_LIMITS.perUsername} failed attempts from different addresses`, async () => {
      const agent = await addAgent();
      for (let i = 0; i < LOGIN_LIMITS.perUsername; i++) {
        assert.equal(
          (await attempt(agent.username, `guess ${i}`, address())).status,
          401,
          `attempt ${i + 1}`,
        );
      }
      const refused = await attempt(agent.username, "one more guess", address());
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get("retry-after")) > 0);
      assert.match(((await refused.json()) as { error: string }).error, /Too many login attempts/);
      // Even the right password waits: the guesses cannot be told from the agent.
      assert.equal((await attempt(agent.username, agent.password, address())).status, 429);
      assert.equal((await attempt(agent.username.toUpperCase(), "case changed", address())).status, 429);
      // Other agents are not affected.
      const other = await addAgent();
      assert.equal((await attempt(other.username, other.password, address())).status, 200);
    });

    it("counts only failures against the username: the agent's own logins do not use it up", async () => {
      const agent = await addAgent();
      for (let i = 0; i < LOGIN_LIMITS.perUsername - 1; i++) {
        assert.equal((await attempt(agent.username, `guess ${i}`, address())).status, 401);
      }
      for (let i = 0; i < 3; i++)
        assert.equal((await attempt(agent.username, agent.password, address())).status, 200);
      assert.equal((await attempt(agent.username, "last guess", address())).status, 401);
      assert.equal((await attempt(agent.username, "one too many", address())).status, 429);
    });

    it("limits guesses of the current password in a password change, and shares the limit with login", async () => {
      const agent = await addAgent();
      const from = address();
      const cookie = (await attempt(agent.username, agent.password, from)).headers
        .get("set-cookie")!
        .split(";")[0]!;
      const change = (currentPassword: string) =>
        fetch(`${server.url}/agents/me`, {
          method: "PATCH",
          headers: { "content-type": "application/json", cookie, "x-forwarded-for": from },
          body: JSON.stringify({ password: "a brand new password", current_password: currentPassword }),
        });
      for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
        const wrong = await change(`guess ${i}`);
        assert.equal(wrong.status, 403, `guess ${i + 1}`);
        assert.deepEqual(await wrong.json(), { error: "Current password is wrong", code: "forbidden" });
      }
      const refused = await change("one more guess");
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get("retry-after")) > 0);
      assert.equal((await change(agent.password)).status, 429, "the right one waits too");
      assert.equal(
        (await attempt(agent.username, agent.password, from)).status,
        429,
        "login from that address as well",
      );
      assert.equal(
        (await fetch(`${server.url}/auth/me`, { headers: { cookie } })).status,
        200,
        "the password was not changed",
      );
    });
  });
}

limitSuite("memory", async () => ({ env: {}, stop: async () => {} }));

if (process.env.TEST_REDIS_URL) {
  limitSuite("Redis", async () => {
    // A private Redis: the counts of earlier runs must not leak in.
    const redis: RedisProcess = await startRedis();
    return { env: { REDIS_URL: redis.url }, stop: () => redis.stop() };
  });
} else {
  it(
    "login limits (Redis)",
    { skip: "skipped: set TEST_REDIS_URL to run the login limits on Redis" },
    () => {},
  );
}
