/**
 * Attachments end to end against a running server: real multipart uploads, the checks, sending
 * them on both channels, signed URLs and the headers files are served with, and the cleanup.
 * Run once per storage backend (disk.test.ts, s3.test.ts).
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import { SignedUrls } from "../../src/files/signedUrls.js";
import {
  AGENT_ORIGIN,
  login,
  startTestServer,
  visitorToken,
  type TestServer,
} from "../support/testServer.js";
import { HTML, jpegWithGps, minimalPdf, png, SVG, TEXT } from "./fixtures.js";
import {
  agentSession,
  SECRET,
  upload,
  visitorSession,
  type UploadBackend,
  type WireAttachment,
} from "./harness.js";

async function uploaded(response: Response): Promise<WireAttachment> {
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as WireAttachment;
}

/** Sends only the headers of a huge upload: the answer must come before any of the body. */
function declaredSizeStatus(serverUrl: string, token: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${serverUrl}/uploads`, {
      method: "POST",
      headers: {
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(bytes),
        "x-visitor-token": token,
        origin: "http://allowed.example",
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

export function uploadSuite(name: string, backend: () => Promise<UploadBackend>): void {
  describe(`attachments on ${name}`, () => {
    let server: TestServer;
    let storage: UploadBackend;
    let cookie: string;
    const get = (path: string) => fetch(`${server.url}${path}`);

    before(async () => {
      storage = await backend();
      server = await startTestServer({
        SECRET_KEY_BASE: SECRET,
        MAX_UPLOAD_MB: "1",
        RATE_LIMIT_PER_MINUTE: "1000",
        ...storage.env,
      });
      cookie = await login(server.url);
    });
    after(() => server.dispose());

    it("takes a visitor's PNG, makes a thumbnail, and sends it in a message without text", async () => {
      const token = visitorToken();
      const file = await uploaded(
        await upload(server, await png(800, 400), { token, filename: "screen.png", type: "image/png" }),
      );
      assert.equal(file.filename, "screen.png");
      assert.equal(file.content_type, "image/png");
      assert.deepEqual([file.width, file.height], [800, 400]);
      assert.ok(file.byte_size > 0);

      const visitor = await visitorSession(server, token);
      try {
        const message = await visitor.send({ content: "", attachment_ids: [file.id] });
        assert.equal(message.content, "");
        const [attachment] = message.attachments ?? [];
        assert.equal(attachment?.id, file.id);
        assert.ok(attachment.thumbnail_url);

        const original = await get(attachment.url);
        assert.equal(original.status, 200);
        assert.equal(original.headers.get("content-type"), "image/png");
        assert.equal(original.headers.get("x-content-type-options"), "nosniff");
        assert.equal(original.headers.get("content-security-policy"), "default-src 'none'");
        assert.match(original.headers.get("content-disposition") ?? "", /^inline; filename="screen.png"/);
        const served = await sharp(Buffer.from(await original.arrayBuffer())).metadata();
        assert.deepEqual([served.format, served.width, served.height], ["png", 800, 400]);

        const thumbnail = await get(attachment.thumbnail_url);
        assert.equal(thumbnail.status, 200);
        assert.equal(thumbnail.headers.get("content-type"), "image/webp");
        assert.equal(thumbnail.headers.get("x-content-type-options"), "nosniff");
        const thumb = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
        assert.deepEqual([thumb.format, thumb.width, thumb.height], ["webp", 320, 160]);

        // The agent's history carries it too, with fresh links.
        const conversation = (await server.store.findConversationByToken(token))!;
        const history = await fetch(`${server.url}/conversations/${conversation.id}/messages`, {
          headers: { cookie },
        });
        const { messages } = (await history.json()) as { messages: { attachments?: WireAttachment[] }[] };
        assert.equal(messages[0]?.attachments?.[0]?.id, file.id);
      } finally {
        visitor.close();
      }
    });

    it("strips EXIF (GPS) from an agent's JPEG and its thumbnail, keeping the dimensions", async () => {
      const bytes = await jpegWithGps(640, 480);
      assert.ok((await sharp(bytes).metadata()).exif, "the fixture carries EXIF");
      const file = await uploaded(
        await upload(server, bytes, { cookie, filename: "holiday.JPG", type: "image/jpeg" }),
      );
      assert.equal(file.content_type, "image/jpeg");
      assert.deepEqual([file.width, file.height], [640, 480]);
      for (const url of [file.url, file.thumbnail_url!]) {
        const served = Buffer.from(await (await get(url)).arrayBuffer());
        const metadata = await sharp(served).metadata();
        assert.equal(metadata.exif, undefined, `${url} has no EXIF`);
        assert.ok(!served.includes("SecretPhone"), `${url} does not name the camera`);
      }
      const thumb = await sharp(Buffer.from(await (await get(file.thumbnail_url!)).arrayBuffer())).metadata();
      assert.deepEqual([thumb.width, thumb.height], [320, 240]);
    });

    it("serves a PDF and plain text as downloads, never inline", async () => {
      const pdf = await uploaded(
        await upload(server, minimalPdf(), { cookie, filename: "invoice.pdf", type: "application/pdf" }),
      );
      assert.equal(pdf.content_type, "application/pdf");
      assert.equal(pdf.thumbnail_url, undefined);
      const response = await get(pdf.url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/pdf");
      assert.match(response.headers.get("content-disposition") ?? "", /^attachment; filename="invoice.pdf"/);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.equal(response.headers.get("content-security-policy"), "default-src 'none'");
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), minimalPdf());

      const text = await uploaded(await upload(server, TEXT, { cookie, filename: "notes.ini" }));
      assert.equal(text.content_type, "text/plain");
      assert.equal(text.filename, "notes.ini.txt");
      const served = await get(text.url);
      assert.equal(served.headers.get("content-type"), "text/plain; charset=utf-8");
      assert.match(served.headers.get("content-disposition") ?? "", /^attachment;/);
    });

    it("refuses HTML renamed .png, markup as text, SVG, and files whose name or type lies (415)", async () => {
      const cases: [Buffer, string, string][] = [
        [HTML, "cat.png", "image/png"],
        [HTML, "page.txt", "text/plain"],
        [HTML, "page.html", "text/html"],
        [SVG, "logo.svg", "image/svg+xml"],
        [SVG, "logo.png", "image/png"],
        [await png(10, 10), "report.pdf", "application/pdf"],
        [await png(10, 10), "photo.png", "image/jpeg"],
        [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), "archive.zip", "application/zip"],
        [
          Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]),
          "broken.png",
          "image/png",
        ],
      ];
      for (const [bytes, filename, type] of cases) {
        const response = await upload(server, bytes, { token: visitorToken(), filename, type });
        assert.equal(response.status, 415, `${filename} as ${type}`);
        assert.match(
          ((await response.json()) as { error: string }).error,
          /not allowed|do not match|could not be read/,
        );
      }
    });

    it("refuses an oversized file (413), strangers (401) and empty or malformed requests (400)", async () => {
      const token = visitorToken();
      const big = await upload(server, Buffer.alloc(1024 * 1024 + 1, "a"), { token, filename: "big.txt" });
      assert.equal(big.status, 413);
      assert.deepEqual(await big.json(), { error: "File too large (max 1 MB)", code: "payload_too_large" });
      assert.equal(await declaredSizeStatus(server.url, token, 50 * 1024 * 1024), 413);

      assert.equal((await upload(server, TEXT, { filename: "a.txt" })).status, 401);
      assert.equal((await upload(server, TEXT, { token: "short", filename: "a.txt" })).status, 401);
      assert.equal(
        (await upload(server, TEXT, { cookie: "parley_session=forged", filename: "a.txt" })).status,
        401,
      );
      assert.equal((await upload(server, Buffer.alloc(0), { token, filename: "empty.txt" })).status, 400);
      const json = await fetch(`${server.url}/uploads`, {
        method: "POST",
        headers: {
          "x-visitor-token": token,
          "content-type": "application/json",
          origin: "http://allowed.example",
        },
        body: "{}",
      });
      assert.equal(json.status, 400);
    });

    it("lets the widget on an allowed site send X-Visitor-Token across origins", async () => {
      const preflight = await fetch(`${server.url}/uploads`, {
        method: "OPTIONS",
        headers: {
          origin: "http://allowed.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "x-visitor-token",
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "http://allowed.example");
      assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /x-visitor-token/i);
      const foreign = await upload(server, TEXT, {
        token: visitorToken(),
        filename: "a.txt",
        headers: { origin: "https://evil.example" },
      });
      assert.equal(foreign.status, 403);
    });

    it("lets a message take only its sender's unattached uploads, at most five", async () => {
      const alice = visitorToken();
      const bob = visitorToken();
      const alicesFile = await uploaded(await upload(server, TEXT, { token: alice, filename: "a.txt" }));
      const agentsFile = await uploaded(await upload(server, TEXT, { cookie, filename: "b.txt" }));
      const bobSession = await visitorSession(server, bob);
      const aliceSession = await visitorSession(server, alice);
      const agent = await agentSession(server, cookie);
      try {
        await assert.rejects(
          bobSession.send({ content: "mine now", attachment_ids: [alicesFile.id] }),
          /Attachment not found/,
        );
        await assert.rejects(
          aliceSession.send({ content: "", attachment_ids: [agentsFile.id] }),
          /Attachment not found/,
        );
        await assert.rejects(
          aliceSession.send({ content: "", attachment_ids: [1, 2, 3, 4, 5, 6] }),
          /up to 5/,
        );
        await assert.rejects(aliceSession.send({ content: "" }), /Message is empty/);
        const sent = await aliceSession.send({ content: "here", attachment_ids: [alicesFile.id] });
        assert.equal(sent.attachments?.length, 1);
        await assert.rejects(
          aliceSession.send({ content: "again", attachment_ids: [alicesFile.id] }),
          /Attachment not found/,
        );

        const conversationId = (await server.store.findConversationByToken(alice))!.id;
        await assert.rejects(
          agent.send(conversationId, { content: "", attachment_ids: [alicesFile.id] }),
          /Attachment not found/,
        );
        const reply = await agent.send(conversationId, { content: "", attachment_ids: [agentsFile.id] });
        assert.deepEqual(
          reply.attachments?.map((a) => a.filename),
          ["b.txt"],
        );
        // Bob's failed attempt stored nothing.
        const bobs = await server.store.findConversationByToken(bob);
        assert.equal(bobs?.lastMessage ?? null, null);
      } finally {
        bobSession.close();
        aliceSession.close();
        agent.close();
      }
    });

    it("answers 403 to an expired, altered or forged link, and 404 to a valid link of a missing file", async () => {
      const file = await uploaded(await upload(server, await png(20, 20), { cookie, filename: "a.png" }));
      assert.equal((await get(file.url)).status, 200);
      const url = new URL(file.url, server.url);
      const signature = url.searchParams.get("signature")!;
      const altered = [
        file.url.replace(`/uploads/${file.id}/`, `/uploads/${file.id + 1}/`),
        file.url.replace("/file?", "/thumbnail?"),
        file.url.replace(
          `expires=${url.searchParams.get("expires")}`,
          `expires=${Number(url.searchParams.get("expires")) + 3600}`,
        ),
        // Another first character: a fixed ending ("AA") is the real one for some id and hour.
        file.url.replace(signature, `${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`),
        `/uploads/${file.id}/file`,
        `/uploads/${file.id}/file?expires=9999999999&signature=guess`,
      ];
      for (const path of altered) assert.equal((await get(path)).status, 403, path);

      const twoDaysAgo = new SignedUrls(SECRET, () => Date.now() - 48 * 60 * 60 * 1000);
      const expired = await get(twoDaysAgo.path(file.id, "file"));
      assert.equal(expired.status, 403);
      assert.deepEqual(await expired.json(), { error: "This link has expired", code: "forbidden" });
      assert.equal((await get(new SignedUrls(SECRET).path(999_999, "file"))).status, 404);
      assert.equal((await get(new SignedUrls("another secret".repeat(4)).path(file.id, "file"))).status, 403);
    });

    it("deletes a conversation's files with it, and unattached uploads after 24 hours", async () => {
      const token = visitorToken();
      const image = await uploaded(await upload(server, await png(50, 50), { token, filename: "a.png" }));
      const visitor = await visitorSession(server, token);
      const message = await visitor.send({ content: "look", attachment_ids: [image.id] });
      visitor.close();
      const stray = await uploaded(await upload(server, TEXT, { token, filename: "never-sent.txt" }));
      const fresh = await uploaded(await upload(server, TEXT, { token, filename: "just-now.txt" }));

      const blobsBefore = await storage.countBlobs(server);
      const conversationId = (await server.store.findConversationByToken(token))!.id;
      const deleted = await fetch(`${server.url}/conversations/${conversationId}`, {
        method: "DELETE",
        headers: { cookie, origin: AGENT_ORIGIN },
      });
      assert.equal(deleted.status, 200);
      assert.equal(await storage.countBlobs(server), blobsBefore - 2, "the image and its thumbnail are gone");
      assert.equal((await get(message.attachments![0]!.url)).status, 404);
      assert.equal(await server.store.getAttachment(image.id), undefined);

      await storage.age(server, stray.id, 25);
      assert.equal(await server.chat.attachments.sweep(), 1);
      assert.equal((await get(stray.url)).status, 404);
      assert.equal((await get(fresh.url)).status, 200);
      assert.equal(await storage.countBlobs(server), blobsBefore - 3);
    });

    it("counts uploads against the visitor's message rate limit", async () => {
      const limited = await startTestServer({ RATE_LIMIT_PER_MINUTE: "3", ...storage.env });
      try {
        const token = visitorToken();
        for (let i = 0; i < 3; i++)
          assert.equal((await upload(limited, TEXT, { token, filename: `${i}.txt` })).status, 201);
        const refused = await upload(limited, TEXT, { token, filename: "3.txt" });
        assert.equal(refused.status, 429);
        assert.ok(Number(refused.headers.get("retry-after")) >= 1);
        assert.equal(
          (await upload(limited, TEXT, { token: visitorToken(), filename: "other.txt" })).status,
          201,
        );
      } finally {
        await limited.dispose();
      }
    });
  });
}
