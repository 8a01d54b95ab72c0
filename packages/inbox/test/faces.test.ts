/** The photo crop's arithmetic, the first-run checklist's derivation, and faces' small helpers (§14). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { OnboardingResponse } from "@parley/protocol";
import { avatarError, initials } from "../src/state/avatar.js";
import {
  clampCrop,
  cropKey,
  exportSize,
  exportType,
  fitView,
  initialCrop,
  MAX_EXPORT_PX,
  MAX_ZOOM,
  moveCrop,
  zoomCrop,
  zoomOf,
  type Crop,
} from "../src/state/crop.js";
import {
  checklistHiddenKey,
  checklistItems,
  checklistProgress,
  profileDone,
  type ChecklistInput,
} from "../src/state/onboarding.js";
import { settingsChanges, settingsDraft } from "../src/state/siteDraft.js";
import { ownerSettings } from "./fixtures.js";

const wide = { width: 800, height: 400 };
const tall = { width: 300, height: 900 };

test("the crop starts as the largest centred square", () => {
  assert.deepEqual(initialCrop(wide), { x: 200, y: 0, size: 400 });
  assert.deepEqual(initialCrop(tall), { x: 0, y: 300, size: 300 });
  assert.equal(zoomOf(initialCrop(wide), wide), 1);
});

test("moving keeps the square inside the picture", () => {
  const start = initialCrop(wide);
  assert.deepEqual(moveCrop(start, -50, 0, wide), { x: 150, y: 0, size: 400 });
  assert.deepEqual(moveCrop(start, -1000, -1000, wide), { x: 0, y: 0, size: 400 });
  assert.deepEqual(moveCrop(start, 1000, 1000, wide), { x: 400, y: 0, size: 400 });
  // A square larger than the picture (a picture swapped under it) is shrunk to fit.
  assert.deepEqual(clampCrop({ x: -5, y: 700, size: 5000 }, tall), { x: 0, y: 600, size: 300 });
});

test("zoom keeps the centre, within 1 to MAX_ZOOM, and at the edges stays inside", () => {
  const centred = initialCrop(wide);
  const zoomed = zoomCrop(centred, 2, wide);
  assert.deepEqual(zoomed, { x: 300, y: 100, size: 200 });
  assert.equal(zoomOf(zoomed, wide), 2);
  assert.equal(zoomOf(zoomCrop(centred, 99, wide), wide), MAX_ZOOM);
  assert.deepEqual(zoomCrop(zoomed, 0.2, wide), centred);
  // Zoomed in at the left edge, then out: the square grows but stays in the picture.
  const corner: Crop = { x: 0, y: 0, size: 100 };
  assert.deepEqual(zoomCrop(corner, 1, wide), { x: 0, y: 0, size: 400 });
});

test("keys: arrows move by a share of the side (Shift further), + and - zoom, others pass", () => {
  const crop = zoomCrop(initialCrop(wide), 2, wide); // {300, 100, 200}
  assert.deepEqual(cropKey(crop, "ArrowLeft", false, wide), { x: 290, y: 100, size: 200 });
  assert.deepEqual(cropKey(crop, "ArrowRight", true, wide), { x: 350, y: 100, size: 200 });
  assert.deepEqual(cropKey(crop, "ArrowUp", false, wide), { x: 300, y: 90, size: 200 });
  assert.deepEqual(cropKey(crop, "ArrowDown", true, wide), { x: 300, y: 150, size: 200 });
  const closer = cropKey(crop, "+", false, wide);
  assert.ok(closer);
  assert.equal(zoomOf(closer, wide), 2.25);
  const further = cropKey(crop, "-", false, wide);
  assert.ok(further);
  assert.equal(zoomOf(further, wide), 1.75);
  assert.equal(cropKey(crop, "Tab", false, wide), null);
  assert.equal(cropKey(crop, "Enter", false, wide), null);
});

test("the export is the selection's own pixels, never upscaled, at most 1024 px", () => {
  assert.equal(exportSize({ x: 0, y: 0, size: 400 }), 400);
  assert.equal(exportSize({ x: 0, y: 0, size: 3000 }), MAX_EXPORT_PX);
  assert.equal(exportSize({ x: 0, y: 0, size: 99.6 }), 100);
  assert.equal(exportSize({ x: 0, y: 0, size: 0.2 }), 1);
  assert.equal(exportType("image/jpeg"), "image/jpeg");
  assert.equal(exportType("image/png"), "image/png");
  assert.equal(exportType("image/gif"), "image/png");
});

test("the view letterboxes the picture in its square", () => {
  assert.deepEqual(fitView(wide, 200), { scale: 0.25, offsetX: 0, offsetY: 50 });
  assert.deepEqual(fitView(tall, 300), { scale: 1 / 3, offsetX: 100, offsetY: 0 });
});

const owner: ChecklistInput["me"] = { username: "owner", name: "owner", avatar_url: null, role: "owner" };
const nothing: OnboardingResponse = { widget_installed: false, has_conversation: false, team_size: 1 };

test("the checklist: an owner's five steps, none done on a fresh install", () => {
  const items = checklistItems({ me: owner, notificationsOn: false, onboarding: nothing });
  assert.deepEqual(
    items.map((item) => item.key),
    ["profile", "notifications", "widget", "test_message", "teammate"],
  );
  assert.deepEqual(checklistProgress(items), { done: 0, total: 5, complete: false, label: "0 of 5 done" });
  // Before the server answers, its steps are not done.
  assert.equal(
    checklistProgress(checklistItems({ me: owner, notificationsOn: true, onboarding: null })).done,
    1,
  );
});

test("the checklist: each step's condition", () => {
  assert.equal(profileDone(owner), false);
  assert.equal(profileDone({ ...owner, name: "Olga" }), false, "a name but no photo");
  assert.equal(profileDone({ ...owner, avatar_url: "/avatars/1-a.webp" }), false, "the username as name");
  assert.equal(profileDone({ ...owner, name: " owner ", avatar_url: "/avatars/1-a.webp" }), false);
  assert.equal(profileDone({ ...owner, name: "Olga", avatar_url: "/avatars/1-a.webp" }), true);

  const done = (onboarding: OnboardingResponse, notificationsOn = false): string[] =>
    checklistItems({ me: owner, notificationsOn, onboarding })
      .filter((item) => item.done)
      .map((item) => item.key);
  assert.deepEqual(done(nothing, true), ["notifications"]);
  assert.deepEqual(done({ ...nothing, widget_installed: true }), ["widget"]);
  assert.deepEqual(done({ ...nothing, has_conversation: true }), ["test_message"]);
  assert.deepEqual(done({ ...nothing, team_size: 2 }), ["teammate"]);

  const all = checklistItems({
    me: { ...owner, name: "Olga", avatar_url: "/avatars/1-a.webp" },
    notificationsOn: true,
    onboarding: { widget_installed: true, has_conversation: true, team_size: 3 },
  });
  assert.deepEqual(checklistProgress(all), { done: 5, total: 5, complete: true, label: "5 of 5 done" });
});

test("the checklist: an agent gets only the steps that are theirs", () => {
  const agent = { ...owner, username: "bea", name: "Bea", role: "agent" as const };
  const items = checklistItems({ me: agent, notificationsOn: true, onboarding: null });
  assert.deepEqual(
    items.map((item) => [item.key, item.done]),
    [
      ["profile", false],
      ["notifications", true],
    ],
  );
  assert.equal(checklistProgress(items).label, "1 of 2 done");
  assert.notEqual(checklistHiddenKey(1), checklistHiddenKey(2));
});

test("initials and what a refused photo means", () => {
  assert.equal(initials("Ada Lovelace"), "AL");
  assert.equal(initials("bea"), "B");
  assert.equal(initials("  jean  paul  sartre "), "JS");
  assert.equal(initials("   "), "?");
  assert.equal(initials("élodie"), "É");
  assert.match(avatarError(413, "File too large"), /too large: the limit is 5 MB\. \(File too large\)$/);
  assert.match(avatarError(415, ""), /PNG, JPEG, WebP or GIF/);
  assert.match(
    avatarError(400, "Request failed (400)"),
    /^That file is not a picture the server can read\.[^(]*$/,
  );
  assert.match(avatarError(429, ""), /^Too many new photos in the last hour/);
  assert.equal(avatarError(500, "Internal error"), "Internal error");
});

const settings = ownerSettings({ away_after_idle_minutes: 0 });
const NUMBERS = ["rate_limit_per_minute", "new_conversations_per_ip_per_hour", "max_upload_mb"] as const;

test("general settings: the switch is a boolean in the draft and in the PATCH", () => {
  const draft = settingsDraft(settings);
  assert.equal(draft.assign_on_reply, true);
  assert.equal(draft.max_upload_mb, "10");
  assert.deepEqual(settingsChanges(settings, draft, new Set(), NUMBERS), { changes: {} });
  assert.deepEqual(settingsChanges(settings, { ...draft, assign_on_reply: false }, new Set(), NUMBERS), {
    changes: { assign_on_reply: false },
  });
  assert.deepEqual(
    settingsChanges(settings, { ...draft, assign_on_reply: false }, new Set(["assign_on_reply"]), NUMBERS),
    { changes: {} },
    "never a field the environment fixes",
  );
  assert.deepEqual(settingsChanges(settings, { ...draft, max_upload_mb: "12" }, new Set(), NUMBERS), {
    changes: { max_upload_mb: 12 },
  });
  assert.deepEqual(settingsChanges(settings, { ...draft, max_upload_mb: "1.5" }, new Set(), NUMBERS), {
    invalid: "max_upload_mb",
  });
});
