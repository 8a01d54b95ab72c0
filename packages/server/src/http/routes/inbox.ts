/**
 * The agents' single-page app at /admin: static files from the inbox build, and its index.html
 * for every client-side path (/admin/login, /admin/chats/12, …).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "../routeDeps.js";

export async function inboxRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const root = deps.assets.inboxDir;
  if (!existsSync(join(root, "index.html"))) {
    app.get("/admin*", async (_request, reply) =>
      reply.code(404).type("text/plain").send("The inbox is not built yet: run `npm run build`."),
    );
    return;
  }
  await app.register(fastifyStatic, { root, prefix: "/admin/", decorateReply: true, index: false, wildcard: false });
  const sendIndex = async (_request: unknown, reply: import("fastify").FastifyReply) =>
    reply.header("cache-control", "no-cache").sendFile("index.html", root);
  app.get("/admin", sendIndex);
  app.get("/admin/*", sendIndex);
}
