/**
 * The store and sites (§10): it loads them with the list, takes `site_updated` from the
 * AdminChannel (a rename made elsewhere shows at once), and asks the server for one site's
 * conversations when the filter names one. A scripted socket plays the cable, a stub the REST.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { Agent } from "@parley/protocol";
import { fakeSockets } from "../../protocol/src/cable/fakeSocket.js";
import { DEFAULT_FILTER } from "../src/state/filters.js";
import { InboxStore } from "../src/store/inboxStore.js";
import { site } from "./fixtures.js";

const me: Agent = {
  id: 1,
  username: "ada",
  name: "Ada",
  role: "owner",
  avatar_url: null,
  created_at: "2025-01-01T00:00:00.000Z",
  availability: "online",
  chosen_availability: "online",
};
const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

test("sites load with the list, follow site_updated, and narrow the list's query", async (t) => {
  const asked: string[] = [];
  globalThis.fetch = async (input) => {
    const path = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    asked.push(path);
    const body = path.startsWith("/sites")
      ? { sites: [site(2, { name: "Shop" }), site(1, { name: "Main" })] }
      : path.startsWith("/conversations")
        ? { conversations: [] }
        : { agents: [me] };
    return new Response(JSON.stringify(body), { status: 200 });
  };
  const { sockets, create } = fakeSockets();
  const store = new InboxStore(me, {
    cableUrl: "ws://inbox.test/cable",
    createSocket: create,
    sessionEnded: () => undefined,
    openDeleted: () => undefined,
    visitorMessage: () => undefined,
    pageVisible: () => false,
  });
  t.after(() => store.stop());
  store.start();
  await settle();
  assert.equal(store.state.sitesLoaded, true);
  assert.deepEqual(
    store.state.sites.map((s) => s.name),
    ["Main", "Shop"],
  );

  const socket = sockets.at(-1)!;
  socket.accept();
  socket.frame({ type: "welcome" });
  const subscribe = socket.sent.find((frame) => frame.command === "subscribe")!;
  socket.frame({ identifier: subscribe.identifier, type: "confirm_subscription" });
  const renamed = site(2, { name: "Lamp shop", updated_at: "2026-02-01T00:00:00.000Z" });
  socket.frame({ identifier: subscribe.identifier, message: { type: "site_updated", site: renamed } });
  assert.deepEqual(
    store.state.sites.map((s) => s.name),
    ["Main", "Lamp shop"],
  );

  store.setFilter({ ...DEFAULT_FILTER, siteId: 2 });
  await settle();
  assert.ok(
    asked.some(
      (path) =>
        path.startsWith("/conversations?") && new URLSearchParams(path.split("?")[1]).get("site_id") === "2",
    ),
    `asked: ${asked.join(", ")}`,
  );
});
