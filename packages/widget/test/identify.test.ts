import assert from "node:assert/strict";
import { test } from "node:test";
import { identifyBody } from "../src/identify/post.js";

const TOKEN = "t".repeat(24);

test("identify sends the known fields, a numeric id as its digits, and dates as {date}", () => {
  const body = JSON.parse(
    identifyBody(TOKEN, "site-key-acme", {
      id: 42,
      hash: "ab".repeat(32),
      email: "ada@example.com",
      name: "Ada",
      attributes: {
        plan: "pro",
        seats: 3,
        trial: false,
        signed_up: new Date(Date.UTC(2025, 0, 2)),
        old: null,
      },
      // A site's extra field is not sent: the server would refuse the whole call.
      company: "Acme",
    } as never),
  ) as unknown;
  assert.deepEqual(body, {
    token: TOKEN,
    site: "site-key-acme",
    id: "42",
    hash: "ab".repeat(32),
    email: "ada@example.com",
    name: "Ada",
    attributes: {
      plan: "pro",
      seats: 3,
      trial: false,
      signed_up: { date: "2025-01-02T00:00:00.000Z" },
      old: null,
    },
  });
});

test("what is not given is left out, the default site included", () => {
  assert.deepEqual(JSON.parse(identifyBody(TOKEN, undefined, { name: "Grace" })), {
    token: TOKEN,
    name: "Grace",
  });
});
