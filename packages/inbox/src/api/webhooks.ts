/** A site's webhooks (protocol §13, owners only): listed, created (secret shown once), changed, deleted, and their delivery log. */
import type {
  CreatedWebhookResponse,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDeliveriesResponse,
  WebhookDeliveryResponse,
  WebhookResponse,
  WebhookSecretResponse,
  WebhooksResponse,
} from "@parley/protocol";
import { request } from "./http.js";

const base = (siteId: number) => `/sites/${siteId}/webhooks`;

export const webhooks = {
  list: (siteId: number) => request<WebhooksResponse>("GET", base(siteId)),
  create: (siteId: number, body: CreateWebhookRequest) =>
    request<CreatedWebhookResponse>("POST", base(siteId), { body }),
  get: (siteId: number, webhookId: number) => request<WebhookResponse>("GET", `${base(siteId)}/${webhookId}`),
  update: (siteId: number, webhookId: number, body: UpdateWebhookRequest) =>
    request<WebhookResponse>("PATCH", `${base(siteId)}/${webhookId}`, { body }),
  remove: (siteId: number, webhookId: number) =>
    request<{ ok: boolean }>("DELETE", `${base(siteId)}/${webhookId}`),
  secret: (siteId: number, webhookId: number) =>
    request<WebhookSecretResponse>("GET", `${base(siteId)}/${webhookId}/secret`),
  /** Newest first; `before` is the previous page's `next_cursor`. */
  deliveries: (siteId: number, webhookId: number, page: { limit?: number; before?: string | null } = {}) =>
    request<WebhookDeliveriesResponse>("GET", `${base(siteId)}/${webhookId}/deliveries`, {
      query: { limit: page.limit, before: page.before ?? undefined },
    }),
  resend: (siteId: number, webhookId: number, deliveryId: number) =>
    request<WebhookDeliveryResponse>("POST", `${base(siteId)}/${webhookId}/deliveries/${deliveryId}/resend`),
};
