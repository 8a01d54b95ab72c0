/**
 * What agents do with conversations: read them, answer, mark read, close, reopen, assign,
 * delete. Every change is committed first and announced after (events.ts). Each call names the
 * agent: a conversation of a site they do not answer (siteScope.ts) is not found.
 */
import {
  FULL_HISTORY_CAP,
  MAX_HISTORY_LIMIT,
  type AgentRef,
  type Conversation,
  type ConversationState,
  type ConversationStatus,
  type Message,
} from "@parley/protocol";
import { CATCH_UP_PAGE } from "../delivery/exactlyOnce.js";
import type { ConversationFilter, StoredConversation } from "../store/store.js";
import type { Attachments } from "./attachments.js";
import type { ChatContext } from "./context.js";
import type { SiteScope } from "./siteScope.js";
import { invalid, notFound } from "./errors.js";
import { toWireConversation, toWireMessage } from "./toWire.js";
import * as validate from "./validate.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface ConversationQuery {
  status?: ConversationStatus;
  /** (§15) Wins over `status`. */
  state?: ConversationState;
  labelId?: number;
  /** Only this site's conversations (within the agent's sites). */
  siteId?: number;
  assigneeId?: number | null;
  search?: string;
  before?: { updatedAt: string; id: number };
  limit?: number;
}

export interface InboxOptions {
  /** (§14) The owner setting `assign_on_reply`, read at each reply. */
  assignOnReply?: () => boolean;
  /** (§18) Told of every state change once it is announced; answers the conversation as it is then. */
  afterStateChange?: (after: StoredConversation, before: StoredConversation) => Promise<StoredConversation>;
}

export class Inbox {
  constructor(
    private readonly chat: ChatContext,
    private readonly attachments: Attachments,
    private readonly options: InboxOptions = {},
  ) {}

  async toWire(conversation: StoredConversation): Promise<Conversation> {
    const online = await this.chat.presence.onlineVisitors([conversation.visitorToken]);
    return toWireConversation(conversation, online.has(conversation.visitorToken));
  }

  async list(agent: AgentRef, query: ConversationQuery): Promise<Conversation[]> {
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const filter: ConversationFilter = { limit };
    const siteIds = (await this.chat.teams.scopeOf(agent.id)).filter(query.siteId);
    if (siteIds !== undefined) {
      if (siteIds.length === 0) return [];
      filter.siteIds = siteIds;
    }
    if (query.state !== undefined) filter.states = [query.state];
    else if (query.status !== undefined) filter.status = query.status;
    if (query.labelId !== undefined) filter.labelId = query.labelId;
    if (query.assigneeId !== undefined) filter.assigneeId = query.assigneeId;
    if (query.search !== undefined && query.search.trim() !== "")
      filter.search = query.search.trim().slice(0, 200);
    if (query.before !== undefined) filter.before = query.before;
    const rows = await this.chat.store.listConversations(filter);
    const online = await this.chat.presence.onlineVisitors(rows.map((row) => row.visitorToken));
    return rows.map((row) => toWireConversation(row, online.has(row.visitorToken)));
  }

  /** The conversation, if the agent answers its site; "Conversation not found" otherwise. */
  async get(agent: AgentRef, conversationId: number): Promise<StoredConversation> {
    const [conversation, scope] = await Promise.all([
      this.chat.store.getConversation(conversationId),
      this.chat.teams.scopeOf(agent.id),
    ]);
    if (conversation === undefined || !scope.covers(conversation.siteId)) throw notFound("Conversation");
    return conversation;
  }

  /**
   * Oldest first; with `beforeId`, the page just older than that message. Without `limit`, the
   * whole conversation up to FULL_HISTORY_CAP: the seed's admin page never pages.
   */
  async history(
    agent: AgentRef,
    conversationId: number,
    options: { beforeId?: number; limit?: number } = {},
  ): Promise<{ messages: Message[]; hasMore: boolean }> {
    await this.get(agent, conversationId);
    const limit =
      options.limit === undefined
        ? FULL_HISTORY_CAP
        : Math.min(Math.max(options.limit, 1), MAX_HISTORY_LIMIT);
    const rows = await this.chat.store.listMessages(conversationId, {
      ...(options.beforeId === undefined ? {} : { beforeId: options.beforeId }),
      limit: limit + 1,
    });
    const hasMore = rows.length > limit;
    return { messages: await this.attachments.toWireMessages(hasMore ? rows.slice(1) : rows), hasMore };
  }

  /** The newest message id of all: where an agent who asks for no `since` stands. */
  latestMessageId(): Promise<number> {
    return this.chat.store.latestMessageId();
  }

  /**
   * Every message after `afterId` in the conversations of the scope's sites, in id order, page
   * by page (agents' `since` catch-up). The scope is asked per message: it may move meanwhile.
   */
  async *messagesSince(
    afterId: number,
    scope: () => SiteScope,
  ): AsyncGenerator<{ conversationId: number; visitorName: string | null; message: Message }> {
    const conversations = new Map<number, StoredConversation | undefined>();
    let cursor = afterId;
    for (;;) {
      const rows = await this.chat.store.listMessagesSince(cursor, CATCH_UP_PAGE);
      const messages = await this.attachments.toWireMessages(rows);
      for (const [index, row] of rows.entries()) {
        const { conversationId } = row;
        if (!conversations.has(conversationId))
          conversations.set(conversationId, await this.chat.store.getConversation(conversationId));
        const conversation = conversations.get(conversationId);
        if (conversation === undefined || !scope().covers(conversation.siteId)) continue;
        yield { conversationId, visitorName: conversation.visitorName, message: messages[index]! };
      }
      if (rows.length < CATCH_UP_PAGE) return;
      cursor = rows[rows.length - 1]!.id;
    }
  }

  async send(
    agent: AgentRef,
    input: { conversationId: unknown; content: unknown; clientId: unknown; attachmentIds?: unknown },
  ): Promise<{ message: Message; conversation: StoredConversation; created: boolean }> {
    const conversationId = validate.id(input.conversationId, "conversation_id");
    const attachmentIds = validate.attachmentIds(input.attachmentIds);
    const content =
      attachmentIds.length > 0
        ? validate.captionContent(input.content)
        : validate.messageContent(input.content);
    const claim = this.attachments.claim(attachmentIds, { kind: "agent" });
    const clientId = validate.clientId(input.clientId);
    const conversation = await this.get(agent, conversationId);
    const { message, created, attachments } = await this.attachments.appendMessage({
      conversationId,
      sender: "admin",
      content,
      clientId,
      agentId: agent.id,
      agentName: agent.name,
      ...(claim === undefined ? {} : { attachments: claim }),
      at: this.chat.now().toISOString(),
    });
    if (created && this.chat.typing.stop(agentTypingKey(conversationId, agent.id))) {
      await this.chat.events.agentTyping(conversation, agent, false);
    }
    // A retry publishes again too: its first publish may have died with a node (see visitors).
    await this.chat.events.messagePosted(conversation, message, attachments);
    const current = created ? await this.assignOnReply(conversation, agent) : conversation;
    return { message: toWireMessage(message, attachments), conversation: current, created };
  }

  /**
   * (§14) With the owner setting on, a reply to a conversation assigned to nobody assigns it to
   * the one who replied, announced as any assignment is. One assigned to someone stays theirs,
   * also when it was assigned between the read and this write (the store's condition decides).
   */
  private async assignOnReply(
    conversation: StoredConversation,
    agent: AgentRef,
  ): Promise<StoredConversation> {
    if (conversation.assigneeId !== null || !(this.options.assignOnReply?.() ?? false)) return conversation;
    const updated = await this.chat.store.assignIfUnassigned(conversation.id, agent.id);
    if (updated === undefined) return conversation;
    await this.chat.events.assigneeChanged(updated, null);
    return updated;
  }

  async markRead(agent: AgentRef, conversationIdValue: unknown): Promise<StoredConversation> {
    const conversation = await this.get(agent, validate.id(conversationIdValue, "conversation_id"));
    const upToId = conversation.lastMessage?.id ?? 0;
    const updated = (await this.chat.store.markConversationRead(conversation.id, upToId)) ?? conversation;
    if (upToId > conversation.lastReadMessageId) await this.chat.events.readByAgent(updated, upToId);
    await this.chat.events.conversationChanged(updated);
    return updated;
  }

  async setStatus(
    agent: AgentRef,
    conversationIdValue: unknown,
    status: ConversationStatus,
  ): Promise<StoredConversation> {
    const conversation = await this.get(agent, validate.id(conversationIdValue, "conversation_id"));
    // (§15) close is resolved, reopen is open (from pending or snoozed too).
    const state = status === "closed" ? "resolved" : "open";
    if (conversation.state === state) return conversation;
    const updated = await this.chat.store.updateConversation(conversation.id, {
      state,
      stateAt: this.chat.now().toISOString(),
    });
    if (updated === undefined) throw notFound("Conversation");
    await this.chat.events.stateChanged(updated, conversation);
    return (await this.options.afterStateChange?.(updated, conversation)) ?? updated;
  }

  /** `agentIdValue` undefined: assign to `self`; null: unassign. */
  async assign(
    conversationIdValue: unknown,
    agentIdValue: unknown,
    self: AgentRef,
  ): Promise<StoredConversation> {
    const conversation = await this.get(self, validate.id(conversationIdValue, "conversation_id"));
    const assigneeId =
      agentIdValue === undefined ? self.id : (validate.optionalId(agentIdValue, "agent_id") ?? null);
    if (assigneeId !== null && (await this.chat.store.getAgent(assigneeId)) === undefined) {
      throw notFound("Agent");
    }
    const updated = await this.chat.store.updateConversation(conversation.id, { assigneeId });
    if (updated === undefined) throw notFound("Conversation");
    await this.chat.events.assigneeChanged(updated, conversation.assigneeId);
    return updated;
  }

  /** Deletes the conversation and answers what it was (for the audit log). */
  async delete(agent: AgentRef, conversationIdValue: unknown): Promise<StoredConversation> {
    const conversation = await this.get(agent, validate.id(conversationIdValue, "conversation_id"));
    if (!(await this.chat.store.deleteConversation(conversation.id))) throw notFound("Conversation");
    await this.chat.events.conversationDeleted(conversation);
    // The messages' attachments were detached by the delete; their files go now, not at the
    // next periodic sweep. A failure here leaves them to that sweep.
    await this.attachments.sweep().catch((error: unknown) => {
      this.chat.logger.error({ err: error }, "removing a deleted conversation's files failed");
    });
    return conversation;
  }

  async typing(agent: AgentRef, conversationIdValue: unknown, typingValue: unknown): Promise<void> {
    const typing = validate.typingFlag(typingValue);
    const conversation = await this.get(agent, validate.id(conversationIdValue, "conversation_id"));
    await this.chat.typing.update(
      agentTypingKey(conversation.id, agent.id),
      typing,
      this.chat.now().getTime(),
      (value) => this.chat.events.agentTyping(conversation, agent, value),
    );
  }
}

export function agentTypingKey(conversationId: number, agentId: number): string {
  return `agent:${conversationId}:${agentId}`;
}

export function statusFilter(value: unknown): ConversationStatus | undefined {
  if (value === undefined || value === null || value === "all" || value === "") return undefined;
  if (value === "open" || value === "closed") return value;
  throw invalid('status must be "open", "closed" or "all"');
}
