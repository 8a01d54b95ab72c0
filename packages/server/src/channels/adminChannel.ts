/**
 * AdminChannel (protocol §4): the agents' live view of the conversations of the sites they
 * answer (§10). Rejected unless the connection logged in as an agent. Actions are handed to chat/'s Inbox one by one, each only
 * while the agent's session still exists: a session ended in another process may keep its
 * socket for up to a second (chat/sessionWatch.ts), and nothing it asks for in that second is done.
 *
 * Events about a conversation come in a `for_site` envelope; each subscription keeps the agent's
 * scope and passes on only its sites' events. A `site_updated` moves the scope (an owner changed
 * the site's team, on any node), so events follow a change without a reconnect; actions and
 * lists read the scope from the store each time.
 */
import type { Logger } from "pino";
import type { AdminEvent, AgentRef } from "@parley/protocol";
import type { Broker, Publication } from "../broker/broker.js";
import type { Channel, Subscription, SubscriptionContext } from "../cable/channel.js";
import { DISCONNECTS } from "../cable/disconnects.js";
import type { Chat } from "../chat/chat.js";
import { agentsEventOf } from "../chat/events.js";
import { statusFilter } from "../chat/inbox.js";
import { assigneeFilter, stateFilter } from "../chat/workflow.js";
import type { SiteScope } from "../chat/siteScope.js";
import { AGENTS_STREAM } from "../chat/streams.js";
import * as validate from "../chat/validate.js";
import { CatchUpGate, type MissedMessage } from "../delivery/catchUpGate.js";
import { AGENT_RECENT_IDS } from "../delivery/exactlyOnce.js";
import type { CableIdentity } from "./identity.js";
import { actionLogger, answeringErrors, sinceParam, unknownAction } from "./replies.js";
import { movesViewCounts, ViewCountsFeed } from "./viewCounts.js";
import { performWorkflowAction } from "./workflowActions.js";

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
    // Read before the stream is subscribed, then moved by every site_updated heard after.
    let scope = await this.chat.teams.scopeOf(agent.id);

    const gate = new CatchUpGate({
      deliver: (json) => context.transmitJson(json),
      messageIdOf: ({ event }) => (event.type === "new_message" ? event.message.id : undefined),
      window: AGENT_RECENT_IDS,
      // After the `since` catch-up (or at once without one), and after each broker-gap re-read.
      caughtUp: (lastId) => transmit({ type: "caught_up", last_id: lastId }),
    });
    // (§15) Counted on subscribe and again, coalesced, after what may move them.
    const viewCounts = new ViewCountsFeed(() => this.chat.workflow.viewCounts(agent), transmit, this.logger);
    const listen = (shared: Publication): void => {
      const { event } = shared;
      if (event.type === "site_updated" && "site" in event) {
        scope = scope.updated({ id: event.site.id, agentIds: event.site.agent_ids });
        viewCounts.changed();
        if (scope.covers(event.site.id)) gate.live(shared);
        return;
      }
      const { siteId, publication } = agentsEventOf(shared);
      if (siteId === undefined || scope.covers(siteId)) {
        if (movesViewCounts(publication.event)) viewCounts.changed();
        gate.live(publication);
      }
    };
    // This connection, for its `activity` (§15); every agent hears every availability change.
    const inbox = {};
    const unsubscribes = [
      this.chat.availability.changed.on((change) =>
        transmit({
          type: "agent_availability",
          agent_id: change.agentId,
          availability: change.availability,
          chosen_availability: change.chosen,
        }),
      ),
      await this.broker.subscribe(AGENTS_STREAM, listen),
      this.broker.onGap(() => {
        // A site_updated may be among what was lost: the scope is read again first.
        this.chat.teams
          .scopeOf(agent.id)
          .then((current) => {
            scope = current;
            return gate.resync((afterId) => this.missedSince(afterId, () => scope));
          })
          .catch((error: unknown) => {
            this.logger.error({ err: error }, "agent catch-up after a broker gap failed");
          });
      }),
    ];
    const unsubscribe = () => {
      for (const each of unsubscribes) each();
      viewCounts.close();
    };
    try {
      // Read again now the stream is live: a change between the first read and the subscribe is seen.
      scope = await this.chat.teams.scopeOf(agent.id);
      transmit({
        type: "conversations",
        conversations: await this.chat.inbox.list(agent, { limit: LIST_SIZE }),
      });
      // (§15) Right after the list, before any catch-up and `caught_up`.
      await viewCounts.sendNow();
      if (since === undefined) gate.startAt(await this.chat.inbox.latestMessageId());
      else {
        gate.startAt(since);
        for await (const missed of this.missedSince(since, () => scope)) gate.replay(missed);
      }
      gate.open();
      await this.chat.agentConnected(agent.id, inbox);
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
          this.perform(agent, data, transmit, inbox),
        );
      },
      unsubscribed: () => {
        unsubscribe();
        gate.close();
        this.chat.agentDisconnected(agent.id, inbox).catch((error: unknown) => {
          this.logger.error({ err: error }, "agent disconnect bookkeeping failed");
        });
      },
    };
  }

  /**
   * Every message after `afterId` in the conversations of the scope's sites, as serialised
   * `new_message` events in id order.
   */
  private async *missedSince(afterId: number, scope: () => SiteScope): AsyncGenerator<MissedMessage> {
    for await (const { conversationId, visitorName, message } of this.chat.inbox.messagesSince(
      afterId,
      scope,
    )) {
      const event: AdminEvent = {
        type: "new_message",
        conversation_id: conversationId,
        visitor_name: visitorName,
        message,
      };
      yield { id: message.id, json: JSON.stringify(event) };
    }
  }

  private async perform(
    agent: AgentRef,
    data: Record<string, unknown>,
    transmit: (event: AdminEvent) => void,
    connection: object,
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
        await inbox.markRead(agent, data.conversation_id);
        return;
      case "get_history": {
        const conversationId = validate.id(data.conversation_id, "conversation_id");
        const beforeId = validate.optionalId(data.before_id, "before_id");
        const limit = validate.optionalId(data.limit, "limit");
        const { messages, hasMore } = await inbox.history(agent, conversationId, {
          ...(beforeId === undefined ? {} : { beforeId }),
          ...(limit === undefined ? {} : { limit }),
        });
        transmit({ type: "history", conversation_id: conversationId, messages, has_more: hasMore });
        return;
      }
      case "list_conversations": {
        const status = statusFilter(data.status);
        const state = stateFilter(data.state);
        const labelId = validate.optionalId(data.label_id, "label_id");
        const assigneeId = assigneeFilter(
          typeof data.assignee === "number" ? String(data.assignee) : data.assignee,
          agent,
        );
        const siteId = validate.optionalId(data.site_id, "site_id");
        const conversations = await inbox.list(agent, {
          limit: LIST_SIZE,
          ...(status === undefined ? {} : { status }),
          ...(state === undefined ? {} : { state }),
          ...(labelId === undefined ? {} : { labelId }),
          ...(assigneeId === undefined ? {} : { assigneeId }),
          ...(siteId === undefined ? {} : { siteId }),
        });
        transmit({ type: "conversations", conversations });
        return;
      }
      case "typing":
        return inbox.typing(agent, data.conversation_id, data.typing);
      case "close":
        await inbox.setStatus(agent, data.conversation_id, "closed");
        return;
      case "reopen":
        await inbox.setStatus(agent, data.conversation_id, "open");
        return;
      case "assign":
        await inbox.assign(data.conversation_id, data.agent_id, agent);
        return;
      default:
        if (await performWorkflowAction(this.chat, agent, data)) return;
        if (await this.performTeamWork(agent, data, transmit, connection)) return;
        transmit(unknownAction(data));
    }
  }

  /** (§15) Notes and availability; false when the action is none of them. */
  private async performTeamWork(
    agent: AgentRef,
    data: Record<string, unknown>,
    transmit: (event: AdminEvent) => void,
    connection: object,
  ): Promise<boolean> {
    switch (data.action) {
      case "add_note":
        // The note (new or a retry's stored one) comes back through the agents' stream.
        await this.chat.notes.add(agent, {
          conversationId: data.conversation_id,
          content: data.content,
          clientId: data.client_id,
        });
        return true;
      case "get_notes": {
        const { conversationId, notes } = await this.chat.notes.list(agent, data.conversation_id);
        transmit({ type: "notes", conversation_id: conversationId, notes });
        return true;
      }
      case "set_availability":
        await this.chat.availability.choose(agent.id, data.availability);
        return true;
      case "activity":
        this.chat.availability.activity(agent.id, connection);
        return true;
      default:
        return false;
    }
  }
}
