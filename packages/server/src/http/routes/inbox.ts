/**
 * The agents' single-page app at /admin: static files from the inbox build, and its index.html
 * for every client-side path (/admin/login, /admin/chats/12, …).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

/** The client-side path after /admin/: the page reads it in the browser, the server does not. */
const anyPathParams = {
  type: "object",
  properties: { "*": { type: "string", maxLength: 1024 } },
  additionalProperties: false,
} as const;

export async function inboxRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const root = deps.assets.inboxDir;
  if (!existsSync(join(root, "index.html"))) {
    app.get("/admin*", { schema: { querystring: noQuery, params: anyPathParams } }, async (_request, reply) =>
      reply.code(404).type("text/plain").send("The inbox is not built yet: run `npm run build`."),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/admin/",
    decorateReply: true,
    index: false,
    wildcard: false,
  });
  const sendIndex = async (_request: unknown, reply: import("fastify").FastifyReply) =>
    reply.header("cache-control", "no-cache").sendFile("index.html", root);
  app.get("/admin", { schema: { querystring: noQuery } }, sendIndex);
  app.get("/admin/*", { schema: { querystring: noQuery, params: anyPathParams } }, sendIndex);
}
