/**
 * Security headers: a Content-Security-Policy suited to each kind of answer (the inbox's page,
 * JSON), no MIME sniffing, no referrer, no framing; and the widget's files still load on other
 * sites, uploads keep their own stricter headers.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

function directives(header: string | null): Map<string, string> {
  assert.ok(header, "a Content-Security-Policy");
  return new Map(
    header
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values.join(" ")]),
  );
}

/** A GET with a Host header fetch() would not send. */
function getWithHost(url: string, host: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.headers["content-security-policy"] as string | undefined);
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("security headers", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ TRUST_PROXY: "true" });
  });
  after(() => server.dispose());

  const everywhere = (response: Response, what: string) => {
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
    assert.equal(response.headers.get("referrer-policy"), "no-referrer", what);
    assert.equal(response.headers.get("x-frame-options"), "DENY", what);
  };

  it("gives the inbox its own scripts and styles only, images from itself, data: and blob:, its own cable, and no framing", async () => {
    for (const path of ["/admin", "/admin/login", "/admin/chats/12"]) {
      const response = await fetch(`${server.url}${path}`);
      everywhere(response, path);
      const csp = directives(response.headers.get("content-security-policy"));
      assert.equal(csp.get("default-src"), "'self'", path);
      assert.equal(csp.get("script-src"), "'self'", path);
      assert.equal(csp.get("style-src"), "'self'", path);
      assert.equal(csp.get("img-src"), "'self' data: blob:", path);
      assert.equal(csp.get("connect-src"), `'self' ${server.url.replace(/^http/, "ws")}`, path);
      assert.equal(csp.get("frame-ancestors"), "'none'", path);
      assert.equal(csp.get("object-src"), "'none'", path);
      assert.equal(csp.get("base-uri"), "'none'", path);
    }
    const overTls = await fetch(`${server.url}/admin`, { headers: { "x-forwarded-proto": "https" } });
    const host = new URL(server.url).host;
    assert.equal(
      directives(overTls.headers.get("content-security-policy")).get("connect-src"),
      `'self' wss://${host}`,
    );
  });

  it("never writes a strange Host into the inbox's policy", async () => {
    const csp = await getWithHost(`${server.url}/admin`, "evil.example script-src *");
    assert.equal(directives(csp ?? null).get("connect-src"), "'self'");
    assert.equal(directives(csp ?? null).get("script-src"), "'self'");
  });

  it("lets JSON answers load, run and frame nothing, errors included", async () => {
    const cookie = await login(server.url);
    for (const [path, headers] of [
      ["/health", {}],
      ["/conversations", { cookie }],
      ["/conversations", {}],
      ["/no-such-path", {}],
      ["/widget/config", {}],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { headers });
      everywhere(response, path);
      assert.equal(
        response.headers.get("content-security-policy"),
        "default-src 'none';frame-ancestors 'none'",
        path,
      );
      assert.match(response.headers.get("content-type") ?? "", /application\/json/, path);
    }
  });

  it("keeps the widget loadable on other sites, and the demo page working", async () => {
    for (const path of [
      "/widget.js",
      "/widget-app.js",
      "/widget-uploads.js",
      "/widget-prechat.js",
      "/widget-identify.js",
      "/widget-expect.js",
      "/widget-mail.js",
      "/widget-rating.js",
    ]) {
      const response = await fetch(`${server.url}${path}`, { headers: { origin: "https://shop.example" } });
      if (response.status === 404) continue; // not built in this checkout
      assert.equal(response.headers.get("cross-origin-resource-policy"), "cross-origin", path);
      assert.equal(response.headers.get("access-control-allow-origin"), "*", path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    }
    const demo = await fetch(`${server.url}/`);
    everywhere(demo, "/");
    // A static page showing the widget as any site embeds it (an inline handler, the widget's <style>).
    assert.equal(demo.headers.get("content-security-policy"), null);
  });

  it("leaves uploads their own stricter headers", async () => {
    const form = new FormData();
    form.append("file", new Blob(["notes"], { type: "text/plain" }), "notes.txt");
    const uploaded = await fetch(`${server.url}/uploads`, {
      method: "POST",
      body: form,
      headers: { "x-visitor-token": visitorToken() },
    });
    const { url } = (await uploaded.json()) as { url: string };
    const file = await fetch(`${server.url}${url}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-security-policy"), "default-src 'none'");
    assert.equal(file.headers.get("cross-origin-resource-policy"), "cross-origin");
    assert.equal(file.headers.get("x-content-type-options"), "nosniff");
    assert.match(file.headers.get("content-disposition") ?? "", /^attachment/);
  });
});
