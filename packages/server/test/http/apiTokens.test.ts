/**
 * Personal API tokens: a program acts as its agent over REST, within the token's scope, and
 * every change (revocation, expiry, a limit) holds from the next request. The stock
 * @rails/actioncable visitor sees what a program sends, live.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "../../src/store/index.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

interface Created {
  token: string;
  api_token: {
    id: number;
    hint: string;
    scope: string;
    expires_at: string | null;
    last_used_at: string | null;
  };
}

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`API tokens (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    let cookie: string;
    let conversationId: number;
    const consumers: Consumer[] = [];
    let visitor: RecordingSubscription;

    const call = (
      path: string,
      init: { method?: string; token?: string; cookie?: string; json?: unknown; origin?: string } = {},
    ) => {
      const headers = new Headers();
      if (init.token !== undefined) headers.set("authorization", `Bearer ${init.token}`);
      if (init.cookie !== undefined) headers.set("cookie", init.cookie);
      if (init.origin !== undefined) headers.set("origin", init.origin);
      if (init.json !== undefined) headers.set("content-type", "application/json");
      return fetch(`${server.url}${path}`, {
        method: init.method ?? "GET",
        headers,
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      });
    };
    const create = async (json: unknown): Promise<Created> => {
      const response = await call("/api_tokens", { method: "POST", cookie, json });
      assert.equal(response.status, 201, await response.clone().text());
      assert.equal(response.headers.get("cache-control"), "no-store");
      return (await response.json()) as Created;
    };

    before(async () => {
      server = await startTestServer({
        API_REQUESTS_PER_MINUTE: "40",
        ...(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {}),
      });
      cookie = await login(server.url);
      const visitorConsumer = createConsumer(server.url, { token: visitorToken() });
      consumers.push(visitorConsumer);
      visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
      await visitor.until(() => visitor.confirmed);
      visitor.perform("send_message", { content: "Do you ship to Norway?" });
      await visitor.next((m) => m.type === "message");
      const list = (await (await call("/conversations", { cookie })).json()) as {
        conversations: { id: number }[];
      };
      conversationId = list.conversations[0]!.id;
    });
    after(async () => {
      for (const each of consumers) each.disconnect();
      await server.dispose();
      if (engine === "Postgres") await postgres?.drop();
    });

    /** Runs SQL on the server's database, whichever it is. */
    const sql = async (text: string, values: unknown[]): Promise<Record<string, unknown>[]> => {
      if (engine === "SQLite") {
        const database = new Database(sqlitePath(server.storageDir));
        try {
          const statement = database.prepare(text.replace(/\$\d+/g, "?"));
          return statement.reader
            ? (statement.all(...values) as Record<string, unknown>[])
            : (statement.run(...values), []);
        } finally {
          database.close();
        }
      }
      const client = new pg.Client({ connectionString: postgres!.url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    };

    it("is shown once, kept only as a hash, and listed with a hint", async () => {
      const created = await create({ name: "CRM sync", scope: "read_write" });
      assert.match(created.token, /^prl_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.api_token.hint, created.token.slice(0, 8));
      const listed = (await (await call("/api_tokens", { cookie })).json()) as { api_tokens: object[] };
      assert.ok(listed.api_tokens.length >= 1);
      assert.doesNotMatch(JSON.stringify(listed), new RegExp(created.token));
      const [stored] = await server.store.listApiTokens();
      assert.notEqual(stored?.tokenHash, created.token);
      const hash = stored!.tokenHash;
      const rows = JSON.stringify(await sql("select * from api_tokens", []));
      assert.ok(
        rows.includes(hash),
        "the hash is in the table, so the search below looks in the right place",
      );
      assert.equal(rows.includes(created.token), false, "the token is nowhere in the table");
      if (engine === "SQLite") {
        // The database and its write-ahead log, where a fresh row lives until a checkpoint.
        const files = [sqlitePath(server.storageDir), `${sqlitePath(server.storageDir)}-wal`].filter(
          existsSync,
        );
        for (const file of files) {
          assert.equal(readFileSync(file).includes(created.token), false, `the token is nowhere in ${file}`);
        }
      }
    });

    it("reads and writes as its agent, and a visitor sees the message live", async () => {
      const { token } = await create({ name: "bot", scope: "read_write" });
      const me = await call("/auth/me", { token });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { agent: { username: string } }).agent.username, "owner");
      const list = await call("/conversations", { token });
      assert.equal(list.status, 200);

      const send = () =>
        call(`/conversations/${conversationId}/messages`, {
          method: "POST",
          token,
          json: { content: "Yes, in 3 days.", client_id: "crm-42" },
        });
      const first = await send();
      assert.equal(first.status, 201, await first.clone().text());
      const { message } = (await first.json()) as {
        message: { id: number; sender: string; agent: { name: string } };
      };
      assert.equal(message.sender, "admin");
      const seen = await visitor.next(
        (m) => m.type === "message" && (m.message as { id: number }).id === message.id,
      );
      assert.equal((seen.message as { content: string }).content, "Yes, in 3 days.");

      const retry = await send();
      assert.equal(retry.status, 200, "a retry with the same client_id finds the stored message");
      assert.equal(((await retry.json()) as { message: { id: number } }).message.id, message.id);
      const history = (await (await call(`/conversations/${conversationId}/messages`, { token })).json()) as {
        messages: { content: string }[];
      };
      assert.equal(history.messages.filter((m) => m.content === "Yes, in 3 days.").length, 1);

      // Sites are read by token too (to filter by site); shaping one takes an owner's login.
      const sites = await call("/sites", { token });
      assert.equal(sites.status, 200);
      assert.ok(
        ((await sites.json()) as { sites: { is_default: boolean }[] }).sites.some((site) => site.is_default),
      );
      assert.equal((await call("/sites/1", { token })).status, 200);
      assert.equal(
        (await call("/sites/1", { method: "PATCH", token, json: { name: "Renamed" } })).status,
        403,
      );

      for (const [path, method, json] of [
        [`/conversations/${conversationId}/read`, "POST", undefined],
        [`/conversations/${conversationId}/close`, "POST", undefined],
        [`/conversations/${conversationId}/reopen`, "POST", undefined],
        [`/conversations/${conversationId}/assignee`, "PUT", { agent_id: null }],
      ] as const) {
        const response = await call(path, { method, token, json });
        assert.equal(response.status, 200, `${method} ${path}: ${await response.clone().text()}`);
      }
    });

    it("uploads a file and sends it, and the visitor gets the attachment live", async () => {
      const upload = (token: string) => {
        const form = new FormData();
        form.append("file", new Blob(["order 1881: shipped"], { type: "text/plain" }), "order.txt");
        // From no page at all, as a program calls: the token needs no origin.
        return fetch(`${server.url}/uploads`, {
          method: "POST",
          body: form,
          headers: { authorization: `Bearer ${token}` },
        });
      };
      const { token } = await create({ name: "uploader", scope: "read_write" });
      const uploaded = await upload(token);
      assert.equal(uploaded.status, 201, await uploaded.clone().text());
      const attachment = (await uploaded.json()) as { id: number; filename: string };
      assert.equal(attachment.filename, "order.txt");
      const sent = await call(`/conversations/${conversationId}/messages`, {
        method: "POST",
        token,
        json: { content: "", attachment_ids: [attachment.id] },
      });
      assert.equal(sent.status, 201, await sent.clone().text());
      const seen = await visitor.next(
        (m) =>
          m.type === "message" &&
          ((m.message as { attachments?: { id: number }[] }).attachments ?? []).some(
            (each) => each.id === attachment.id,
          ),
      );
      assert.ok(seen);

      const reader = await create({ name: "read only", scope: "read" });
      assert.equal((await upload(reader.token)).status, 403, "a read token may not upload");
      assert.equal((await upload("prl_" + "x".repeat(43))).status, 401, "an unknown token may not upload");
    });

    it("with scope read, reads but may not write", async () => {
      const { token } = await create({ name: "reports", scope: "read" });
      assert.equal((await call("/conversations", { token })).status, 200);
      const write = await call(`/conversations/${conversationId}/messages`, {
        method: "POST",
        token,
        json: { content: "nope" },
      });
      assert.equal(write.status, 403);
      assert.deepEqual(await write.json(), {
        error: "This API token may only read (scope read)",
        code: "forbidden",
      });
    });

    it("never manages agents, sessions, push or tokens", async () => {
      const { token } = await create({ name: "everything", scope: "read_write" });
      for (const [path, method, json] of [
        ["/agents", "POST", { username: "mallory", password: "long enough password" }],
        ["/agents/1/password", "PUT", { password: "another long password" }],
        ["/agents/me", "PATCH", { name: "Mallory" }],
        ["/api_tokens", "GET", undefined],
        ["/api_tokens", "POST", { name: "more", scope: "read_write" }],
        ["/auth/logout", "DELETE", undefined],
      ] as const) {
        const response = await call(path, { method, token, json });
        assert.equal(response.status, 403, `${method} ${path}`);
        assert.equal(((await response.json()) as { code: string }).code, "forbidden");
      }
    });

    it("stops working at once when revoked or expired, and an unknown one is refused", async () => {
      const revoked = await create({ name: "old", scope: "read" });
      assert.equal((await call("/conversations", { token: revoked.token })).status, 200);
      const deleted = await call(`/api_tokens/${revoked.api_token.id}`, { method: "DELETE", cookie });
      assert.equal(deleted.status, 200);
      const after = await call("/conversations", { token: revoked.token });
      assert.equal(after.status, 401);
      assert.equal(((await after.json()) as { code: string }).code, "unauthorized");

      const expiring = await create({ name: "temporary", scope: "read", expires_in_days: 1 });
      assert.ok(expiring.api_token.expires_at !== null);
      assert.equal((await call("/conversations", { token: expiring.token })).status, 200);
      // A day passes: the stored expiry is moved into the past, as the clock would.
      await sql("update api_tokens set expires_at = $1 where id = $2", [
        new Date(Date.now() - 1000).toISOString(),
        expiring.api_token.id,
      ]);
      assert.equal((await call("/conversations", { token: expiring.token })).status, 401);

      assert.equal((await call("/conversations", { token: "prl_" + "x".repeat(43) })).status, 401);
    });

    it("needs no origin check, but does not open cookie routes to other sites", async () => {
      const { token } = await create({ name: "from a page", scope: "read_write" });
      const fromElsewhere = await call(`/conversations/${conversationId}/read`, {
        method: "POST",
        token,
        origin: "https://elsewhere.example",
      });
      assert.equal(fromElsewhere.status, 200, "a token cannot be forged by another site, so no CSRF check");
      const cookieFromElsewhere = await call(`/conversations/${conversationId}/read`, {
        method: "POST",
        cookie,
        origin: "https://elsewhere.example",
      });
      assert.equal(cookieFromElsewhere.status, 403);
      const loginWithFakeBearer = await call("/auth/login", {
        method: "POST",
        token: "prl_fake",
        origin: WIDGET_ORIGIN,
        json: { username: "owner", password: "x" },
      });
      assert.equal(loginWithFakeBearer.status, 403, "a bearer header does not lift CSRF on cookie routes");
    });

    it("is limited per token per minute", async () => {
      const { token } = await create({ name: "busy", scope: "read" });
      let status = 200;
      let calls = 0;
      while (status === 200 && calls < 100) {
        status = (await call("/auth/me", { token })).status;
        calls++;
      }
      assert.equal(status, 429);
      assert.equal(calls, 41, "API_REQUESTS_PER_MINUTE=40 requests pass, the next is refused");
      const other = await create({ name: "another", scope: "read" });
      assert.equal(
        (await call("/auth/me", { token: other.token })).status,
        200,
        "each token has its own limit",
      );
    });
  });
