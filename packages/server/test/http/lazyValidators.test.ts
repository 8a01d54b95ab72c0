/**
 * Route schemas are compiled on a route's first request (src/http/lazyValidators.ts), so a schema
 * Ajv refuses would no longer stop the server at boot: this test compiles every route's, so it
 * stops the build instead. It also shows that the late compile still validates.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Fastify from "fastify";
import {
  compileAllValidators,
  compiledValidatorCount,
  lazyValidatorController,
} from "../../src/http/lazyValidators.js";
import { noQuery } from "../../src/http/schemas.js";
import { startTestServer, type TestServer } from "../support/testServer.js";

describe("route validators compiled on first use", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.dispose());

  it("every route's schemas compile", () => {
    // Parley has well over a hundred validated request parts (bodies, queries, params).
    assert.ok(compileAllValidators() > 100);
  });

  it("a route validates on its first request as before", async () => {
    const response = await fetch(`${server.url}/conversations?limit=abc`);
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /limit/);
  });

  it("a schema Ajv refuses is found by compileAllValidators, not left for a request to find", async () => {
    const app = Fastify({ schemaController: lazyValidatorController() });
    app.post("/broken", { schema: { body: { type: "nonsense" } } }, async () => ({}));
    await app.ready(); // boots: nothing is compiled yet
    assert.throws(() => compileAllValidators(), /nonsense|type/);
    await app.close();
  });

  it("a schema only the JSON Schema meta-schema refuses is found too, and not checked at runtime", async () => {
    const app = Fastify({ schemaController: lazyValidatorController() });
    const body = {
      type: "object",
      properties: { name: { type: "string", maxLength: -1 } },
      additionalProperties: false,
    };
    app.post("/negative", { schema: { body } }, async () => ({ ok: true }));
    await app.ready();
    // The server compiles it without the meta-schema (that compile cost a restart 40-50 ms)...
    const response = await app.inject({ method: "POST", url: "/negative", payload: {} });
    assert.equal(response.statusCode, 200);
    // ...and the tests' pass over every route still refuses it.
    assert.throws(() => compileAllValidators(), /maxLength must be >= 0/);
    await app.close();
  });

  it("a part that takes no keys is answered without Ajv, as Ajv would answer it", async () => {
    const app = Fastify({ schemaController: lazyValidatorController() });
    app.get("/nothing", { schema: { querystring: noQuery } }, async (request) => ({ query: request.query }));
    app.post("/nothing", { schema: { body: noQuery } }, async (request) => ({ body: request.body }));
    await app.ready();
    const before = compiledValidatorCount();

    const query = await app.inject({ method: "GET", url: "/nothing?page=2&sort=new" });
    assert.equal(query.statusCode, 200);
    assert.deepEqual(query.json(), { query: {} }, "what the route does not take is dropped");
    const empty = await app.inject({ method: "POST", url: "/nothing", payload: { extra: 1 } });
    assert.deepEqual(empty.json(), { body: {} });
    assert.equal(compiledValidatorCount(), before, "no Ajv compile for an object");

    // Not an object: Ajv's answer, with its error.
    const array = await app.inject({ method: "POST", url: "/nothing", payload: [1] });
    assert.equal(array.statusCode, 400);
    assert.match(array.json<{ message: string }>().message, /must be object/);
    assert.equal(compiledValidatorCount(), before + 1);
    await app.close();
  });

  it("without removeAdditional, a part that takes no keys refuses one, as Ajv does", async () => {
    const app = Fastify({
      ajv: { customOptions: { removeAdditional: false } },
      schemaController: lazyValidatorController(),
    });
    app.get("/nothing", { schema: { querystring: noQuery } }, async () => ({ ok: true }));
    await app.ready();
    assert.equal((await app.inject({ method: "GET", url: "/nothing" })).statusCode, 200);
    const refused = await app.inject({ method: "GET", url: "/nothing?page=2" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json<{ message: string }>().message, /additional properties/);
    await app.close();
  });
});
