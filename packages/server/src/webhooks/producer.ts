/**
 * Turns chat's committed changes into deliveries: for each enabled webhook of the site that
 * subscribed to the event, one pending delivery row (the outbox) and a wake of the webhook's
 * job. Changes are stored in the order chat made them, so a
 * conversation's rows are stored in that order (and sent in it: deliverJob.ts).
 *
 * Changes go in batches (the group commit of message appends): a batch reads each of its
 * conversations once and stores all its rows and wakes in one transaction, where one change at a
 * time cost a read and two commits per delivery and fell behind a busy server; its conversations
 * are read in one statement too. A batch starts on `setImmediate`, so the changes of one turn of
 * the event loop (a batch of appends commits, then each of its messages sets off an event or two)
 * go together; changes taken while a batch is being stored wait for the next one. Started at the
 * first change instead, that change went alone: in the bench's chat, 18,852 changes took 9,150
 * transactions, 6,316 of them for one change, against 3,938 for the 10,020 messages themselves.
 * When a batch fails, its changes are stored one by one, so one bad change fails alone and the
 * later ones are still stored.
 *
 * A message posted again (a retried send, the store tail) or a conversation started twice keys
 * its event by the message's or conversation's id, so it is stored once per webhook. A process
 * that dies between its commit and this store loses that event: chat's commits and the outbox
 * are not one transaction (docs/api.md says so).
 */
import type { Logger } from "pino";
import type { Happening } from "../chat/events.js";
import type { JobAnnouncer } from "../jobs/queue.js";
import { GroupCommit } from "../store/queries/groupCommit.js";
import type { Store, StoredConversation } from "../store/store.js";
import type { StoredWebhook } from "../store/webhookStore.js";
import { deliveryRows, type ConversationsNow, type Subscribed } from "./deliveryRows.js";
import { DELIVER_WEBHOOK } from "./jobKind.js";

export interface WebhookProducerDeps {
  store: Pick<Store, "listWebhooks" | "getConversations" | "insertWebhookDeliveries">;
  queue: JobAnnouncer;
  logger: Logger;
  /** Which of these visitors are connected now (the Conversation shape says so). */
  onlineVisitors: (visitorTokens: string[]) => Promise<Set<string>>;
  now: () => Date;
}

/**
 * How long a site's webhooks are read from memory: every message asks, and most sites have none.
 * Changes made on this node are seen at once (forget); another node's within this time.
 */
const WEBHOOKS_CACHE_MS = 5000;

export class WebhookProducer {
  private readonly batches = new GroupCommit<Happening, void>(
    (happenings) => this.store(happenings),
    // After this turn's other changes are taken (the module comment says why).
    setImmediate,
  );
  /** Settles after every change taken so far: batches are stored in the order taken. */
  private lastStored: Promise<void> = Promise.resolve();
  private readonly cached = new Map<number, { until: number; webhooks: Promise<StoredWebhook[]> }>();

  constructor(private readonly deps: WebhookProducerDeps) {}

  /** A site's webhooks changed here: the next event reads them again. */
  forget(siteId: number): void {
    this.cached.delete(siteId);
  }

  private webhooksOf(siteId: number): Promise<StoredWebhook[]> {
    const now = Date.now();
    const hit = this.cached.get(siteId);
    if (hit !== undefined && hit.until > now) return hit.webhooks;
    const webhooks = this.deps.store.listWebhooks(siteId);
    this.cached.set(siteId, { until: now + WEBHOOKS_CACHE_MS, webhooks });
    // A failed read is not kept.
    webhooks.catch(() => this.cached.delete(siteId));
    return webhooks;
  }

  /** Takes a change (from chat's Signal); stored after every change taken before it. */
  take(happening: Happening): void {
    this.lastStored = this.batches.add(happening).catch((error: unknown) => {
      this.deps.logger.error({ err: error, event: happening.type }, "webhooks: could not store an event");
    });
  }

  /** Resolves once every change taken so far is stored (before the store closes). */
  idle(): Promise<void> {
    return this.lastStored;
  }

  /** One batch: its changes' webhooks, each conversation read once, then one transaction. */
  private async store(happenings: Happening[]): Promise<void[]> {
    const subscribed = await Promise.all(happenings.map((happening) => this.subscribed(happening)));
    const conversations = await this.conversationsNow(subscribed);
    const rows = subscribed.flatMap((each) => deliveryRows(each, conversations, this.deps.now()));
    const { jobsAdded } = await this.deps.store.insertWebhookDeliveries(rows);
    if (jobsAdded > 0)
      this.announceAt(rows.reduce((due, row) => Math.max(due, Date.parse(row.wake.runAt)), 0));
    return happenings.map(() => undefined);
  }

  /**
   * Wakes the local worker once the wakes just stored are due (jobKind.ts: they gather the events
   * of their first WAKE_GATHER_MS). A timer per batch that added one, which is at most one per
   * run of a webhook's job: a wake stored while another waits collapses into it. A timer can fire
   * early by the length of the turn that set it (it counts from the turn's start), and the worker
   * would then find nothing due until its next poll: so it looks at the clock again.
   */
  private announceAt(dueAt: number): void {
    const wait = dueAt - this.deps.now().getTime();
    if (wait <= 0) this.deps.queue.announce(DELIVER_WEBHOOK);
    else setTimeout(() => this.announceAt(dueAt), wait).unref();
  }

  /** A change with the enabled webhooks of its site that subscribed to it. */
  private async subscribed(happening: Happening): Promise<Subscribed> {
    const siteId =
      happening.type === "contact.identified" ? happening.contact.site_id : happening.conversation.siteId;
    const webhooks = (await this.webhooksOf(siteId)).filter(
      (webhook) =>
        webhook.enabled &&
        webhook.events.includes(happening.type) &&
        // A contact's event has no Slack form.
        (happening.type !== "contact.identified" || webhook.format === "parley"),
    );
    return { happening, webhooks };
  }

  /**
   * The conversations as they are now, once each: a message's event carries its conversation
   * with that message (or a later one) as its latest. One question for who is online.
   */
  private async conversationsNow(subscribed: Subscribed[]): Promise<ConversationsNow> {
    const ids = new Set<number>();
    for (const { happening, webhooks } of subscribed)
      if (webhooks.length > 0 && happening.type !== "contact.identified") ids.add(happening.conversation.id);
    const stored = new Map<number, StoredConversation>();
    // In one statement, not one each: under load every statement waits its turn for the database.
    for (const conversation of ids.size === 0 ? [] : await this.deps.store.getConversations([...ids]))
      stored.set(conversation.id, conversation);
    const tokens = new Set<string>();
    for (const { happening, webhooks } of subscribed)
      if (webhooks.length > 0 && happening.type !== "contact.identified")
        tokens.add((stored.get(happening.conversation.id) ?? happening.conversation).visitorToken);
    const online = tokens.size === 0 ? new Set<string>() : await this.deps.onlineVisitors([...tokens]);
    return { stored, online };
  }
}
