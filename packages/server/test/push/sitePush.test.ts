/**
 * Web push per site (protocol §10), end to end as webPush.test.ts runs it (the server as its own
 * process, a push service on loopback that checks VAPID and decrypts): a visitor's message is
 * pushed only to the agents who answer the conversation's site, and to owners; when an owner
 * changes the site's team, pushes follow.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, visitorToken } from "../support/testServer.js";
import { agentApi, sleep } from "./support/agentApi.js";
import { startChildServer, type ChildServer } from "./support/childServer.js";
import { FakePushService } from "./support/fakePushService.js";
import { makeTestCertificate } from "./support/testCertificate.js";

/** Long enough for a push that should not come to have come. */
const QUIET_MS = 1500;

describe("web push per site", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-site-push-"));
  const consumers: Consumer[] = [];
  let service: FakePushService;
  let server: ChildServer;
  let ownerCookie: string;
  let siteId: number;
  const agentIds: Record<"ann" | "bob", number> = { ann: 0, bob: 0 };
  const endpoints: Record<"owner" | "ann" | "bob", string> = { owner: "", ann: "", bob: "" };

  const asOwner = (method: string, path: string, json?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: ownerCookie, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  const subscribe = async (cookie: string) => {
    const subscription = service.subscribe();
    assert.equal((await agentApi(server.url, cookie).subscribe(subscription.body)).status, 201);
    return subscription.endpoint;
  };
  const setTeam = async (ids: number[] | null) => {
    const response = await asOwner("PATCH", `/sites/${siteId}`, { agent_ids: ids });
    assert.equal(response.status, 200, await response.text());
  };
  /** A new visitor of the default site writes once; resolves once the message is stored. */
  const visitorWrites = async (content: string) => {
    const consumer = createConsumer(server.url, { token: visitorToken() });
    consumers.push(consumer);
    const visitor = new RecordingSubscription(consumer, { channel: "VisitorChannel" });
    await visitor.until(() => visitor.confirmed);
    visitor.perform("send_message", { content, visitor_name: "Vera", client_id: "m1" });
    await visitor.next((m) => m.type === "message");
  };
  const pushedTo = (who: keyof typeof endpoints) =>
    service.delivered(endpoints[who]).map((push) => push.payload.body);

  before(async () => {
    const certificate = makeTestCertificate(dir);
    service = await FakePushService.start(certificate);
    server = await startChildServer({
      STORAGE_DIR: join(dir, "storage"),
      NODE_EXTRA_CA_CERTS: certificate.caFile,
      PUSH_ENDPOINT_ORIGINS: service.origin,
    });
    ownerCookie = await login(server.url);
    service.vapidPublicKey = await agentApi(server.url, ownerCookie).vapidPublicKey();
    for (const name of ["ann", "bob"] as const) {
      const response = await asOwner("POST", "/agents", { username: name, password: `${name}-password-1` });
      assert.equal(response.status, 201, await response.clone().text());
      agentIds[name] = ((await response.json()) as { agent: { id: number } }).agent.id;
    }
    const sites = (await (await asOwner("GET", "/sites")).json()) as {
      sites: { id: number; is_default: boolean }[];
    };
    siteId = sites.sites.find((site) => site.is_default)!.id;
    endpoints.owner = await subscribe(ownerCookie);
    endpoints.ann = await subscribe(await login(server.url, { username: "ann", password: "ann-password-1" }));
    endpoints.bob = await subscribe(await login(server.url, { username: "bob", password: "bob-password-1" }));
  });

  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    assert.equal(await server.stop(), 0, server.output());
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pushes a site's visitor message to that site's agents and the owner, not to others", async () => {
    await setTeam([agentIds.ann]);
    await visitorWrites("for Ann's team");
    await service.waitFor(endpoints.ann, 1);
    await service.waitFor(endpoints.owner, 1);
    await sleep(QUIET_MS);
    assert.deepEqual(service.problems, []);
    assert.deepEqual(pushedTo("ann"), ["for Ann's team"]);
    assert.deepEqual(pushedTo("owner"), ["for Ann's team"]);
    assert.deepEqual(pushedTo("bob"), [], "Bob does not answer the site");
  });

  it("follows the owner's change of the site's team", async () => {
    await setTeam([agentIds.bob]);
    await visitorWrites("for Bob's team");
    await service.waitFor(endpoints.bob, 1);
    await service.waitFor(endpoints.owner, 2);
    await sleep(QUIET_MS);
    assert.deepEqual(pushedTo("bob"), ["for Bob's team"]);
    assert.deepEqual(pushedTo("ann"), ["for Ann's team"], "nothing more for Ann");
    // Everyone again (null): both agents hear the next one.
    await setTeam(null);
    await visitorWrites("for everyone");
    await service.waitFor(endpoints.ann, 2);
    await service.waitFor(endpoints.bob, 2);
  });
});
