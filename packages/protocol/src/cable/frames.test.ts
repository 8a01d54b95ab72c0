import assert from "node:assert/strict";
import { test } from "node:test";
import { parseServerFrame } from "./frames.js";

test("known frames decode", () => {
  assert.deepEqual(parseServerFrame('{"type":"welcome"}'), { type: "welcome" });
  assert.deepEqual(parseServerFrame('{"type":"ping","message":17}'), { type: "ping", message: 17 });
  assert.deepEqual(parseServerFrame('{"type":"disconnect","reason":"server_restart","reconnect":true}'), {
    type: "disconnect",
    reason: "server_restart",
    reconnect: true,
  });
  assert.deepEqual(parseServerFrame('{"identifier":"x","type":"confirm_subscription"}'), {
    identifier: "x",
    type: "confirm_subscription",
  });
  assert.deepEqual(parseServerFrame('{"identifier":"x","message":{"a":1}}'), {
    identifier: "x",
    message: { a: 1 },
  });
});

test("a disconnect without `reconnect` reconnects, like the stock client", () => {
  assert.deepEqual(parseServerFrame('{"type":"disconnect","reason":"remote"}'), {
    type: "disconnect",
    reason: "remote",
    reconnect: true,
  });
});

test("anything else decodes to null", () => {
  for (const text of [
    "",
    "nope",
    "[]",
    "null",
    '{"type":"new_thing"}',
    '{"identifier":"x"}',
    '{"identifier":1,"message":{}}',
  ]) {
    assert.equal(parseServerFrame(text), null, text);
  }
});
