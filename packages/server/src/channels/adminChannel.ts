/**
 * AdminChannel (protocol §4): the agents' live view of every conversation. Rejected unless the
 * connection logged in as an agent. Actions are handed to chat/'s Inbox one by one, each only
 * while the agent's session still exists: a session ended in another process may keep its
 * socket for up to a second (chat/sessionWatch.ts), and nothing it asks for in that second is done.
 */
import type { Logger } from "pino";
import type { AdminEvent, AgentRef } from "@parley/protocol";
import type { Broker } from "../broker/broker.js";
import type { Channel, Subscription, SubscriptionContext } from "../cable/channel.js";
import { DISCONNECTS } from "../cable/disconnects.js";
import type { Chat } from "../chat/chat.js";
import { statusFilter } from "../chat/inbox.js";
import { AGENTS_STREAM } from "../chat/streams.js";
import * as validate from "../chat/validate.js";
import { CatchUpGate, type MissedMessage } from "../delivery/catchUpGate.js";
import { AGENT_RECENT_IDS } from "../delivery/exactlyOnce.js";
import type { CableIdentity } from "./identity.js";
import { actionLogger, answeringErrors, sinceParam } from "./replies.js";

/** The list sent on subscribe and on `list_conversations`; the inbox pages the rest over REST. */
const LIST_SIZE = 100;

export class AdminChannel implements Channel<CableIdentity> {
  constructor(
    private readonly chat: Chat,
    private readonly broker: Broker,
    private readonly logger: Logger,
  ) {}

  async subscribe(context: SubscriptionContext<CableIdentity>): Promise<Subscription | null> {
    if (context.identity.kind !== "agent") return null;
    const { agent, sessionId } = context.identity;
    // Closing the whole connection also stops every delivery to it, at once.
    const sessionEnded = (): null => {
      context.disconnect(DISCONNECTS.unauthorized);
      return null;
    };
    if (!(await this.chat.sessions.isLive(sessionId))) return sessionEnded();
    const since = sinceParam(context.params.since);
    const transmit = (event: AdminEvent): void => context.transmit(event);

    const gate = new CatchUpGate({
      deliver: (json) => context.transmitJson(json),
      messageIdOf: ({ event }) => (event.type === "new_message" ? event.message.id : undefined),
      window: AGENT_RECENT_IDS,
      // After the `since` catch-up (or at once without one), and after each broker-gap re-read.
      caughtUp: (lastId) => transmit({ type: "caught_up", last_id: lastId }),
    });
    const unsubscribes = [
      await this.broker.subscribe(AGENTS_STREAM, gate.live),
      this.broker.onGap(() => {
        gate
          .resync((afterId) => this.missedSince(afterId))
          .catch((error: unknown) => {
            this.logger.error({ err: error }, "agent catch-up after a broker gap failed");
          });
      }),
    ];
    const unsubscribe = () => {
      for (const each of unsubscribes) each();
    };
    try {
      transmit({ type: "conversations", conversations: await this.chat.inbox.list({ limit: LIST_SIZE }) });
      if (since === undefined) gate.startAt(await this.chat.inbox.latestMessageId());
      else {
        gate.startAt(since);
        for await (const missed of this.missedSince(since)) gate.replay(missed);
      }
      gate.open();
      await this.chat.agentConnected(agent.id);
    } catch (error) {
      unsubscribe();
      gate.close();
      throw error;
    }

    return {
      perform: async (data) => {
        if (!(await this.chat.sessions.isLive(sessionId))) {
          sessionEnded();
          return;
        }
        await answeringErrors(actionLogger(context.logger, data), transmit, data.client_id, () =>
          this.perform(agent, data, transmit),
        );
      },
      unsubscribed: () => {
        unsubscribe();
        gate.close();
        this.chat.agentDisconnected(agent.id).catch((error: unknown) => {
          this.logger.error({ err: error }, "agent disconnect bookkeeping failed");
        });
      },
    };
  }

  /** Every message after `afterId`, as serialised `new_message` events in id order. */
  private async *missedSince(afterId: number): AsyncGenerator<MissedMessage> {
    const names = new Map<number, string | null>();
    for await (const { conversationId, message } of this.chat.inbox.messagesSince(afterId)) {
      if (!names.has(conversationId)) {
        const conversation = await this.chat.inbox.get(conversationId).catch(() => undefined);
        names.set(conversationId, conversation?.visitorName ?? null);
      }
      const event: AdminEvent = {
        type: "new_message",
        conversation_id: conversationId,
        visitor_name: names.get(conversationId) ?? null,
        message,
      };
      yield { id: message.id, json: JSON.stringify(event) };
    }
  }

  private async perform(
    agent: AgentRef,
    data: Record<string, unknown>,
    transmit: (event: AdminEvent) => void,
  ): Promise<void> {
    const { inbox } = this.chat;
    switch (data.action) {
      case "send_message": {
        // A stored message (new or retried) comes back through the agents' stream, once.
        await inbox.send(agent, {
          conversationId: data.conversation_id,
          content: data.content,
          clientId: data.client_id,
          attachmentIds: data.attachment_ids,
        });
        return;
      }
      case "mark_read":
        await inbox.markRead(data.conversation_id);
        return;
      case "get_history": {
        const conversationId = validate.id(data.conversation_id, "conversation_id");
        const beforeId = validate.optionalId(data.before_id, "before_id");
        const limit = validate.optionalId(data.limit, "limit");
        const { messages, hasMore } = await inbox.history(conversationId, {
          ...(beforeId === undefined ? {} : { beforeId }),
          ...(limit === undefined ? {} : { limit }),
        });
        transmit({ type: "history", conversation_id: conversationId, messages, has_more: hasMore });
        return;
      }
      case "list_conversations": {
        const status = statusFilter(data.status);
        const conversations = await inbox.list({
          limit: LIST_SIZE,
          ...(status === undefined ? {} : { status }),
        });
        transmit({ type: "conversations", conversations });
        return;
      }
      case "typing":
        return inbox.typing(agent, data.conversation_id, data.typing);
      case "close":
        await inbox.setStatus(data.conversation_id, "closed");
        return;
      case "reopen":
        await inbox.setStatus(data.conversation_id, "open");
        return;
      case "assign":
        await inbox.assign(data.conversation_id, data.agent_id, agent);
        return;
      default:
        transmit({ type: "error", error: `Unknown action: ${String(data.action).slice(0, 64)}` });
    }
  }
}
