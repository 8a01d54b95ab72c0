/**
 * The agents' single-page app at /admin: static files from the inbox build, and its index.html
 * for every other path under /admin (/admin/login, /admin/chats/12, …): the page reads the path
 * in the browser, the server does not.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { loadOnce } from "../../loadOnce.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

/** The client-side path after /admin/. */
const anyPathParams = {
  type: "object",
  properties: { "*": { type: "string", maxLength: 1024 } },
  additionalProperties: false,
} as const;

/**
 * @fastify/send (what @fastify/static serves with: ETag, Last-Modified, ranges, conditional
 * requests, no dotfiles, nothing outside the root), loaded at the first /admin request. A
 * restart that serves no agent does not pay for it, nor for @fastify/static's walk of the build
 * to register a route per file: together 28 ms of a 250 ms restart on one core.
 */
const loadSend = loadOnce(async () => (await import("@fastify/send")).send);

export async function inboxRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const root = deps.assets.inboxDir;
  if (!existsSync(join(root, "index.html"))) {
    app.get("/admin*", { schema: { querystring: noQuery, params: anyPathParams } }, async (_request, reply) =>
      reply.code(404).type("text/plain").send("The inbox is not built yet: run `npm run build`."),
    );
    return;
  }

  /** A file of the build, or false when there is none by that path (the page's own paths). */
  const sendFile = async (
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    cacheControl?: string,
  ): Promise<boolean> => {
    const send = await loadSend();
    // send() decodes the path it is given; the route's parameter is decoded already.
    const result = await send(request.raw, encodeURI(path), { root, index: false });
    if (result.type === "directory") return false;
    if (result.type === "error") {
      const error: Error & { code?: string; status?: number } = result.metadata.error;
      // None there, a dotfile or a way out of the root: the page's path, answered by the page.
      if (error.code === "ENOENT" || error.status === 404 || error.status === 403) return false;
      await reply.send(error);
      return true;
    }
    reply.code(result.statusCode).headers(result.headers);
    if (cacheControl !== undefined) reply.header("cache-control", cacheControl);
    await reply.send(result.stream);
    return true;
  };

  // A new build's page, and with it the names of its assets, is seen at the next load.
  const sendPage = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await sendFile(request, reply, "/index.html", "no-cache"))) reply.callNotFound();
    return reply;
  };

  app.get("/admin", { schema: { querystring: noQuery } }, sendPage);
  app.get<{ Params: { "*": string } }>(
    "/admin/*",
    { schema: { querystring: noQuery, params: anyPathParams } },
    async (request, reply) => {
      const path = request.params["*"];
      if (path !== "" && path !== "index.html" && (await sendFile(request, reply, `/${path}`))) return reply;
      return sendPage(request, reply);
    },
  );
}
