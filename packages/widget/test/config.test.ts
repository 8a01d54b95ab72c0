import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { fetchConfig } from "../src/loader/config.js";

/** A real HTTP server answering /widget/config by the `?site=` it is given. */
let server: Server;
let origin: string;
const asked: string[] = [];

before(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    asked.push(url.pathname + url.search);
    const site = url.searchParams.get("site");
    const status =
      site === "archived-site" ? 404 : site === "other-origin" ? 403 : site === "broken-site" ? 500 : 200;
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(status === 200 ? { title: site ?? "default" } : { error: "no" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("the site's key goes on the request; without one the request is as before sites", async () => {
  assert.deepEqual(await fetchConfig(origin, "shop-site-1"), { title: "shop-site-1" });
  assert.deepEqual(await fetchConfig(origin, undefined), { title: "default" });
  assert.deepEqual(asked.slice(-2), ["/widget/config?site=shop-site-1", "/widget/config"]);
});

test("a named site the server refuses is an error; anything else leaves the widget its defaults", async () => {
  await assert.rejects(fetchConfig(origin, "archived-site"), /site archived-site: unknown or archived/);
  await assert.rejects(fetchConfig(origin, "other-origin"), /site other-origin: not allowed on this origin/);
  assert.equal(await fetchConfig(origin, "broken-site"), null);
  assert.equal(await fetchConfig("http://127.0.0.1:1", "shop-site-1"), null, "unreachable");
});
