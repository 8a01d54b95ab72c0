/** The owner's server-wide settings (protocol §10): read and changed by owners only. */
import type { OwnerSettings } from "@parley/protocol";
import type { FastifyInstance } from "fastify";
import {
  OWNER_SETTING_CHOICES,
  OWNER_SETTING_FLAGS,
  OWNER_SETTING_RANGES,
} from "../../chat/ownerSettings.js";
import { requireAgent } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

const patchBody = {
  type: "object",
  properties: Object.fromEntries([
    ...Object.entries(OWNER_SETTING_RANGES).map(([key, [minimum, maximum]]): [string, object] => [
      key,
      { type: "integer", minimum, maximum },
    ]),
    ...Object.keys(OWNER_SETTING_FLAGS).map((key): [string, object] => [key, { type: "boolean" }]),
    ...Object.entries(OWNER_SETTING_CHOICES).map(([key, values]): [string, object] => [
      key,
      { type: "string", enum: [...values] },
    ]),
  ]),
  additionalProperties: false,
} as const;

export function settingRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { settings, sessions } = deps.chat;
  const ownerOnly = { preHandler: requireAgent(sessions, "owner") };

  app.get("/settings", { ...ownerOnly, schema: { querystring: noQuery } }, async () => settings.toWire());

  app.patch<{ Body: Partial<OwnerSettings> }>(
    "/settings",
    { ...ownerOnly, schema: { querystring: noQuery, body: patchBody } },
    async (request) => {
      const before = settings.current();
      await settings.update(request.body);
      const after = settings.current();
      // The keys whose value changed (the values are no secret, but the keys say enough).
      const keys = (Object.keys(request.body) as (keyof OwnerSettings)[]).filter(
        (key) => before[key] !== after[key],
      );
      if (keys.length > 0)
        await deps.chat.audit.record({
          action: "settings.updated",
          actor: auditActorOf(request),
          details: { keys: keys.sort() },
        });
      return settings.toWire();
    },
  );
}
