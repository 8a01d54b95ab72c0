/** Small builders for wire shapes, so each test states only what it is about. */
import {
  messagePreview,
  type Agent,
  type Contact,
  type Conversation,
  type ConversationContextResponse,
  type Message,
  type OwnerSettings,
  type PageView,
  type Site,
} from "@parley/protocol";

export function message(id: number, overrides: Partial<Message> = {}): Message {
  return {
    id,
    sender: "visitor",
    content: `message ${id}`,
    created_at: new Date(Date.UTC(2025, 0, 1, 12, 0, id)).toISOString(),
    ...overrides,
  };
}

/** As the server sends it: `last_message` is the preview of `latest_message` unless overridden. */
export function conversation(id: number, overrides: Partial<Conversation> = {}): Conversation {
  const latest = overrides.latest_message ?? null;
  return {
    id,
    session_token: `token-${id}-${"x".repeat(16)}`,
    visitor_name: `Visitor ${id}`,
    unread_count: 0,
    ...(latest === null ? {} : { last_message: messagePreview(latest) }),
    latest_message: null,
    rating: null,
    updated_at: new Date(Date.UTC(2025, 0, 1, 10, id)).toISOString(),
    created_at: new Date(Date.UTC(2025, 0, 1, 9, 0)).toISOString(),
    status: "open",
    assignee_id: null,
    visitor_online: false,
    visitor_last_seen_at: null,
    site_id: 1,
    contact_id: null,
    // (§15) The state follows an overridden seed status unless told.
    state: overrides.status === "closed" ? "resolved" : "open",
    snoozed_until: null,
    label_ids: [],
    ...overrides,
  };
}

/** An agent (owner for id 1 unless told), online, as `GET /agents` answers. */
export function agent(id: number, overrides: Partial<Agent> = {}): Agent {
  return {
    id,
    username: `agent${id}`,
    name: `Agent ${id}`,
    role: id === 1 ? "owner" : "agent",
    avatar_url: null,
    created_at: "2025-01-01T00:00:00.000Z",
    availability: "online",
    chosen_availability: "online",
    ...overrides,
  };
}

/** A site (§10) with the server's defaults; site 1 is the default site. */
export function site(id: number, overrides: Partial<Site> = {}): Site {
  return {
    id,
    key: `key-of-site-${id}`,
    name: `Site ${id}`,
    is_default: id === 1,
    archived_at: null,
    allowed_origins: [],
    widget: {
      title: "Chat with us",
      greeting: "Hi! How can we help?",
      color: "#2563eb",
      position: "right",
      launcher_label: null,
      locale: null,
      away_message: "We're away.",
      prechat: { name: "off", email: "off" },
      ask_rating: true,
      privacy_url: null,
    },
    business_hours: null,
    agent_ids: null,
    fixed_by_environment: [],
    identity_required: false,
    keep_query_strings: false,
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

/** A contact (§12) of site 1, anonymous and unverified unless told. */
export function contact(id: number, overrides: Partial<Contact> = {}): Contact {
  return {
    id,
    site_id: 1,
    external_id: null,
    verified: false,
    name: null,
    email: null,
    attributes: {},
    locale: null,
    email_unsubscribed_at: null,
    first_seen_at: "2026-01-01T09:00:00.000Z",
    last_seen_at: "2026-01-01T10:00:00.000Z",
    created_at: "2026-01-01T09:00:00.000Z",
    updated_at: "2026-01-01T10:00:00.000Z",
    ...overrides,
  };
}

export function pageView(minute: number, path = `/page-${minute}`): PageView {
  return {
    url: `https://shop.example${path}`,
    title: `Page ${minute}`,
    at: new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString(),
  };
}

/** GET /conversations/:id/context with one page seen, as the server answers it. */
export function contextResponse(
  conversationId: number,
  overrides: Partial<ConversationContextResponse> = {},
): ConversationContextResponse {
  const first = pageView(0, "/");
  return {
    conversation_id: conversationId,
    context: {
      first_page: first,
      current_page: first,
      pages: [first],
      referrer: null,
      utm: {},
      browser: "Chrome 120",
      os: "macOS",
      device: "desktop",
      user_agent: "Mozilla/5.0",
      language: "fr-FR",
      time_zone: "Europe/Paris",
      first_seen_at: first.at,
      last_seen_at: first.at,
    },
    contact: null,
    past_conversations: [],
    ...overrides,
  };
}

/** The owner settings as a fresh server answers them (every section's defaults), changed as told. */
export function ownerSettings(overrides: Partial<OwnerSettings> = {}): OwnerSettings {
  return {
    rate_limit_per_minute: 20,
    new_conversations_per_ip_per_hour: 0,
    max_upload_mb: 10,
    assign_on_reply: true,
    auto_assign: "off",
    auto_assign_cap: 0,
    away_after_idle_minutes: 10,
    email_replies_after_minutes: 5,
    ask_email_after_minutes: 3,
    retention_days: 0,
    audit_log_days: 365,
    ...overrides,
  };
}
