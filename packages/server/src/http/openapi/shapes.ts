/**
 * The wire shapes of packages/protocol/src/wire.ts as JSON Schemas, for the OpenAPI document's
 * `components.schemas`. They describe answers only: requests are checked by each route's own
 * schema. Every object is closed (`additionalProperties: false`), so the OpenAPI test fails
 * when the server sends a field the document does not name: wire.ts, docs/protocol.md and these
 * change together.
 */

import { MAX_TEAM_FACES } from "@parley/protocol";
import { PRIVACY_SHAPES } from "./privacy.js";
import { AUDIT_LOG_SHAPES } from "./auditLog.js";
import { REPORT_SHAPES } from "./reports.js";
import { EMAIL_CONVERSATION_SHAPES } from "./emailConversations.js";
import { TEAM_WORK_SHAPES } from "./teamWork.js";

const time = { type: "string", format: "date-time" } as const;
const id = { type: "integer", minimum: 1 } as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: "null" }] });

/** A closed object whose listed keys are all required but those in `optional`. */
function object(properties: Record<string, unknown>, optional: string[] = []) {
  return {
    type: "object",
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    additionalProperties: false,
  } as const;
}

const ref = (name: string) => ({ $ref: `${name}#` });

const AgentRef = object({ id, name: { type: "string" } });

const Attachment = object(
  {
    id,
    filename: { type: "string" },
    content_type: { type: "string" },
    byte_size: { type: "integer", minimum: 0 },
    url: { type: "string" },
    thumbnail_url: { type: "string" },
    width: { type: "integer" },
    height: { type: "integer" },
  },
  ["thumbnail_url", "width", "height"],
);

const Message = object(
  {
    id,
    sender: { type: "string", enum: ["visitor", "admin"] },
    content: { type: "string" },
    created_at: time,
    client_id: { type: "string" },
    agent: ref("AgentRef"),
    attachments: { type: "array", items: ref("Attachment") },
    /** (§16) An answer by email. */
    via: { type: "string", enum: ["email"] },
  },
  ["client_id", "agent", "attachments", "via"],
);

const Conversation = object(
  {
    id,
    session_token: { type: "string" },
    visitor_name: nullable({ type: "string" }),
    unread_count: { type: "integer", minimum: 0 },
    last_message: { type: "string", description: "The latest message's preview text (seed)." },
    updated_at: time,
    created_at: time,
    latest_message: nullable(ref("Message")),
    status: { type: "string", enum: ["open", "closed"] },
    assignee_id: nullable(id),
    visitor_online: { type: "boolean" },
    visitor_last_seen_at: nullable(time),
    site_id: id,
    contact_id: nullable(id),
    state: { type: "string", enum: ["open", "pending", "snoozed", "resolved"] },
    snoozed_until: nullable(time),
    label_ids: { type: "array", items: id },
    rating: nullable(ref("ConversationRating")),
  },
  ["last_message"],
);

/** (§18) A visitor's rating of a conversation. */
const ConversationRating = object({
  score: { type: "integer", minimum: 1, maximum: 5 },
  comment: nullable({ type: "string" }),
  agent_id: nullable(id),
  rated_at: time,
});

const Agent = object({
  id,
  username: { type: "string" },
  name: { type: "string" },
  role: { type: "string", enum: ["owner", "agent"] },
  created_at: time,
  avatar_url: nullable({ type: "string" }),
  availability: { type: "string", enum: ["online", "away", "offline"] },
  chosen_availability: { type: "string", enum: ["online", "away", "offline"] },
});

const ErrorBody = object(
  {
    error: { type: "string" },
    code: {
      type: "string",
      enum: [
        "invalid_request",
        "unauthorized",
        "forbidden",
        "not_found",
        "conflict",
        "payload_too_large",
        "unsupported_media_type",
        "unprocessable",
        "rate_limited",
        "internal",
      ],
    },
  },
  ["code"],
);

const interval = object({ open: { type: "string" }, close: { type: "string" } });
const BusinessHours = object({
  time_zone: { type: "string" },
  weekly: {
    type: "object",
    properties: Object.fromEntries(
      ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((day) => [
        day,
        { type: "array", items: interval },
      ]),
    ),
    additionalProperties: false,
  },
  closed_days: { type: "array", items: { type: "string" } },
});

const prechatField = { type: "string", enum: ["off", "optional", "required"] } as const;
const PrechatSettings = object({ name: prechatField, email: prechatField });

const SiteWidgetSettings = object({
  title: { type: "string" },
  greeting: { type: "string" },
  color: { type: "string" },
  position: { type: "string", enum: ["left", "right"] },
  launcher_label: nullable({ type: "string" }),
  locale: nullable({ type: "string" }),
  away_message: { type: "string" },
  prechat: ref("PrechatSettings"),
  ask_rating: { type: "boolean" },
  privacy_url: nullable({ type: "string", format: "uri" }),
});

const Site = object({
  id,
  key: { type: "string" },
  name: { type: "string" },
  is_default: { type: "boolean" },
  archived_at: nullable(time),
  allowed_origins: { type: "array", items: { type: "string" } },
  widget: ref("SiteWidgetSettings"),
  business_hours: nullable(ref("BusinessHours")),
  agent_ids: nullable({ type: "array", items: id }),
  fixed_by_environment: { type: "array", items: { type: "string" } },
  identity_required: { type: "boolean" },
  keep_query_strings: { type: "boolean" },
  created_at: time,
  updated_at: time,
});

const TeamMember = object({
  id,
  name: { type: "string" },
  avatar_url: nullable({ type: "string" }),
  online: { type: "boolean" },
});

const WidgetConfig = object({
  title: { type: "string" },
  greeting: { type: "string" },
  color: { type: "string" },
  position: { type: "string", enum: ["left", "right"] },
  locale: nullable({ type: "string" }),
  launcher_label: nullable({ type: "string" }),
  agents_online: { type: "boolean" },
  site_key: { type: "string" },
  away_message: { type: "string" },
  within_hours: { type: "boolean" },
  next_open_at: nullable(time),
  time_zone: nullable({ type: "string" }),
  hours_change_at: nullable(time),
  prechat: ref("PrechatSettings"),
  team: { type: "array", maxItems: MAX_TEAM_FACES, items: ref("TeamMember") },
  reply_time_seconds: nullable({ type: "integer", minimum: 0 }),
  email_enabled: { type: "boolean" },
  ask_email_after_seconds: nullable({ type: "integer", minimum: 0 }),
  privacy_url: nullable({ type: "string", format: "uri" }),
});

const OwnerSettingsResponse = object({
  settings: object({
    rate_limit_per_minute: { type: "integer" },
    new_conversations_per_ip_per_hour: { type: "integer" },
    max_upload_mb: { type: "integer" },
    assign_on_reply: { type: "boolean" },
    auto_assign: { type: "string", enum: ["off", "round_robin"] },
    auto_assign_cap: { type: "integer", minimum: 0, maximum: 1000 },
    away_after_idle_minutes: { type: "integer", minimum: 0, maximum: 1440 },
    email_replies_after_minutes: { type: "integer", minimum: 0, maximum: 1440 },
    ask_email_after_minutes: { type: "integer", minimum: 0, maximum: 1440 },
    /** (§17) */
    retention_days: { type: "integer", minimum: 0, maximum: 3650 },
    audit_log_days: { type: "integer", minimum: 1, maximum: 3650 },
  }),
  fixed_by_environment: { type: "array", items: { type: "string" } },
});

const AvatarResponse = object({ agent: ref("Agent") });

/** (§16) */
const EmailStatusResponse = object({
  sending: { type: "boolean" },
  receiving: { type: "boolean" },
  from: nullable({ type: "string" }),
  reply_to: nullable({ type: "string" }),
  last_fetch_at: nullable(time),
  last_fetch_error: nullable({ type: "string" }),
  queued: { type: "integer", minimum: 0 },
  failed_last_day: { type: "integer", minimum: 0 },
});

const AgentEmailResponse = object({
  email: nullable({ type: "string" }),
  email_alerts: { type: "string", enum: ["off", "within_hours", "always"] },
  email_alert_after_minutes: { type: "integer", minimum: 1, maximum: 1440 },
});

const OnboardingResponse = object({
  widget_installed: { type: "boolean" },
  has_conversation: { type: "boolean" },
  team_size: { type: "integer", minimum: 0 },
});

const ApiToken = object({
  id,
  agent_id: id,
  name: { type: "string" },
  scope: { type: "string", enum: ["read", "read_write"] },
  hint: { type: "string" },
  created_at: time,
  expires_at: nullable(time),
  last_used_at: nullable(time),
});

const webhookEvent = {
  type: "string",
  enum: [
    "conversation.created",
    "message.created",
    "conversation.status_changed",
    "conversation.assigned",
    "contact.identified",
  ],
} as const;

const Webhook = object({
  id,
  site_id: id,
  url: { type: "string" },
  events: { type: "array", items: webhookEvent },
  format: { type: "string", enum: ["parley", "slack"] },
  enabled: { type: "boolean" },
  disabled_at: nullable(time),
  disabled_reason: nullable({ type: "string" }),
  failing_since: nullable(time),
  created_at: time,
  updated_at: time,
});

const WebhookDelivery = object({
  id,
  webhook_id: id,
  event_id: { type: "string" },
  event_type: webhookEvent,
  conversation_id: nullable(id),
  status: { type: "string", enum: ["pending", "delivered", "failed"] },
  attempts: { type: "integer", minimum: 0 },
  next_attempt_at: nullable(time),
  response_status: nullable({ type: "integer" }),
  last_error: nullable({ type: "string" }),
  duration_ms: nullable({ type: "integer", minimum: 0 }),
  created_at: time,
  updated_at: time,
  delivered_at: nullable(time),
});

const attributeValue = {
  anyOf: [
    { type: "string" },
    { type: "number" },
    { type: "boolean" },
    object({ date: { type: "string", format: "date-time" } }),
  ],
};

const Contact = object({
  id,
  site_id: id,
  external_id: nullable({ type: "string" }),
  verified: { type: "boolean" },
  name: nullable({ type: "string" }),
  email: nullable({ type: "string" }),
  attributes: { type: "object", additionalProperties: attributeValue },
  locale: nullable({ type: "string" }),
  email_unsubscribed_at: nullable(time),
  first_seen_at: time,
  last_seen_at: time,
  created_at: time,
  updated_at: time,
});

const PageView = object({ url: { type: "string" }, title: nullable({ type: "string" }), at: time });

const text = nullable({ type: "string" });
const VisitorContext = object(
  {
    first_page: nullable(ref("PageView")),
    current_page: nullable(ref("PageView")),
    pages: { type: "array", items: ref("PageView") },
    referrer: text,
    utm: { type: "object", additionalProperties: { type: "string" } },
    browser: text,
    os: text,
    device: text,
    user_agent: text,
    language: text,
    time_zone: text,
    ip_address: text,
    first_seen_at: nullable(time),
    last_seen_at: nullable(time),
  },
  ["ip_address"],
);

/** (§15) */
const Label = object({
  id,
  name: { type: "string" },
  color: { type: "string", pattern: "^#[0-9a-f]{6}$" },
  created_at: time,
});
const ViewCounts = object({
  mine: { type: "integer", minimum: 0 },
  unassigned: { type: "integer", minimum: 0 },
  all: { type: "integer", minimum: 0 },
});

/**
 * Every shape by its name, as `components.schemas` names it and `{$ref: "Name#"}` reaches it.
 * A shape comes after the shapes it refers to (the document's resolver reads them in order).
 */
export const SHAPES = {
  AgentRef,
  Attachment,
  Message,
  Conversation,
  ConversationRating,
  Agent,
  ErrorBody,
  BusinessHours,
  PrechatSettings,
  SiteWidgetSettings,
  Site,
  TeamMember,
  WidgetConfig,
  OwnerSettingsResponse,
  AvatarResponse,
  EmailStatusResponse,
  AgentEmailResponse,
  OnboardingResponse,
  ApiToken,
  Webhook,
  WebhookDelivery,
  Contact,
  PageView,
  VisitorContext,
  Label,
  ViewCounts,
  ...TEAM_WORK_SHAPES,
  ...EMAIL_CONVERSATION_SHAPES,
  ...PRIVACY_SHAPES,
  ...AUDIT_LOG_SHAPES,
  ...REPORT_SHAPES,
} as const;

export type ShapeName = keyof typeof SHAPES;

export { object, ref, nullable };
