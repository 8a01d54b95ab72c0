import assert from "node:assert/strict";
import { test } from "node:test";
import { cableUrl } from "../src/live/adminLink.js";
import { asAdminEvent } from "../src/live/adminEvents.js";
import { newClientId } from "../src/state/ids.js";
import { agentLabel, authorLabel, visitorLabel } from "../src/state/names.js";
import { relativeTime } from "../src/state/relativeTime.js";
import { parseRoute, routePath } from "../src/state/routes.js";
import { tabTitle } from "../src/state/title.js";
import { message } from "./fixtures.js";

test("routes: the seed's paths and ours, both ways", () => {
  assert.deepEqual(parseRoute("/admin/login"), { page: "login" });
  assert.deepEqual(parseRoute("/admin/chats/"), { page: "chats", conversationId: null });
  assert.deepEqual(parseRoute("/admin/chats/42"), { page: "chats", conversationId: 42 });
  assert.deepEqual(parseRoute("/admin/team"), { page: "team" });
  assert.equal(parseRoute("/admin"), null);
  assert.equal(parseRoute("/admin/chats/x"), null);
  assert.equal(routePath({ page: "chats", conversationId: 42 }), "/admin/chats/42");
});

test("relative times", () => {
  const now = Date.parse("2025-03-10T12:00:00Z");
  assert.equal(relativeTime("2025-03-10T12:00:30Z", now), "now", "a clock ahead of ours is now");
  assert.equal(relativeTime("2025-03-10T11:55:00Z", now), "5 min");
  assert.equal(relativeTime("2025-03-10T09:00:00Z", now), "3 h");
  assert.equal(relativeTime("2025-03-09T09:00:00Z", now), "yesterday");
  assert.equal(relativeTime("not a date", now), "");
});

test("titles, names and ids", () => {
  assert.equal(tabTitle(0), "Parley inbox");
  assert.equal(tabTitle(3), "(3) Parley inbox");
  assert.equal(tabTitle(250), "(99+) Parley inbox");
  assert.equal(visitorLabel({ id: 4, visitor_name: "  " }), "Visitor #4");
  const agents = [
    {
      id: 2,
      username: "bea",
      name: "Bea",
      role: "agent" as const,
      avatar_url: null,
      created_at: "",
      availability: "online" as const,
      chosen_availability: "online" as const,
    },
  ];
  assert.equal(agentLabel(agents, 2, 1), "Bea");
  assert.equal(agentLabel(agents, 1, 1), "You");
  assert.equal(agentLabel(agents, null, 1), "Unassigned");
  assert.equal(authorLabel(message(1, { sender: "admin", agent: { id: 2, name: "Bea" } }), 1), "Bea");
  assert.equal(authorLabel(message(1), 1), "");
  const id = newClientId();
  assert.match(id, /^a-[0-9a-f]{24}$/);
  assert.ok(id.length <= 64);
  assert.notEqual(newClientId(), id);
});

test("the cable URL follows the page; unknown events are ignored", () => {
  assert.equal(cableUrl({ protocol: "https:", host: "chat.example" }), "wss://chat.example/cable");
  assert.equal(cableUrl({ protocol: "http:", host: "localhost:3100" }), "ws://localhost:3100/cable");
  assert.equal(asAdminEvent({ type: "something_new" }), null);
  assert.equal(asAdminEvent("nope"), null);
  assert.deepEqual(asAdminEvent({ type: "conversation_deleted", conversation_id: 3 }), {
    type: "conversation_deleted",
    conversation_id: 3,
  });
});
