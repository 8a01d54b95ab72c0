/**
 * Agents' photos over HTTP (protocol §14): `PUT /agents/me/avatar` takes one multipart `file`
 * from a logged-in agent, `DELETE` removes it; `GET /avatars/:file` serves them to anyone (the
 * widgets on every site show them), immutable and cross-origin. What a photo may be is
 * chat/avatars.ts's and files/avatarImage.ts's to say.
 */
import fastifyMultipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply } from "fastify";
import { AVATAR_PATH, AVATARS_PREFIX, MAX_AVATAR_BYTES } from "@parley/protocol";
import { toWireAgent } from "../../chat/team.js";
import { currentSession, requireAgent } from "../agentAuth.js";
import { receiveUpload, UPLOAD_FIELD } from "../receiveUpload.js";
import type { RouteDeps } from "../routeDeps.js";
import { noBody, noQuery } from "../schemas.js";

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** A length bound only: any name that is not a photo's is a 404 (chat/avatars.ts's AVATAR_FILE). */
const fileParams = {
  type: "object",
  required: ["file"],
  properties: { file: { type: "string", maxLength: 64 } },
  additionalProperties: false,
} as const;

function tooLarge(reply: FastifyReply) {
  return reply
    .code(413)
    .send({ error: `Photo too large (max ${Math.floor(MAX_AVATAR_BYTES / (1024 * 1024))} MB)` });
}

function notMultipart(reply: FastifyReply) {
  return reply.code(400).send({ error: `Expected multipart/form-data with one field named ${UPLOAD_FIELD}` });
}

export async function avatarRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { avatars, sessions } = deps.chat;
  const { tempDir } = deps.uploads;
  const anyAgent = { preHandler: requireAgent(sessions) };

  // Multipart is parsed in this scope only.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart);
    scope.put(AVATAR_PATH, { ...anyAgent, schema: { querystring: noQuery } }, async (request, reply) => {
      const { agent } = currentSession(request);
      // Over the limit: 429 with Retry-After (http/errors.ts), before a byte of the body is read.
      await avatars.admit(agent.id);
      if (!request.isMultipart()) return notMultipart(reply);
      const declaredBytes = Number(request.headers["content-length"] ?? 0) || 0;
      if (declaredBytes > MAX_AVATAR_BYTES + MULTIPART_OVERHEAD_BYTES) {
        return tooLarge(reply.header("connection", "close"));
      }
      const received = await receiveUpload(request, { maxBytes: MAX_AVATAR_BYTES, tempDir });
      if (received.kind === "too_large") return tooLarge(reply);
      if (received.kind === "missing") return notMultipart(reply);
      try {
        return {
          agent: toWireAgent(await avatars.set(agent.id, received.candidate.path), deps.chat.availability),
        };
      } finally {
        await received.discard();
      }
    });
  });

  app.delete(
    AVATAR_PATH,
    { ...anyAgent, schema: { querystring: noQuery, body: noBody } },
    async (request) => ({
      agent: toWireAgent(await avatars.remove(currentSession(request).agent.id), deps.chat.availability),
    }),
  );

  app.get<{ Params: { file: string } }>(
    `${AVATARS_PREFIX}:file`,
    { schema: { params: fileParams, querystring: noQuery } },
    async (request, reply) => {
      const body = await avatars.open(request.params.file);
      if (body === undefined) return reply.code(404).send({ error: "Not found" });
      return (
        reply
          .header("content-type", "image/webp")
          .header("x-content-type-options", "nosniff")
          .header("content-security-policy", "default-src 'none'")
          // The name changes with the picture: what is served under one never changes.
          .header("cache-control", "public, max-age=31536000, immutable")
          // The widget shows these on other sites' pages (an <img>, or read by its script).
          .header("cross-origin-resource-policy", "cross-origin")
          .header("access-control-allow-origin", "*")
          .send(body)
      );
    },
  );
}
