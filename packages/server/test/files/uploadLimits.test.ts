/**
 * Anonymous uploads are limited per address, not only per visitor token: a token is whatever the
 * client sends, so a script with a fresh token per request used to upload without end (10 MB
 * each, kept a day). Per address: uploads per hour, and the bytes held in uploads no message
 * carries yet. On one node, and across a cluster (Redis for the rate, Postgres for the bytes).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startRedis, type RedisProcess } from "../support/processes.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";
import { ageInSqlite } from "./blobCounts.js";
import { TEXT } from "./fixtures.js";
import { ORIGIN, upload, visitorSession, type WireAttachment } from "./harness.js";

/** Almost a megabyte of plain text: three fit in 3 MB, a fourth does not. */
const NEARLY_1_MB = Buffer.from("parley ".repeat(Math.floor((900 * 1024) / 7)));

/** Uploads from the address a trusted proxy names (TRUST_PROXY=127.0.0.1 in these servers). */
const from = (address: string) => ({ "x-forwarded-for": address });

async function refusedWith429(response: Response): Promise<{ error: string; retryAfterS: number }> {
  assert.equal(response.status, 429, await response.clone().text());
  const retryAfterS = Number(response.headers.get("retry-after"));
  assert.ok(
    Number.isInteger(retryAfterS) && retryAfterS >= 1,
    `Retry-After ${response.headers.get("retry-after")}`,
  );
  return { error: ((await response.json()) as { error: string }).error, retryAfterS };
}

/** Sends only the headers of an upload of `bytes`: the answer must come before the body does. */
function statusBeforeBody(
  server: TestServer,
  bytes: number,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${server.url}/uploads`, {
      method: "POST",
      headers: {
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(bytes + 200),
        "x-visitor-token": visitorToken(),
        origin: ORIGIN,
        ...headers,
      },
    });
    outgoing.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      outgoing.destroy();
    });
    outgoing.on("error", reject);
    outgoing.flushHeaders();
  });
}

async function created(response: Response): Promise<WireAttachment> {
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as WireAttachment;
}

describe("uploads per address", () => {
  it("refuses a flood of uploads with fresh tokens from one address past UPLOADS_PER_IP_PER_HOUR", async () => {
    const server = await startTestServer({ UPLOADS_PER_IP_PER_HOUR: "10", TRUST_PROXY: "127.0.0.1" });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 40; i++) {
        last = await upload(server, TEXT, {
          token: visitorToken(),
          filename: `${i}.txt`,
          headers: from("203.0.113.7"),
        });
        statuses.push(last.status);
        if (last.status !== 429) await last.arrayBuffer();
      }
      assert.deepEqual(statuses, [...Array<number>(10).fill(201), ...Array<number>(30).fill(429)]);
      const { error, retryAfterS } = await refusedWith429(last!);
      assert.equal(error, "Too many uploads, try again shortly");
      assert.ok(retryAfterS <= 3600);
      // Another address, and agents, are not held back by it.
      await created(
        await upload(server, TEXT, {
          token: visitorToken(),
          filename: "b.txt",
          headers: from("198.51.100.9"),
        }),
      );
      await created(
        await upload(server, TEXT, {
          cookie: await login(server.url),
          filename: "agent.txt",
          headers: from("203.0.113.7"),
        }),
      );
    } finally {
      await server.dispose();
    }
  });

  describe("bytes held in unattached uploads", () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        MAX_UPLOAD_MB: "1",
        UPLOAD_BYTES_PER_IP_MB: "3",
        TRUST_PROXY: "127.0.0.1",
      });
    });
    after(() => server.dispose());

    const fill = async (address: string, count: number) => {
      const files: { token: string; file: WireAttachment }[] = [];
      for (let i = 0; i < count; i++) {
        const token = visitorToken();
        files.push({
          token,
          file: await created(
            await upload(server, NEARLY_1_MB, { token, filename: `${i}.txt`, headers: from(address) }),
          ),
        });
      }
      return files;
    };

    it("refuses an address over UPLOAD_BYTES_PER_IP_MB until its uploads are attached or swept", async () => {
      const [first, ...rest] = await fill("203.0.113.50", 3);
      const over = await refusedWith429(
        await upload(server, NEARLY_1_MB, {
          token: visitorToken(),
          filename: "4.txt",
          headers: from("203.0.113.50"),
        }),
      );
      assert.equal(
        over.error,
        "Too many unsent files from your address (max 3 MB): send them, or try again later",
      );
      // Room comes back when the oldest upload is swept, a day after it came.
      assert.ok(
        over.retryAfterS > 23 * 3600 && over.retryAfterS <= 24 * 3600 + 120,
        `Retry-After ${over.retryAfterS}`,
      );
      // The cap is on bytes: a small file still fits. A large one is refused from its declared
      // length, before its body is read.
      const small = await created(
        await upload(server, TEXT, {
          token: visitorToken(),
          filename: "small.txt",
          headers: from("203.0.113.50"),
        }),
      );
      assert.equal(await statusBeforeBody(server, NEARLY_1_MB.length, from("203.0.113.50")), 429);
      await created(
        await upload(server, NEARLY_1_MB, {
          token: visitorToken(),
          filename: "other.txt",
          headers: from("198.51.100.50"),
        }),
      );

      // Attaching one to a message makes room for one more.
      const visitor = await visitorSession(server, first!.token);
      try {
        await visitor.send({ content: "", attachment_ids: [first!.file.id] });
      } finally {
        visitor.close();
      }
      const [fourth] = await fill("203.0.113.50", 1);
      await refusedWith429(
        await upload(server, NEARLY_1_MB, {
          token: visitorToken(),
          filename: "5.txt",
          headers: from("203.0.113.50"),
        }),
      );

      // Swept after a day: room again.
      for (const file of [...rest.map((each) => each.file), fourth!.file, small])
        await ageInSqlite(server, file.id, 25);
      assert.equal(await server.chat.attachments.sweep(), 4);
      await fill("203.0.113.50", 3);
    });
  });

  const clustered = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);
  describe(
    "on a cluster",
    { skip: clustered ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL" },
    () => {
      let database: PostgresSchema;
      let redis: RedisProcess;
      const nodes: TestServer[] = [];
      const dir = mkdtempSync(join(tmpdir(), "parley-upload-limits-"));

      before(async () => {
        database = (await postgresSchema())!;
        redis = await startRedis();
        for (const name of ["a", "b"]) {
          nodes.push(
            await startTestServer(
              {
                DATABASE_URL: database.url,
                REDIS_URL: redis.url,
                MAX_UPLOAD_MB: "1",
                UPLOAD_BYTES_PER_IP_MB: "2",
                UPLOADS_PER_IP_PER_HOUR: "5",
                TRUST_PROXY: "127.0.0.1",
              },
              join(dir, name),
            ),
          );
        }
      });
      after(async () => {
        for (const node of nodes) await node.close();
        await redis?.stop();
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      });

      it("holds both limits for an address that alternates between nodes", async () => {
        const [a, b] = nodes as [TestServer, TestServer];
        const address = from("203.0.113.99");
        const send = (node: TestServer, bytes: Buffer, name: string) =>
          upload(node, bytes, { token: visitorToken(), filename: name, headers: address });
        await created(await send(a, NEARLY_1_MB, "1.txt"));
        await created(await send(b, NEARLY_1_MB, "2.txt"));
        const held = await refusedWith429(await send(a, NEARLY_1_MB, "3.txt"));
        assert.match(held.error, /max 2 MB/);
        await created(await send(b, TEXT, "4.txt"));
        await created(await send(a, TEXT, "5.txt"));
        const rate = await refusedWith429(await send(b, TEXT, "6.txt"));
        assert.equal(rate.error, "Too many uploads, try again shortly");
      });
    },
  );
});
