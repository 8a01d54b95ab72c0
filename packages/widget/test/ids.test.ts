import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_CLIENT_ID_LENGTH, VISITOR_TOKEN_PATTERN } from "@parley/protocol";
import { newClientId, newToken } from "../src/ids.js";

test("tokens fit the protocol's token rule and do not repeat", () => {
  const tokens = new Set(Array.from({ length: 200 }, newToken));
  assert.equal(tokens.size, 200);
  for (const token of tokens) assert.match(token, VISITOR_TOKEN_PATTERN);
});

test("client ids are short, URL-safe and unique", () => {
  const ids = new Set(Array.from({ length: 200 }, newClientId));
  assert.equal(ids.size, 200);
  for (const id of ids) {
    assert.ok(id.length <= MAX_CLIENT_ID_LENGTH);
    assert.match(id, /^[A-Za-z0-9_-]+$/);
  }
});
