/**
 * node:http and node:https, loaded as CommonJS.
 *
 * Imported as ES modules, Node fills in every export of node:http at once, lazy getters included,
 * and one of them loads Node's whole fetch implementation (undici): 37 ms of a boot's CPU, for
 * nothing the server uses (docs/benchmarks.md, "Cold start"). `require` reads only what is asked.
 * The bundled packages (Fastify, ws) already load them this way.
 */
import type * as Http from "node:http";
import type * as Https from "node:https";
import { createRequire } from "node:module";

const requireBuiltin = createRequire(import.meta.url);

export const http = requireBuiltin("node:http") as typeof Http;
export const https = requireBuiltin("node:https") as typeof Https;
