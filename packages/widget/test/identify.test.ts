import assert from "node:assert/strict";
import { test } from "node:test";
import { identify, identifyBody } from "../src/identify/post.js";
import { KEYS } from "../src/storage.js";

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

test("a call the server accepted, word for word, is answered from storage, not asked again", async () => {
  const kept = new Map<string, string>();
  const storage = {
    get: (key: string) => kept.get(key) ?? null,
    set: (key: string, value: string) => void kept.set(key, value),
  };
  const visitor = { id: "7", hash: "cd".repeat(32) };
  const answer = { token: "c".repeat(24), verified: true };
  storage.set(KEYS.identified, `${identifyBody(TOKEN, "site-key-acme", visitor)}\n${JSON.stringify(answer)}`);
  // Nothing listens there: only an answer from storage can come back.
  const nowhere = "http://127.0.0.1:9";
  assert.deepEqual(await identify(nowhere, "site-key-acme", TOKEN, visitor, storage), answer);

  // Another claim, or the same one with another token, is asked.
  const errors: unknown[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  try {
    assert.equal(
      await identify(nowhere, "site-key-acme", TOKEN, { ...visitor, name: "Ada" }, storage),
      undefined,
    );
    assert.equal(await identify(nowhere, "site-key-acme", "d".repeat(24), visitor, storage), undefined);
  } finally {
    console.error = error;
  }
  assert.equal(errors.length, 2);
  assert.match(String(errors[0]), /^Parley: identify failed \(network error\)/);
});
