/**
 * Agents' alert emails (protocol §16): an agent with an email and `email_alerts` other than off,
 * with no inbox open and no push subscription, gets one email listing the conversations of
 * their sites whose visitor has waited `email_alert_after_minutes` unanswered since their last
 * alert. With `within_hours` it waits until one of those sites is open (§10).
 *
 * One job per agent (`email.agent_alert`, deduplicated by agent) batches: each visitor message
 * wakes the agent's job for when it would be due. A conversation is due once, at
 * `waiting since + after minutes`. When the job finds something due it sends one email listing
 * every conversation waiting then (due or about to be), and `email_alerted_at` becomes the
 * latest of their due times: the next alert lists only what became due after it. Nothing due
 * yet: the job postpones itself to the first due time.
 */
import type { Logger } from "pino";
import type { Happening } from "../chat/events.js";
import { hoursState } from "../chat/businessHours.js";
import type { Presence } from "../chat/presence.js";
import type { SiteTeams } from "../chat/siteTeams.js";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { AgentEmailSettings, UnansweredConversation } from "../store/emailStore.js";
import type { Store, StoredSite } from "../store/store.js";
import { AGENT_ALERT } from "./jobKinds.js";
import { renderEmail } from "./layout.js";
import type { EmailOutbox } from "./outgoing.js";
import { AGENT_ALERT_TEXTS } from "./texts/agentAlert.js";

const MINUTE = 60_000;
/** A first alert looks back this far at most: no digest of last month. */
const FIRST_LOOK_BACK_MS = 24 * 60 * MINUTE;
/** Conversations one email lists. */
const MAX_LISTED = 25;
/** A message's preview in the list. */
const PREVIEW_LENGTH = 300;
const DEFAULT_COLOR = "#2563eb";

export interface AgentAlertPayload {
  agentId: number;
}

export interface AgentEmailAlertsOptions {
  store: Pick<
    Store,
    | "getAgentEmailSettings"
    | "listAgentsWithEmailAlerts"
    | "markAgentEmailAlerted"
    | "listUnansweredConversations"
    | "listPushSubscriptions"
    | "getSite"
  >;
  queue: JobQueue;
  outbox: EmailOutbox;
  presence: Pick<Presence, "onlineAgents">;
  teams: Pick<SiteTeams, "answering" | "scopeOf">;
  publicUrl: string;
  logger: Logger;
  now: () => Date;
}

export class AgentEmailAlerts {
  constructor(private readonly options: AgentEmailAlertsOptions) {}

  /**
   * chat's events: a visitor's message wakes the alert of each agent with email alerts on its
   * site. Never rejects (the message is stored already; a missed wake must not undo that).
   */
  take(happening: Happening): Promise<void> {
    if (happening.type !== "message.created" || happening.message.sender !== "visitor")
      return Promise.resolve();
    return this.visitorWrote(happening.conversation.siteId).catch((error: unknown) =>
      this.options.logger.error({ err: error }, "email: waking agents' alerts failed"),
    );
  }

  private async visitorWrote(siteId: number): Promise<void> {
    const { store, teams, queue } = this.options;
    const agents = await store.listAgentsWithEmailAlerts();
    if (agents.length === 0) return;
    const answering = new Set(
      await teams.answering(
        siteId,
        agents.map((agent) => agent.agentId),
      ),
    );
    const now = this.options.now().getTime();
    for (const agent of agents) {
      if (!answering.has(agent.agentId)) continue;
      // Due when this message would have waited long enough; a pending job (earlier or
      // postponed to opening hours) stands and will list it.
      await queue.enqueue(AGENT_ALERT, { agentId: agent.agentId } satisfies AgentAlertPayload, {
        dedupeKey: `${AGENT_ALERT}:${agent.agentId}`,
        runAt: new Date(now + agent.emailAlertAfterMinutes * MINUTE),
      });
    }
  }

  handler(): JobHandler {
    return {
      maxAttempts: 10,
      run: async (job): Promise<JobOutcome> => {
        const payload = JSON.parse(job.payload) as Partial<AgentAlertPayload>;
        if (!Number.isSafeInteger(payload.agentId)) return { kind: "done" };
        return this.run(payload.agentId as number);
      },
    };
  }

  private async run(agentId: number): Promise<JobOutcome> {
    const { store, presence } = this.options;
    const settings = await store.getAgentEmailSettings(agentId);
    if (settings?.email == null || settings.emailAlerts === "off") return { kind: "done" };
    const now = this.options.now();
    // Told live (inbox open) or by push: they need no email, and what is due now is covered.
    const watching = (await presence.onlineAgents()).has(agentId);
    if (watching || (await store.listPushSubscriptions(agentId)).length > 0) {
      await store.markAgentEmailAlerted(agentId, now.toISOString());
      return { kind: "done" };
    }
    const { waiting, firstDueAt, lastDueAt } = await this.waitingFor(settings);
    if (firstDueAt === undefined) return { kind: "done" };
    if (firstDueAt > now.getTime()) return { kind: "postpone", until: new Date(firstDueAt) };

    const sites = new Map<number, StoredSite>();
    for (const siteId of new Set(waiting.map((item) => item.siteId))) {
      const site = await store.getSite(siteId);
      if (site !== undefined) sites.set(siteId, site);
    }
    if (settings.emailAlerts === "within_hours") {
      // At work when any of these sites is open: then every due conversation is listed.
      const states = [...sites.values()].map((site) => hoursState(site.businessHours, now));
      if (!states.some((state) => state.within_hours)) {
        const opens = states
          .map((state) => state.next_open_at)
          .filter((at): at is string => at !== null)
          .sort()[0];
        // Never open again (hours with no day open): nothing to wait for.
        return opens === undefined ? { kind: "done" } : { kind: "postpone", until: new Date(opens) };
      }
    }
    await this.send(settings.email, waiting.slice(0, MAX_LISTED), sites);
    // Covers every conversation listed, including those not due yet.
    await store.markAgentEmailAlerted(
      agentId,
      new Date(Math.max(now.getTime(), lastDueAt ?? 0)).toISOString(),
    );
    return { kind: "done" };
  }

  /** The conversations waiting that become due after the last alert, and their first and last due times. */
  private async waitingFor(settings: AgentEmailSettings): Promise<{
    waiting: UnansweredConversation[];
    firstDueAt: number | undefined;
    lastDueAt: number | undefined;
  }> {
    const afterMs = settings.emailAlertAfterMinutes * MINUTE;
    const lastAlert = settings.emailAlertedAt === null ? 0 : new Date(settings.emailAlertedAt).getTime();
    const now = this.options.now().getTime();
    // Due after the last alert means waiting since after (last alert − after minutes).
    const waitingAfter = Math.max(lastAlert - afterMs, now - FIRST_LOOK_BACK_MS);
    const scope = await this.options.teams.scopeOf(settings.agentId);
    const found = await this.options.store.listUnansweredConversations({
      siteIds: scope.filter(),
      after: new Date(waitingAfter).toISOString(),
      limit: 200,
    });
    const dueAt = (item: UnansweredConversation) => new Date(item.waitingSince).getTime() + afterMs;
    const waiting = found.filter((item) => dueAt(item) > lastAlert);
    const times = waiting.map(dueAt);
    return {
      waiting,
      firstDueAt: times.length === 0 ? undefined : Math.min(...times),
      lastDueAt: times.length === 0 ? undefined : Math.max(...times),
    };
  }

  private async send(
    to: string,
    due: UnansweredConversation[],
    sites: Map<number, StoredSite>,
  ): Promise<void> {
    const locale = "en" as const;
    const texts = AGENT_ALERT_TEXTS[locale];
    const only = sites.size === 1 ? [...sites.values()][0] : undefined;
    const siteName = only?.name ?? "Parley";
    const stateOf = (item: UnansweredConversation) => (isNew(item) ? texts.newConversation : texts.waiting);
    const rendered = renderEmail({
      locale,
      siteName,
      color: only?.widget.color ?? DEFAULT_COLOR,
      title: texts.title(due.length),
      paragraphs: [texts.intro],
      messages: due.map((item) => ({
        sender: item.visitorName ?? texts.visitor(item.conversationId),
        at: item.lastAt,
        text:
          item.lastContent.length > PREVIEW_LENGTH
            ? `${item.lastContent.slice(0, PREVIEW_LENGTH)}…`
            : item.lastContent,
        note: sites.size > 1 ? `${sites.get(item.siteId)?.name ?? ""} · ${stateOf(item)}` : stateOf(item),
        link: { label: texts.open, url: `${this.options.publicUrl}/admin/chats/${item.conversationId}` },
      })),
      button: { label: texts.openInbox, url: `${this.options.publicUrl}/admin/chats` },
      footerNote: texts.settingsHint,
    });
    await this.options.outbox.queue({
      kind: "agent_alert",
      to,
      subject: texts.subject(due.length, siteName),
      ...rendered,
      locale,
    });
  }
}

/** No agent ever answered: the visitor's first message started it. */
function isNew(item: UnansweredConversation): boolean {
  return new Date(item.waitingSince).getTime() - new Date(item.createdAt).getTime() < MINUTE;
}
