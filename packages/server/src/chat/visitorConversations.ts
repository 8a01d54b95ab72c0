/**
 * What a visitor can do: see their conversation, write (within their limits), type, come and go.
 * The visitor is known only by their token; their conversation starts with their first message.
 */
import { FULL_HISTORY_CAP, MAX_VISITOR_NAME_LENGTH, type Attachment, type Message } from "@parley/protocol";
import type { BareConversation, StoredConversation, StoredMessage } from "../store/store.js";
import type { Attachments } from "./attachments.js";
import type { ChatContext } from "./context.js";
import { ChatError } from "./errors.js";
import { toWireMessage } from "./toWire.js";
import * as validate from "./validate.js";
import { visitorNameBeside } from "./visitorNames.js";

export type VisitorSendResult =
  | { kind: "stored"; message: Message; conversation: StoredConversation; created: boolean }
  | { kind: "too_fast"; retryAfterMs: number };

export interface VisitorSend {
  token: string;
  address: string;
  content: unknown;
  visitorName: unknown;
  clientId: unknown;
  /** Uploads of this visitor's to carry (protocol §3 `attachment_ids`). */
  attachmentIds?: unknown;
  /** The site the visitor writes from (protocol §10): a new conversation starts on it. */
  siteId: number;
}

export interface VisitorConversationsOptions {
  /** (§15) A visitor's first message started the conversation, told after that message (round-robin). */
  started?: (conversation: StoredConversation) => Promise<unknown>;
}

export class VisitorConversations {
  constructor(
    private readonly chat: ChatContext,
    private readonly attachments: Attachments,
    private readonly options: VisitorConversationsOptions = {},
  ) {}

  find(token: string): Promise<StoredConversation | undefined> {
    return this.chat.store.findConversationByToken(token);
  }

  /**
   * The messages to show on subscribe: the newest `limit` (the seed's widget sends none and gets
   * the whole conversation up to FULL_HISTORY_CAP), or, catching up, every one after `since` up to
   * that cap, whatever `limit` says (a catch-up must not skip messages).
   */
  async history(conversationId: number, since: number | undefined, limit?: number): Promise<Message[]> {
    const stored = await this.chat.store.listMessages(conversationId, {
      ...(since === undefined ? {} : { afterId: since }),
      limit:
        since === undefined && limit !== undefined ? Math.min(limit, FULL_HISTORY_CAP) : FULL_HISTORY_CAP,
    });
    return this.attachments.toWireMessages(stored);
  }

  async send(input: VisitorSend): Promise<VisitorSendResult> {
    const attachmentIds = validate.attachmentIds(input.attachmentIds);
    const content =
      attachmentIds.length > 0
        ? validate.captionContent(input.content)
        : validate.messageContent(input.content);
    const claim = this.attachments.claim(attachmentIds, { kind: "visitor", token: input.token });
    const requestedName = validate.visitorName(input.visitorName);
    const clientId = validate.clientId(input.clientId);

    const limit = await this.chat.limits.messages.take(input.token);
    if (!limit.ok) return { kind: "too_fast", retryAfterMs: limit.retryAfterMs };

    // Without its latest message: the append below makes the new one latest (conversationAfter).
    const found = await this.chat.store.findBareConversationByToken(input.token);
    // The channel refused such a token at subscribe; this catches one whose conversation started
    // on another site since (two tabs, two sites, one token).
    if (found !== undefined && found.siteId !== input.siteId) throw otherSite();
    const visitorName = await this.nameToStore(requestedName, found);
    const newMessage = {
      sender: "visitor" as const,
      content,
      clientId,
      agentId: null,
      agentName: null,
      ...(visitorName === undefined ? {} : { visitorName }),
      ...(claim === undefined ? {} : { attachments: claim }),
      at: this.chat.now().toISOString(),
    };
    let appended;
    if (found === undefined) {
      const cap = await this.chat.limits.newConversations.take(input.address);
      if (!cap.ok) return { kind: "too_fast", retryAfterMs: cap.retryAfterMs };
      // A visitor who identified or left details first starts the conversation as that contact.
      const contact = await this.contactOf(input.siteId, input.token);
      // The conversation is created in the message's transaction: one commit instead of two.
      appended = await this.attachments.appendFirstMessage({
        ...newMessage,
        conversation: {
          token: input.token,
          visitorName: visitorName ?? contact?.visitorName ?? null,
          createdIp: input.address,
          siteId: input.siteId,
          contactId: contact?.id ?? null,
        },
      });
    } else {
      const sent = await this.attachments.appendMessage({ ...newMessage, conversationId: found.id });
      appended = { conversation: conversationAfter(found, sent, visitorName), ...sent };
    }
    const { conversation, message, created, attachments } = appended;
    if (!created) {
      // A retry: its first publish may have died with a node between commit and publish, so
      // publish again; every receiver drops a message id it already holds.
      await this.chat.events.messagePosted(conversation, message, attachments);
      return { kind: "stored", message: toWireMessage(message, attachments), conversation, created };
    }

    const current = await this.posted(conversation, message, attachments, {
      started: found === undefined,
      ...(visitorName === undefined ? {} : { visitorName }),
    });
    return { kind: "stored", message: toWireMessage(message, attachments), conversation: current, created };
  }

  /**
   * (§16) A visitor's answer that came by another way than the widget (an email the mailbox
   * reader matched to the conversation): the visitor's message with `via`, published, reopening
   * and alerting like any other. Not counted against the visitor's rate: whoever reads the other
   * way limits it. `attachmentIds`: uploads made for this answer with the conversation's token.
   * `clientId` names the answer (e.g. from the mail's Message-ID): posted again, the stored
   * message comes back and nothing is published, so a reader that saw it before a crash and sees
   * it again after posts it once.
   */
  async postAnswer(input: {
    conversationId: number;
    content: string;
    attachmentIds: number[];
    via: "email";
    clientId: string;
  }): Promise<{ message: Message; conversation: StoredConversation; created: boolean }> {
    const found = await this.chat.store.getConversation(input.conversationId);
    if (found === undefined) throw new ChatError("not_found", "Conversation not found");
    const content =
      input.attachmentIds.length > 0
        ? validate.captionContent(input.content)
        : validate.messageContent(input.content);
    const claim = this.attachments.claim(input.attachmentIds, { kind: "visitor", token: found.visitorToken });
    const { message, attachments, created } = await this.attachments.appendMessage({
      conversationId: found.id,
      sender: "visitor",
      content,
      clientId: validate.clientId(input.clientId),
      agentId: null,
      agentName: null,
      via: input.via,
      ...(claim === undefined ? {} : { attachments: claim }),
      at: this.chat.now().toISOString(),
    });
    if (!created) return { message: toWireMessage(message, attachments), conversation: found, created };
    const conversation = await this.posted(found, message, attachments, { started: false });
    return { message: toWireMessage(message, attachments), conversation, created };
  }

  /**
   * What follows a new visitor message's commit: typing stops, a resolved, pending or snoozed
   * conversation reopens, agents hear it (live, webhooks, alerts). Returns the conversation as it
   * is now.
   */
  private async posted(
    conversation: StoredConversation,
    message: StoredMessage,
    attachments: Attachment[],
    how: { started: boolean; visitorName?: string | null },
  ): Promise<StoredConversation> {
    if (this.chat.typing.stop(visitorTypingKey(conversation.id))) {
      await this.chat.events.visitorTyping(conversation, false);
    }
    // A visitor writing again reopens a resolved, pending or snoozed conversation (§15): nobody
    // should miss it. The store's condition decides, so a concurrent change is not undone.
    const reopened =
      conversation.state !== "open" ? await this.chat.store.reopenForVisitor(conversation.id) : undefined;
    // messagePosted needs only the id, the token and the name: no second read on the hot path.
    const current = reopened ?? {
      ...conversation,
      visitorName: how.visitorName === undefined ? conversation.visitorName : how.visitorName,
    };
    if (how.started) this.chat.events.conversationStarted(current);
    await this.chat.events.messagePosted(current, message, attachments);
    if (how.started && this.options.started !== undefined) {
      // The message is stored and sent: a failed assignment leaves the conversation unassigned.
      await this.options.started(current).catch((error: unknown) => {
        this.chat.logger.error({ err: error, conversation: current.id }, "automatic assignment failed");
      });
    }
    if (reopened !== undefined) await this.chat.events.stateChanged(reopened, conversation);
    await this.chat.alerts.visitorMessagePosted(current, message);
    return current;
  }

  /** The contact the token's visitor is on the site, with its name as a visitor name. */
  private async contactOf(
    siteId: number,
    token: string,
  ): Promise<{ id: number; visitorName: string | null } | undefined> {
    const visitor = await this.chat.store.findVisitor(siteId, token);
    if (visitor === undefined || visitor.contactId === null) return undefined;
    const contact = await this.chat.store.getContact(visitor.contactId);
    if (contact === undefined) return undefined;
    const name = contact.name === null ? null : await this.nameToStore(cutName(contact.name), undefined);
    return { id: contact.id, visitorName: name ?? null };
  }

  /**
   * The name to store: unchanged when the visitor sends the one they have (the widget sends it
   * with every message), otherwise checked against the team's names (visitorNames.ts).
   */
  private async nameToStore(
    requested: string | null | undefined,
    conversation: Pick<StoredConversation, "visitorName"> | undefined,
  ): Promise<string | null | undefined> {
    if (requested === undefined || requested === null || requested === conversation?.visitorName)
      return requested;
    const agents = await this.chat.store.listAgents();
    const name = visitorNameBeside(
      requested,
      agents.map((agent) => agent.name),
    );
    return name === conversation?.visitorName ? undefined : name;
  }

  async typing(token: string, typingValue: unknown): Promise<void> {
    const typing = validate.typingFlag(typingValue);
    // Typing is told by the conversation's id and site: its latest message is not needed.
    const conversation = await this.chat.store.findBareConversationByToken(token);
    if (conversation === undefined) return;
    await this.chat.typing.update(
      visitorTypingKey(conversation.id),
      typing,
      this.chat.now().getTime(),
      (value) => this.chat.events.visitorTyping(conversation, value),
    );
  }

  /**
   * A visitor's socket subscribed. `hadConversation`: whether the subscribe found one for the
   * token. Only the token's first socket tells the agents, and when there was none, no other
   * socket of the token can have started one since: a new visitor's connect skips a read. One
   * that has a conversation reads it again, so the agents get it as it is now, not as it was
   * when the history was read.
   */
  async connected(token: string, hadConversation: boolean): Promise<void> {
    if (!(await this.chat.presence.visitorConnected(token))) return;
    if (!hadConversation) return;
    const conversation = await this.chat.store.findConversationByToken(token);
    if (conversation !== undefined) await this.chat.events.conversationChanged(conversation);
  }

  /**
   * A visitor's socket closed. Sockets that close in the same turn of the event loop (a node's
   * 15,000 on shutdown, a network blip) are booked together: a few statements for all of them
   * rather than a read and a write each, which on shutdown took longer than the grace period.
   * Resolves once this visitor's part is booked.
   */
  disconnected(token: string): Promise<void> {
    if (this.leaving === undefined) {
      const batch: string[] = [];
      this.leaving = batch;
      const booked = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (this.leaving === batch) this.leaving = undefined;
        return this.bookLeaving(batch);
      });
      this.booking.add(booked);
      void booked.catch(() => undefined).finally(() => this.booking.delete(booked));
      this.leavingBooked = booked;
    }
    this.leaving.push(token);
    return this.leavingBooked!;
  }

  /** Resolves when every disconnect taken so far is booked (shutdown waits for it before the store closes). */
  async settled(): Promise<void> {
    while (this.booking.size > 0) await Promise.allSettled([...this.booking]);
  }

  private leaving: string[] | undefined;
  private leavingBooked: Promise<void> | undefined;
  private readonly booking = new Set<Promise<void>>();

  private async bookLeaving(tokens: readonly string[]): Promise<void> {
    const offline = [];
    const wentOffline = await Promise.all(
      tokens.map((token) => this.chat.presence.visitorDisconnected(token)),
    );
    for (const [index, token] of tokens.entries()) if (wentOffline[index]) offline.push(token);
    if (offline.length === 0) return;
    const conversations = await this.chat.store.findConversationsByTokens(offline);
    if (conversations.length === 0) return;
    const at = this.chat.now().toISOString();
    await this.chat.store.markVisitorsLastSeen(
      conversations.map((conversation) => conversation.id),
      at,
    );
    for (const conversation of conversations) {
      if (this.chat.typing.stop(visitorTypingKey(conversation.id))) {
        await this.chat.events.visitorTyping(conversation, false);
      }
      await this.chat.events.conversationChanged({ ...conversation, visitorLastSeenAt: at });
    }
  }
}

/**
 * The conversation as a visitor's message to it left it, from the conversation read before the
 * append: the message is its latest, and a new one also did what the append's update does
 * (appendStatements.ts: the activity time, one more unread, the name when one was given). A
 * retried message changed nothing, and is taken as the latest (it was, when first sent).
 */
function conversationAfter(
  found: BareConversation,
  sent: { message: StoredMessage; created: boolean; attachments: Attachment[] },
  visitorName: string | null | undefined,
): StoredConversation {
  const { message, attachments } = sent;
  const first = attachments[0];
  return {
    ...found,
    ...(sent.created
      ? {
          updatedAt: message.createdAt,
          unreadCount: found.unreadCount + 1,
          ...(visitorName === undefined ? {} : { visitorName }),
        }
      : {}),
    lastMessage: message,
    lastMessageFiles: first === undefined ? null : { count: attachments.length, firstName: first.filename },
  };
}

/** A contact's name (up to 100 characters) as a visitor name (up to 50). */
function cutName(name: string): string {
  return [...name].slice(0, MAX_VISITOR_NAME_LENGTH).join("").trimEnd();
}

export function visitorTypingKey(conversationId: number): string {
  return `visitor:${conversationId}`;
}

export function otherSite(): ChatError {
  return new ChatError("forbidden", "This conversation belongs to another site");
}
