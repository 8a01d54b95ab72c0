/**
 * Attachments over HTTP (protocol §9): `POST /uploads` takes one file from an agent (session
 * cookie), a program (an agent's `read_write` API token, §11) or a visitor (X-Visitor-Token); `GET /uploads/:id/:variant` serves it behind a signed,
 * expiring URL, with headers that stop a browser from ever running it as a page.
 */
import fastifyMultipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SITE_KEY_PATTERN, UPLOADS_PATH, VISITOR_TOKEN_HEADER } from "@parley/protocol";
import type { Uploader } from "../../chat/attachments.js";
import * as validate from "../../chat/validate.js";
import { contentDisposition } from "../../files/filenames.js";
import { FILE_VARIANTS, type FileVariant } from "../../files/signedUrls.js";
import { bearerToken, requireAgentOrToken, resolveSession } from "../agentAuth.js";
import { pageOf } from "../originGuard.js";
import { receiveUpload, UPLOAD_FIELD } from "../receiveUpload.js";
import type { RouteDeps } from "../routeDeps.js";

/** `?site=KEY` (protocol §10): the site whose widget uploads; absent: the default site. */
const uploadQuery = {
  type: "object",
  properties: { site: { type: "string", pattern: SITE_KEY_PATTERN.source } },
  additionalProperties: false,
} as const;

/** Lengths only: the handler answers 404 to an unknown id or variant, 403 to a bad signature. */
const fileParams = {
  type: "object",
  required: ["id", "variant"],
  properties: { id: { type: "string", maxLength: 16 }, variant: { type: "string", maxLength: 16 } },
  additionalProperties: false,
} as const;

const signedQuery = {
  type: "object",
  properties: { expires: { type: "string", maxLength: 12 }, signature: { type: "string", maxLength: 128 } },
  additionalProperties: false,
} as const;

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * The visitor's header comes first: an agent trying the widget on the demo page uploads as that
 * visitor. A program's bearer token is checked by the API's own guard (scope, expiry, its
 * per-minute limit), which answers for itself when it refuses.
 */
async function uploaderOf(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  tokenGuard: ReturnType<typeof requireAgentOrToken>,
): Promise<Uploader | undefined> {
  const header = request.headers[VISITOR_TOKEN_HEADER.toLowerCase()];
  if (header !== undefined) {
    // The address as every other limit sees it (TRUST_PROXY decides whether proxies are believed).
    return validate.isVisitorToken(header)
      ? { kind: "visitor", token: header, address: request.ip }
      : undefined;
  }
  if (bearerToken(request) !== undefined) {
    await tokenGuard(request, reply);
    const agent = request.apiToken?.agent;
    return agent === undefined ? undefined : { kind: "agent", agentId: agent.id };
  }
  const session = await resolveSession(deps.chat.sessions, request);
  return session === undefined ? undefined : { kind: "agent", agentId: session.agent.id };
}

function tooLarge(reply: FastifyReply, maxBytes: number) {
  return reply.code(413).send({ error: `File too large (max ${Math.floor(maxBytes / (1024 * 1024))} MB)` });
}

export async function uploadRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { attachments } = deps.chat;
  const { tempDir, urls } = deps.uploads;
  const tokenGuard = requireAgentOrToken(deps.chat);

  // Multipart is parsed in this scope only: no other route accepts a file.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart);

    // The body is multipart, read by receiveUpload.ts with its own limits. The widget uploads
    // from the sites that embed it, with X-Visitor-Token (never a cookie); programs from
    // anywhere, with a bearer token (which no page can attach for them).
    scope.post<{ Querystring: { site?: string } }>(
      UPLOADS_PATH,
      { schema: { querystring: uploadQuery }, config: { widgetRoute: true, apiTokens: true } },
      async (request, reply) => {
        const uploader = await uploaderOf(request, reply, deps, tokenGuard);
        if (reply.sent) return reply;
        if (uploader === undefined) {
          return reply.code(401).send({ error: "Log in, send an API token, or send X-Visitor-Token" });
        }
        if (uploader.kind === "visitor") {
          // The named site's origins, as for its config and its socket.
          const site = deps.chat.sites.active(request.query.site);
          if (site === undefined) return reply.code(404).send({ error: "No such site" });
          if (!deps.chat.sites.allowsPage(site, pageOf(request))) {
            return reply.code(403).send({ error: "This site's widget does not run on this origin" });
          }
        }
        const declaredBytes = Number(request.headers["content-length"] ?? 0) || 0;
        // Read per upload: an owner's change applies to the next one.
        const maxBytes = deps.uploads.maxBytes();
        // A declared size far past the limit is refused before a byte of it is read, and before
        // the per-address budget: a 429 would tell the client to retry what can never fit.
        if (declaredBytes > maxBytes + MULTIPART_OVERHEAD_BYTES) {
          return tooLarge(reply.header("connection", "close"), maxBytes);
        }
        // Over a limit: 429 with Retry-After (http/errors.ts), before a byte of the body is read.
        // The declared length less the multipart framing is the least the file can weigh.
        await attachments.admitUpload(uploader, declaredBytes - MULTIPART_OVERHEAD_BYTES);
        if (!request.isMultipart()) {
          return reply
            .code(400)
            .send({ error: `Expected multipart/form-data with one field named ${UPLOAD_FIELD}` });
        }
        const received = await receiveUpload(request, { maxBytes, tempDir });
        if (received.kind === "too_large") return tooLarge(reply, maxBytes);
        if (received.kind === "missing") {
          return reply
            .code(400)
            .send({ error: `Expected multipart/form-data with one field named ${UPLOAD_FIELD}` });
        }
        try {
          return await reply.code(201).send(await attachments.upload(uploader, received.candidate));
        } finally {
          await received.discard();
        }
      },
    );
  });

  app.get<{ Params: { id: string; variant: string }; Querystring: { expires?: string; signature?: string } }>(
    `${UPLOADS_PATH}/:id/:variant`,
    { schema: { params: fileParams, querystring: signedQuery } },
    async (request, reply) => {
      const variant = FILE_VARIANTS.find((each) => each === request.params.variant);
      if (variant === undefined || !/^[1-9]\d{0,15}$/.test(request.params.id))
        return reply.code(404).send({ error: "Not found" });
      const id = Number(request.params.id);
      // The signature is checked before the id is looked up: a guessed URL learns nothing.
      const verdict = urls.verify(id, variant, request.query.expires, request.query.signature);
      if (verdict !== "valid") {
        return reply
          .code(403)
          .send({ error: verdict === "expired" ? "This link has expired" : "Invalid link" });
      }
      const opened = await attachments.open(id, variant);
      if (opened === undefined) return reply.code(404).send({ error: "Not found" });
      const { attachment, body } = opened;
      const isImage = attachment.contentType.startsWith("image/");
      const contentType = variantType(variant, attachment.contentType);
      const expiresInS = Math.max(0, Number(request.query.expires) - Math.floor(Date.now() / 1000));
      void reply
        .header("content-type", contentType)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'")
        // Only raster images are ever shown in place; SVG and HTML are never accepted at all.
        .header(
          "content-disposition",
          contentDisposition(isImage ? "inline" : "attachment", attachment.filename),
        )
        .header("cache-control", `private, max-age=${expiresInS}, immutable`)
        // The widget shows these on other sites' pages.
        .header("cross-origin-resource-policy", "cross-origin");
      if (variant === "file") void reply.header("content-length", attachment.byteSize);
      return reply.send(body);
    },
  );
}

function variantType(variant: FileVariant, stored: string): string {
  if (variant === "thumbnail") return "image/webp";
  return stored === "text/plain" ? "text/plain; charset=utf-8" : stored;
}
