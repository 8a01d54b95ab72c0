/**
 * chat/'s AgentNotifier, done with web push: the reachable agents are those with a subscription,
 * and notifying one is enqueueing its (agent, conversation) notify job, which collapses with a
 * pending one for the same pair.
 */
import type { AgentNotifier } from "../chat/agentNotifier.js";
import type { MentionNotifier } from "../chat/notes.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store, StoredConversation } from "../store/store.js";
import type { StoredNote } from "../store/teamWorkStore.js";
import {
  DELIVER_PUSH,
  NOTIFY_AGENT,
  notifyDedupeKey,
  type DeliverPushPayload,
  type NotifyAgentPayload,
} from "./jobKinds.js";
import { conversationTopic, mentionNotification } from "./payload.js";

export class PushNotifier implements AgentNotifier, MentionNotifier {
  constructor(
    private readonly store: Pick<Store, "listPushSubscribedAgentIds" | "listPushSubscriptions">,
    private readonly queue: JobQueue,
  ) {}

  /**
   * (§15) A note mentioned these agents: one push to each of their subscriptions, now (a mention
   * is rare and addressed to them; no collapse, whether they are watching or not).
   */
  async notifyMentioned(agentIds: number[], note: StoredNote): Promise<void> {
    const notification = mentionNotification(note);
    for (const agentId of agentIds) {
      for (const subscription of await this.store.listPushSubscriptions(agentId)) {
        const delivery: DeliverPushPayload = {
          subscriptionId: subscription.id,
          notification,
          topic: conversationTopic(note.conversationId),
        };
        await this.queue.enqueue(DELIVER_PUSH, delivery);
      }
    }
  }

  reachableAgentIds(): Promise<number[]> {
    return this.store.listPushSubscribedAgentIds();
  }

  async notifyAgents(agentIds: number[], conversation: StoredConversation): Promise<void> {
    for (const agentId of agentIds) {
      const payload: NotifyAgentPayload = { agentId, conversationId: conversation.id };
      await this.queue.enqueue(NOTIFY_AGENT, payload, {
        dedupeKey: notifyDedupeKey(agentId, conversation.id),
      });
    }
  }
}
