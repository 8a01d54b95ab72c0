/**
 * Database rows (snake_case, as both drivers return them) to the Stored* shapes of store.ts.
 * The only place that knows both spellings.
 */
import type { Selectable } from "kysely";
import type {
  AgentsTable,
  AttachmentsTable,
  ContactsTable,
  ConversationsTable,
  JobsTable,
  MessagesTable,
  PushSubscriptionsTable,
  SessionsTable,
  SitesTable,
  VisitorsTable,
} from "./schema.js";
import type {
  BareConversation,
  StoredAgent,
  StoredAttachment,
  StoredContact,
  StoredConversation,
  StoredJob,
  StoredMessage,
  StoredPushSubscription,
  StoredSession,
  StoredSite,
  StoredVisitor,
} from "./store.js";
import type { StoredRating } from "./ratingStore.js";

export type MessageRow = Selectable<MessagesTable>;
export type ConversationRow = Selectable<ConversationsTable>;

/** A conversation row with its label ids and rating, selected in the same statement. */
export interface ConversationWithLabelsRow extends ConversationRow {
  /** (§15) The label ids, comma-separated; null: none. */
  label_ids: string | null;
  /** (§18) The rating's columns, joined by primary key; all null: none. */
  rating_score: number | null;
  rating_comment: string | null;
  rating_agent_id: number | null;
  rating_rated_at: string | null;
}

/** ...and joined with its latest message, whose columns are `last_*` (null if none). */
export interface ConversationWithLastRow extends ConversationWithLabelsRow {
  last_id: number | null;
  last_sender: MessageRow["sender"] | null;
  last_content: string | null;
  last_created_at: string | null;
  last_client_id: string | null;
  last_agent_id: number | null;
  last_agent_name: string | null;
  last_via: MessageRow["via"];
  /** How many attachments the latest message has (Postgres counts as bigint, hence the text). */
  last_file_count: number | string | bigint | null;
  /** The name of its first attachment, in upload (id) order. */
  last_first_file: string | null;
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    sender: row.sender,
    content: row.content,
    createdAt: row.created_at,
    clientId: row.client_id,
    agentId: row.agent_id,
    agentName: row.agent_name,
    // Absent unless set, so the wire's `via` stays absent on every other message.
    ...(row.via === "email" ? { via: "email" as const } : {}),
  };
}

export function toConversation(
  row: ConversationRow,
  lastMessage: StoredMessage | null,
  lastMessageFiles: StoredConversation["lastMessageFiles"] = null,
  labelIds: number[] = [],
  rating: StoredRating | null = null,
): StoredConversation {
  return {
    id: row.id,
    visitorToken: row.visitor_token,
    visitorName: row.visitor_name,
    status: row.status,
    assigneeId: row.assignee_id,
    unreadCount: row.unread_count,
    lastReadMessageId: row.last_read_message_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    visitorLastSeenAt: row.visitor_last_seen_at,
    siteId: row.site_id,
    // Absent in rows a server before migration 007 would not select; null then.
    contactId: row.contact_id ?? null,
    // A node of the previous release (a rolling deploy) writes only `status`: it decides resolved.
    state: row.status === "closed" ? "resolved" : row.state === "resolved" ? "open" : row.state,
    snoozedUntil: row.snoozed_until,
    labelIds,
    lastMessage,
    lastMessageFiles,
    // Absent in rows a server before migration 015 would not select; null then.
    ratingRequestedAt: row.rating_requested_at ?? null,
    rating,
  };
}

export function toConversationWithLast(row: ConversationWithLastRow): StoredConversation {
  const lastMessage =
    row.last_id === null ||
    row.last_sender === null ||
    row.last_content === null ||
    row.last_created_at === null
      ? null
      : toMessage({
          id: row.last_id,
          conversation_id: row.id,
          sender: row.last_sender,
          content: row.last_content,
          created_at: row.last_created_at,
          client_id: row.last_client_id,
          agent_id: row.last_agent_id,
          agent_name: row.last_agent_name,
          via: row.last_via,
        });
  const fileCount = Number(row.last_file_count ?? 0);
  const files =
    lastMessage !== null && fileCount > 0 && row.last_first_file !== null
      ? { count: fileCount, firstName: row.last_first_file }
      : null;
  return toConversation(row, lastMessage, files, labelIdsOf(row), ratingOf(row));
}

/** A conversation without its latest message (the bare read of store.ts). */
export function toBareConversation(row: ConversationWithLabelsRow): BareConversation {
  const {
    lastMessage: _message,
    lastMessageFiles: _files,
    ...bare
  } = toConversation(row, null, null, labelIdsOf(row), ratingOf(row));
  return bare;
}

function labelIdsOf(row: ConversationWithLabelsRow): number[] {
  return row.label_ids === null || row.label_ids === ""
    ? []
    : row.label_ids
        .split(",")
        .map(Number)
        .sort((a, b) => a - b);
}

function ratingOf(row: ConversationWithLabelsRow): StoredRating | null {
  return row.rating_score === null || row.rating_rated_at === null
    ? null
    : {
        score: row.rating_score,
        comment: row.rating_comment,
        agentId: row.rating_agent_id,
        ratedAt: row.rating_rated_at,
      };
}

export function toAgent(row: Selectable<AgentsTable>): StoredAgent {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    avatarFile: row.avatar_file ?? null,
    chosenAvailability: row.chosen_availability ?? "online",
    lastAutoAssignedAt: row.last_auto_assigned_at ?? null,
  };
}

export function toSession(row: Selectable<SessionsTable>): StoredSession {
  return { id: row.id, agentId: row.agent_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

export function toPushSubscription(row: Selectable<PushSubscriptionsTable>): StoredPushSubscription {
  return {
    id: row.id,
    agentId: row.agent_id,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    createdAt: row.created_at,
  };
}

export function toJob(row: Selectable<JobsTable>): StoredJob {
  return {
    id: row.id,
    kind: row.kind,
    payload: row.payload,
    state: row.state,
    dedupeKey: row.dedupe_key,
    runAt: row.run_at,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

export function toAttachment(row: Selectable<AttachmentsTable>): StoredAttachment {
  return {
    id: row.id,
    storageKey: row.storage_key,
    thumbnailKey: row.thumbnail_key,
    filename: row.filename,
    contentType: row.content_type,
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    uploadedBy: row.uploaded_by,
    visitorToken: row.visitor_token,
    agentId: row.agent_id,
    messageId: row.message_id,
    attachedAt: row.attached_at,
    createdAt: row.created_at,
    uploaderIp: row.uploader_ip,
  };
}

export function toSite(row: Selectable<SitesTable>): StoredSite {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    isDefault: Number(row.is_default) === 1,
    archivedAt: row.archived_at,
    allowedOrigins: JSON.parse(row.allowed_origins) as StoredSite["allowedOrigins"],
    // Sites a server before migration 007 created during a deploy swap have no `prechat`: off.
    widget: {
      prechat: PRECHAT_OFF,
      // Sites from before §18: ratings asked, no privacy link.
      ask_rating: true,
      privacy_url: null,
      ...(JSON.parse(row.widget) as Partial<StoredSite["widget"]>),
    } as StoredSite["widget"],
    businessHours:
      row.business_hours === null ? null : (JSON.parse(row.business_hours) as StoredSite["businessHours"]),
    agentIds: row.agent_ids === null ? null : (JSON.parse(row.agent_ids) as StoredSite["agentIds"]),
    identitySecret: row.identity_secret,
    identityRequired: Number(row.identity_required) === 1,
    keepQueryStrings: Number(row.keep_query_strings) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const PRECHAT_OFF = { name: "off", email: "off" } as const;

export function toContact(row: Selectable<ContactsTable>): StoredContact {
  return {
    id: row.id,
    siteId: row.site_id,
    externalId: row.external_id,
    verified: Number(row.verified) === 1,
    name: row.name,
    email: row.email,
    attributes: JSON.parse(row.attributes) as StoredContact["attributes"],
    sessionToken: row.session_token,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    locale: row.locale ?? null,
    emailUnsubscribedAt: row.email_unsubscribed_at ?? null,
  };
}

export function toVisitor(row: Selectable<VisitorsTable>): StoredVisitor {
  return {
    id: row.id,
    siteId: row.site_id,
    token: row.token,
    contactId: row.contact_id,
    firstPage:
      row.first_page_url === null || row.first_page_at === null
        ? null
        : { url: row.first_page_url, title: row.first_page_title, at: row.first_page_at },
    referrer: row.referrer,
    utm: row.utm === null ? {} : (JSON.parse(row.utm) as Record<string, string>),
    userAgent: row.user_agent,
    browser: row.browser,
    os: row.os,
    device: row.device,
    language: row.language,
    timeZone: row.time_zone,
    ipAddress: row.ip_address,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
  };
}
