/**
 * The collapse rule, run as a job per (agent, conversation). Repeated visitor messages while a
 * job waits add nothing (its dedupe key); a run within a minute of the last push to that agent
 * about that conversation postpones itself to the minute's end; the push then says how many
 * messages are unread and shows the latest. Nothing is sent when an agent has read the
 * conversation, answered it, no longer answers its site, or the agent is now watching the inbox.
 */
import type { Logger } from "pino";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { ClaimedJob, Store } from "../store/store.js";
import { DELIVER_PUSH, isNotifyAgentPayload, type DeliverPushPayload } from "./jobKinds.js";
import { conversationTopic, visitorMessageNotification } from "./payload.js";

export const MIN_PUSH_INTERVAL_MS = 60_000;

export interface NotifyAgentDeps {
  store: Pick<Store, "getConversation" | "getPushThrottle" | "recordPushSent" | "listPushSubscriptions">;
  queue: JobQueue;
  /** chat/'s answer, asked again at send time: the agent may have opened the inbox meanwhile. */
  isWatching: (agentId: number) => Promise<boolean>;
  /** Whether the agent answers the site (protocol §10), asked at send time: an owner may have changed the team. */
  answers: (agentId: number, siteId: number) => Promise<boolean>;
  logger: Logger;
  now: () => Date;
}

export function notifyAgentHandler(deps: NotifyAgentDeps): JobHandler {
  return {
    // Only store work: a failure is the database's, and worth a few tries.
    maxAttempts: 5,
    async run(job: ClaimedJob): Promise<JobOutcome> {
      const payload: unknown = JSON.parse(job.payload);
      if (!isNotifyAgentPayload(payload)) {
        deps.logger.error({ job: job.id }, "push: malformed notify job dropped");
        return { kind: "done" };
      }
      const { agentId, conversationId } = payload;
      const conversation = await deps.store.getConversation(conversationId);
      const latest = conversation?.lastMessage;
      if (conversation === undefined || latest?.sender !== "visitor" || conversation.unreadCount === 0) {
        return { kind: "done" };
      }
      const throttle = await deps.store.getPushThrottle(agentId, conversationId);
      if (throttle !== undefined && latest.id <= throttle.lastMessageId) return { kind: "done" };
      const now = deps.now();
      const nextAllowed = throttle === undefined ? 0 : Date.parse(throttle.lastSentAt) + MIN_PUSH_INTERVAL_MS;
      if (now.getTime() < nextAllowed) return { kind: "postpone", until: new Date(nextAllowed) };
      if (await deps.isWatching(agentId)) return { kind: "done" };
      if (!(await deps.answers(agentId, conversation.siteId))) return { kind: "done" };

      const subscriptions = await deps.store.listPushSubscriptions(agentId);
      const notification = visitorMessageNotification(conversation, latest);
      const topic = conversationTopic(conversationId);
      // Deliveries first, then the throttle: a crash in between repeats a push rather than losing it.
      for (const subscription of subscriptions) {
        const delivery: DeliverPushPayload = { subscriptionId: subscription.id, notification, topic };
        await deps.queue.enqueue(DELIVER_PUSH, delivery);
      }
      await deps.store.recordPushSent({
        agentId,
        conversationId,
        lastSentAt: now.toISOString(),
        lastMessageId: latest.id,
      });
      return { kind: "done" };
    },
  };
}
