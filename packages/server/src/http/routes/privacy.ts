/**
 * (§17) Owners' privacy tools: a contact's or conversation's data as one ZIP, and their erasure
 * (`{"confirm": "erase"}`). Cookie only: exports and erasures are a person's decisions, not a
 * program's. The work is chat/privacy.ts's; the ZIP is written by files/zipArchive.ts.
 */
import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { EraseRequest } from "@parley/protocol";
import type { ExportArchive, Privacy } from "../../chat/privacy.js";
import { contentDisposition } from "../../files/filenames.js";
import { requireAgent } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, noQuery } from "../schemas.js";

export interface PrivacyRouteDeps {
  service: Privacy;
  /** Writes an export as a ZIP stream (reading its files from the blob store). */
  zip: (archive: ExportArchive) => Promise<Readable>;
}

/** Only the shape: chat/privacy.ts says what is wrong with the value, in words. */
const eraseBody = {
  type: "object",
  properties: { confirm: { type: "string", maxLength: 20 } },
  additionalProperties: false,
} as const;

export function privacyRoutes(app: FastifyInstance, deps: RouteDeps & { privacy: PrivacyRouteDeps }): void {
  const { service, zip } = deps.privacy;
  const ownerOnly = { preHandler: requireAgent(deps.chat.sessions, "owner") };
  const exportSchema = { params: idParams, querystring: noQuery };
  const eraseSchema = { params: idParams, querystring: noQuery, body: eraseBody };

  const sendArchive = async (archive: ExportArchive) => ({
    headers: {
      "content-type": "application/zip",
      "content-disposition": contentDisposition("attachment", archive.filename),
      "cache-control": "no-store",
    },
    body: await zip(archive),
  });

  app.get<{ Params: { id: string } }>(
    "/contacts/:id/export",
    { ...ownerOnly, schema: exportSchema },
    async (request, reply) => {
      const { headers, body } = await sendArchive(
        await service.exportContact(request.params.id, auditActorOf(request)),
      );
      return reply.headers(headers).send(body);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/conversations/:id/export",
    { ...ownerOnly, schema: exportSchema },
    async (request, reply) => {
      const archive = await service.exportConversation(request.params.id, auditActorOf(request));
      const { headers, body } = await sendArchive(archive);
      return reply.headers(headers).send(body);
    },
  );

  app.post<{ Params: { id: string }; Body: Partial<EraseRequest> | null }>(
    "/contacts/:id/erase",
    { ...ownerOnly, schema: eraseSchema },
    async (request) => service.eraseContact(request.params.id, request.body?.confirm, auditActorOf(request)),
  );

  app.post<{ Params: { id: string }; Body: Partial<EraseRequest> | null }>(
    "/conversations/:id/erase",
    { ...ownerOnly, schema: eraseSchema },
    async (request) =>
      service.eraseConversation(request.params.id, request.body?.confirm, auditActorOf(request)),
  );
}
