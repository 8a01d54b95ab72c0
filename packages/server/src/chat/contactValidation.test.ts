/** A contact's fields as strangers send them (protocol §12): emails, names, ids, typed attributes. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attributePatch, contactName, email, externalId, withAttributes } from "./contactValidation.js";
import { identityHash, isIdentityHashFor } from "./identityHash.js";

describe("contact validation", () => {
  it("takes emails with one @, a dotted domain and no spaces", () => {
    assert.equal(email("  ada@example.com "), "ada@example.com");
    assert.equal(email(""), null);
    for (const bad of ["ada", "ada@example", "a@b@example.com", "ada lovelace@example.com", "ada@.com", 7]) {
      assert.throws(() => email(bad), String(bad));
    }
    assert.throws(() => email(`${"a".repeat(250)}@example.com`), /max 254/);
  });

  it("makes names one plain line of at most 100 characters", () => {
    assert.equal(contactName(" Ada\n Lovelace "), "Ada Lovelace");
    assert.equal(contactName("  "), null);
    assert.throws(() => contactName("x".repeat(101)), /max 100/);
  });

  it("takes ids as signed: never altered, so outer spaces and controls are refused", () => {
    assert.equal(externalId("user-42"), "user-42");
    for (const bad of ["", " user", "user\n", "x".repeat(129), 42]) assert.throws(() => externalId(bad));
  });

  it("keeps a key named __proto__ as a plain key, never as the object's prototype", () => {
    const patch = attributePatch(JSON.parse('{"__proto__": {"date": "2024-01-01"}, "plan": "pro"}'));
    assert.equal(Object.getPrototypeOf(patch), Object.prototype);
    const joined = withAttributes({}, patch);
    assert.deepEqual(Object.keys(joined).sort(), ["__proto__", "plan"]);
    assert.equal(Object.getPrototypeOf(joined), Object.prototype);
  });

  it("caps a contact at 50 attributes after a merge of the patch", () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    assert.throws(() => withAttributes(fifty, { another: 1 }), /max 50/);
    assert.equal(Object.keys(withAttributes(fifty, { k0: null, another: 1 })).length, 50);
  });

  it("checks identity hashes for exactly that id and secret", () => {
    const hash = identityHash("secret", "user-1");
    assert.equal(isIdentityHashFor("secret", "user-1", hash), true);
    assert.equal(isIdentityHashFor("secret", "user-1", hash.toUpperCase()), true, "hex in either case");
    assert.equal(isIdentityHashFor("secret", "user-2", hash), false);
    assert.equal(isIdentityHashFor("other", "user-1", hash), false);
    assert.equal(isIdentityHashFor("secret", "user-1", hash.slice(1)), false);
  });
});
