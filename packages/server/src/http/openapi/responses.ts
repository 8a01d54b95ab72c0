/**
 * What each route answers, as JSON Schemas over the shapes of shapes.ts: the OpenAPI document's
 * responses. Kept in one table rather than in each route file so the whole API's answers read
 * in one place; describeRoute (document.ts) attaches them as routes are added, and a route
 * missing here (and not out of the API on purpose: isOutOfApi) stops the server from starting.
 */
import { nullable, object, ref } from "./shapes.js";
import { PRIVACY_ROUTES } from "./privacy.js";
import { AUDIT_LOG_ROUTES } from "./auditLog.js";
import { REPORT_ROUTES } from "./reports.js";
import { EMAIL_CONVERSATION_ROUTES } from "./emailConversations.js";
import { TEAM_WORK_ROUTES } from "./teamWork.js";

const id = { type: "integer", minimum: 1 } as const;
const ok = object({ ok: { type: "boolean", const: true } });
const conversation = object({ conversation: ref("Conversation") });
const agent = object({ agent: ref("Agent") });
const site = object({ site: ref("Site") });

export interface RouteDescription {
  /** One line for the reference. */
  summary: string;
  /** Status → schema of the JSON body; errors (`ErrorBody`) are added to every route. */
  responses: Record<number, unknown>;
}

/** (§15) States, labels and view counts. */
const label = object({ label: ref("Label") });
const WORKFLOW_ROUTES: Record<string, RouteDescription> = {
  "PUT /conversations/:id/state": {
    summary: "Set a conversation's state (open, pending, snoozed with an optional time, resolved)",
    responses: { 200: conversation },
  },
  "PUT /conversations/:id/labels": {
    summary: "Replace a conversation's labels",
    responses: { 200: conversation },
  },
  "GET /conversations/counts": {
    summary: "Your open and pending conversations: yours, unassigned, all",
    responses: { 200: ref("ViewCounts") },
  },
  "GET /labels": {
    summary: "List the labels",
    responses: { 200: object({ labels: { type: "array", items: ref("Label") } }) },
  },
  "POST /labels": {
    summary: "Create a label (owners)",
    responses: { 201: label },
  },
  "PATCH /labels/:id": {
    summary: "Rename or recolor a label (owners)",
    responses: { 200: label },
  },
  "DELETE /labels/:id": {
    summary: "Delete a label, taking it off every conversation (owners)",
    responses: { 200: ok },
  },
};

/** `"METHOD /path"`, in Fastify's path syntax → what the route does and answers. */
export const ROUTES: Record<string, RouteDescription> = {
  "GET /health": {
    summary: "Liveness: the process answers",
    responses: { 200: object({ status: { type: "string", const: "ok" }, uptime: { type: "integer" } }) },
  },
  "GET /up": {
    summary:
      "Readiness: the database answers and the storage folder has room (503 with the reason otherwise)",
    responses: { 200: object({ status: { type: "string", const: "up" } }) },
  },

  "POST /auth/login": {
    summary: "Log in as an agent (sets the session cookie)",
    responses: { 200: object({ ok: { type: "boolean", const: true }, agent: ref("Agent") }) },
  },
  "DELETE /auth/logout": {
    summary: "End this session",
    responses: { 200: ok },
  },
  "GET /auth/me": {
    summary: "Who the cookie or token acts as",
    responses: { 200: agent },
  },

  "GET /agents": {
    summary: "List the team",
    responses: { 200: object({ agents: { type: "array", items: ref("Agent") } }) },
  },
  "POST /agents": {
    summary: "Add an agent (owners)",
    responses: { 201: agent },
  },
  "DELETE /agents/:id": {
    summary: "Remove an agent (owners)",
    responses: { 200: ok },
  },
  "PUT /agents/:id/password": {
    summary: "Set an agent's password (owners)",
    responses: { 200: ok },
  },
  "PATCH /agents/me": {
    summary: "Change your own name or password",
    responses: { 200: agent },
  },
  "PUT /agents/me/avatar": {
    summary: "Set your photo (multipart, field `file`: PNG, JPEG, WebP or GIF)",
    responses: { 200: ref("AvatarResponse") },
  },
  "DELETE /agents/me/avatar": {
    summary: "Remove your photo",
    responses: { 200: ref("AvatarResponse") },
  },
  "GET /onboarding": {
    summary: "What the first-run checklist asks: widget installed, a conversation, the team's size",
    responses: { 200: ref("OnboardingResponse") },
  },

  "GET /api_tokens": {
    summary: "List your API tokens (owners: everyone's with ?all=true)",
    responses: { 200: object({ api_tokens: { type: "array", items: ref("ApiToken") } }) },
  },
  "POST /api_tokens": {
    summary: "Create an API token (shown once)",
    responses: { 201: object({ api_token: ref("ApiToken"), token: { type: "string" } }) },
  },
  "DELETE /api_tokens/:id": {
    summary: "Revoke an API token",
    responses: { 200: ok },
  },

  "GET /conversations": {
    summary: "List, filter and search conversations, newest activity first",
    responses: {
      200: object(
        {
          conversations: { type: "array", items: ref("Conversation") },
          next_before: { type: "string", description: "Pass as `before` for the next (older) page." },
        },
        ["next_before"],
      ),
    },
  },
  "GET /conversations/:id": {
    summary: "Read one conversation",
    responses: { 200: conversation },
  },
  "DELETE /conversations/:id": {
    summary: "Delete a conversation and its messages",
    responses: { 200: ok },
  },
  "GET /conversations/:id/messages": {
    summary: "Read a conversation's messages, oldest first, paged backwards",
    responses: {
      200: object({ messages: { type: "array", items: ref("Message") }, has_more: { type: "boolean" } }),
    },
  },
  "POST /conversations/:id/messages": {
    summary: "Send a message as the agent (idempotent with client_id)",
    responses: {
      200: object({ message: ref("Message") }),
      201: object({ message: ref("Message") }),
    },
  },
  "POST /conversations/:id/read": {
    summary: "Mark the visitor's messages read",
    responses: { 200: conversation },
  },
  "POST /conversations/:id/close": {
    summary: "Close a conversation",
    responses: { 200: conversation },
  },
  "POST /conversations/:id/reopen": {
    summary: "Reopen a conversation",
    responses: { 200: conversation },
  },
  "PUT /conversations/:id/assignee": {
    summary: "Assign a conversation (null: nobody)",
    responses: { 200: conversation },
  },
  ...WORKFLOW_ROUTES,

  "GET /push/vapid_public_key": {
    summary: "The server's web push public key",
    responses: { 200: object({ public_key: { type: "string" } }) },
  },
  "POST /push_subscriptions": {
    summary: "Subscribe this browser to push",
    responses: { 201: ok },
  },
  "DELETE /push_subscriptions": {
    summary: "Unsubscribe a browser from push",
    responses: { 200: ok },
  },

  "GET /settings": {
    summary: "Read the owner settings",
    responses: { 200: ref("OwnerSettingsResponse") },
  },
  "PATCH /settings": {
    summary: "Change the owner settings",
    responses: { 200: ref("OwnerSettingsResponse") },
  },

  "GET /sites": {
    summary: "List the sites you answer (owners: all)",
    responses: { 200: object({ sites: { type: "array", items: ref("Site") } }) },
  },
  "POST /sites": {
    summary: "Create a site",
    responses: { 201: site },
  },
  "GET /sites/:id": {
    summary: "Read a site",
    responses: { 200: site },
  },
  "PATCH /sites/:id": {
    summary: "Change or archive a site",
    responses: { 200: site },
  },

  "GET /sites/:id/webhooks": {
    summary: "List a site's webhooks (owners)",
    responses: { 200: object({ webhooks: { type: "array", items: ref("Webhook") } }) },
  },
  "POST /sites/:id/webhooks": {
    summary: "Register a webhook; the answer holds its signing secret (owners)",
    responses: { 201: object({ webhook: ref("Webhook"), secret: { type: "string" } }) },
  },
  "GET /sites/:id/webhooks/:webhook_id": {
    summary: "Read a webhook (owners)",
    responses: { 200: object({ webhook: ref("Webhook") }) },
  },
  "PATCH /sites/:id/webhooks/:webhook_id": {
    summary: "Change, disable or re-enable a webhook (owners)",
    responses: { 200: object({ webhook: ref("Webhook") }) },
  },
  "DELETE /sites/:id/webhooks/:webhook_id": {
    summary: "Delete a webhook and its log (owners)",
    responses: { 200: ok },
  },
  "GET /sites/:id/webhooks/:webhook_id/deliveries": {
    summary: "The delivery log, newest first (owners)",
    responses: {
      200: object({
        deliveries: { type: "array", items: ref("WebhookDelivery") },
        next_cursor: { anyOf: [{ type: "string" }, { type: "null" }] },
      }),
    },
  },
  "POST /sites/:id/webhooks/:webhook_id/deliveries/:delivery_id/resend": {
    summary: "Send a delivery's event again, with the same event id (owners)",
    responses: { 202: object({ delivery: ref("WebhookDelivery") }) },
  },
  "GET /sites/:id/webhooks/:webhook_id/secret": {
    summary: "Read a webhook's signing secret (owners; a token needs read_write)",
    responses: { 200: object({ secret: { type: "string" } }) },
  },

  "POST /uploads": {
    summary: "Upload a file to attach to a message (multipart, field `file`)",
    responses: { 201: ref("Attachment") },
  },
  "POST /widget/identify": {
    summary: "Identify the visitor as the site's user (HMAC-verified or an unverified claim)",
    responses: { 200: object({ token: { type: "string" }, verified: { type: "boolean" } }) },
  },
  "POST /widget/contact": {
    summary: "Leave a name or email (the pre-chat form)",
    responses: { 200: ok },
  },
  "GET /contacts": {
    summary: "List and search contacts, newest first",
    responses: {
      200: object({ contacts: { type: "array", items: ref("Contact") }, next_cursor: nullable(id) }),
    },
  },
  "GET /contacts/:id": {
    summary: "Read a contact and their conversations",
    responses: {
      200: object({ contact: ref("Contact"), conversations: { type: "array", items: ref("Conversation") } }),
    },
  },
  "PATCH /contacts/:id": {
    summary: "Change a contact's name, email or attributes",
    responses: { 200: object({ contact: ref("Contact") }) },
  },
  "POST /contacts/:id/merge": {
    summary: "Merge another contact into this one",
    responses: { 200: object({ contact: ref("Contact") }) },
  },
  "GET /conversations/:id/context": {
    summary: "The visitor's context: pages, browser, contact and past conversations",
    responses: {
      200: object({
        conversation_id: id,
        context: ref("VisitorContext"),
        contact: nullable(ref("Contact")),
        past_conversations: { type: "array", items: ref("Conversation") },
      }),
    },
  },
  "GET /sites/:id/identity": {
    summary: "Read the site's identity secret (owners)",
    responses: { 200: object({ secret: { type: "string" } }) },
  },
  "POST /sites/:id/identity/rotate": {
    summary: "Make a new identity secret: hashes made with the old one fail (owners)",
    responses: { 200: object({ secret: { type: "string" } }) },
  },
  "GET /widget/config": {
    summary: "A site's widget settings and availability",
    responses: { 200: ref("WidgetConfig") },
  },
  "GET /settings/email": {
    summary: "Whether email is on, the outbox's queue and failures, the reply mailbox's last check (owners)",
    responses: { 200: ref("EmailStatusResponse") },
  },
  "POST /settings/email/test": {
    summary: "Queue a test email to an address (owners); 409 when email is not configured",
    responses: { 202: ok },
  },
  "GET /agents/me/email": {
    summary: "Your email address and email alert settings",
    responses: { 200: ref("AgentEmailResponse") },
  },
  "PUT /agents/me/email": {
    summary: "Set your email address and when you are alerted by email",
    responses: { 200: ref("AgentEmailResponse") },
  },
  ...TEAM_WORK_ROUTES,
  ...EMAIL_CONVERSATION_ROUTES,
  ...PRIVACY_ROUTES,
  ...AUDIT_LOG_ROUTES,
  ...REPORT_ROUTES,
};

/**
 * Routes that answer something other than JSON for programs: pages, scripts, files and the
 * Prometheus text. They stay out of the document; every other route must be in ROUTES.
 */
export const NOT_IN_API = new Set([
  "GET /",
  "GET /metrics",
  "GET /widget.js",
  "GET /widget-app.js",
  "GET /widget-uploads.js",
  "GET /widget-prechat.js",
  "GET /widget-identify.js",
  "GET /widget-expect.js",
  "GET /widget-mail.js",
  "GET /widget-rating.js",
  "GET /uploads/:id/:variant",
  "GET /avatars/:file",
  "GET /api/openapi.json",
  "GET /api/reference",
  // (§16) Pages an email's unsubscribe link opens, and the one-click POST mail clients make
  // (RFC 8058): HTML answers, for people and mail clients, not programs.
  "GET /email/unsubscribe",
  "POST /email/unsubscribe",
]);

/** The inbox's pages and files (one route per built file): out of the document too. */
const INBOX_PREFIX = "GET /admin";

export function isOutOfApi(key: string): boolean {
  return NOT_IN_API.has(key) || key.startsWith(INBOX_PREFIX);
}
