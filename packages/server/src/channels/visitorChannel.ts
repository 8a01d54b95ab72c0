/**
 * VisitorChannel (protocol §3): a visitor's view of their one conversation. Thin: it checks the
 * token, joins history and live messages (delivery/catchUpGate.ts) and hands actions to chat/.
 */
import { SITE_KEY_PATTERN, type VisitorEvent } from "@parley/protocol";
import type { Broker, Publication } from "../broker/broker.js";
import type { Channel, Subscription, SubscriptionContext } from "../cable/channel.js";
import type { Chat } from "../chat/chat.js";
import type { StoredSite } from "../store/store.js";
import { siteStream, visitorStream } from "../chat/streams.js";
import { toWireRating } from "../chat/toWire.js";
import { isVisitorToken } from "../chat/validate.js";
import { ratingPending } from "../store/ratingStore.js";
import type { PageAction } from "../chat/visitorPages.js";
import { CatchUpGate, type MissedMessage } from "../delivery/catchUpGate.js";
import { VISITOR_RECENT_IDS } from "../delivery/exactlyOnce.js";
import { pageOfIdentity, type CableIdentity } from "./identity.js";
import { actionLogger, answeringErrors, limitParam, sinceParam, unknownAction } from "./replies.js";

/** The token from the identifier (the widget's way) or from the URL (the seed's way). */
function visitorToken(context: SubscriptionContext<CableIdentity>): string | undefined {
  const fromIdentifier = context.params.token;
  const fromUrl = context.identity.kind === "visitor" ? context.identity.token : undefined;
  if (fromIdentifier !== undefined) {
    if (!isVisitorToken(fromIdentifier)) return undefined;
    // Two different tokens on one subscription is a confused or hostile client.
    return fromUrl === undefined || fromUrl === fromIdentifier ? fromIdentifier : undefined;
  }
  return fromUrl;
}

/**
 * The site the identifier names (`site`, protocol §10; absent: the default site), if it is live
 * and its widget may run on the connection's page; undefined otherwise (the subscription is refused).
 */
function siteOf(context: SubscriptionContext<CableIdentity>, chat: Chat): StoredSite | undefined {
  const key = context.params.site;
  if (key !== undefined && (typeof key !== "string" || !SITE_KEY_PATTERN.test(key))) return undefined;
  const site = chat.sites.active(key);
  if (site === undefined || !chat.sites.allowsPage(site, pageOfIdentity(context.identity))) return undefined;
  return site;
}

/**
 * The `page` action's fields (protocol §12), with their types checked; chat/visitorContext.ts
 * checks the values. A field of the wrong type is dropped, except `url`, which must be there.
 */
function pageAction(data: Record<string, unknown>): PageAction {
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, MAX_PAGE_FIELD) : undefined);
  return {
    url: typeof data.url === "string" && data.url.length <= MAX_PAGE_FIELD ? data.url : undefined,
    title: text(data.title),
    referrer: text(data.referrer),
    time_zone: text(data.time_zone),
  };
}

/** Longer fields than any real URL are refused (url) or cut (the rest) before anything is parsed. */
const MAX_PAGE_FIELD = 8192;

export class VisitorChannel implements Channel<CableIdentity> {
  constructor(
    private readonly chat: Chat,
    private readonly broker: Broker,
  ) {}

  /** What the visitor missed while the broker was away, as `message` events. */
  private async *missedSince(token: string, afterId: number): AsyncGenerator<MissedMessage> {
    const conversation = await this.chat.visitors.find(token);
    if (conversation === undefined) return;
    for (const message of await this.chat.visitors.history(conversation.id, afterId)) {
      yield { id: message.id, json: JSON.stringify({ type: "message", message } satisfies VisitorEvent) };
    }
  }

  async subscribe(context: SubscriptionContext<CableIdentity>): Promise<Subscription | null> {
    const token = visitorToken(context);
    if (token === undefined) return null;
    const site = siteOf(context, this.chat);
    if (site === undefined) {
      context.logger.info(
        { site: context.params.site },
        "visitor refused: no such live site, or not on its origins",
      );
      return null;
    }
    const since = sinceParam(context.params.since);
    const limit = limitParam(context.params.limit);

    const gate = new CatchUpGate({
      deliver: (json) => context.transmitJson(json),
      messageIdOf,
      window: VISITOR_RECENT_IDS,
    });
    const unsubscribes = [
      await this.broker.subscribe(visitorStream(token), gate.live),
      // The site's settings changed: the widget applies its new config (`site_updated`).
      await this.broker.subscribe(siteStream(site.id), ({ event, json }) => {
        if (event.type === "site_updated") context.transmitJson(json);
      }),
      this.chat.siteAvailability.onChange(site.id, (online) =>
        context.transmit({ type: "availability", online } satisfies VisitorEvent),
      ),
      this.broker.onGap(() => {
        gate
          .resync((afterId) => this.missedSince(token, afterId))
          .catch((error: unknown) => {
            context.logger.error({ err: error }, "visitor catch-up after a broker gap failed");
          });
      }),
    ];
    const stop = () => stopListening(unsubscribes, gate);
    try {
      const conversation = await this.chat.visitors.find(token);
      // A visitor of one site never reaches another site's conversation.
      if (conversation !== undefined && conversation.siteId !== site.id) {
        context.logger.info({ site: site.id }, "visitor refused: the token's conversation is another site's");
        stop();
        return null;
      }
      if (conversation !== undefined) {
        const messages = await this.chat.visitors.history(conversation.id, since, limit);
        if (since !== undefined) gate.startAt(since);
        gate.record(messages.map((message) => message.id));
        const history: VisitorEvent = {
          type: "history",
          conversation: {
            id: conversation.id,
            visitor_name: conversation.visitorName,
            // (§18) A widget that missed `rating_requested` (closed, reloaded) still asks. Both
            // only when there is something to say: the seed's clients get the seed's shape.
            ...(ratingPending(conversation) ? { rating_requested: true } : {}),
            ...(conversation.rating === null ? {} : { rating: toWireRating(conversation.rating) }),
          },
          messages,
          ...(since === undefined ? {} : { since }),
        };
        context.transmit(history);
      }
      gate.open();
      const online = await this.chat.siteAvailability.online(site.id);
      context.transmit({ type: "availability", online } satisfies VisitorEvent);
      await this.chat.visitors.connected(token, conversation !== undefined);
    } catch (error) {
      stop();
      throw error;
    }

    return new VisitorSubscription(this.chat, context, token, site, unsubscribes, gate);
  }
}

/** The number of a `message` event (for the catch-up gate's exactly-once), none for the others. */
function messageIdOf({ event }: Publication): number | undefined {
  return event.type === "message" ? event.message.id : undefined;
}

function stopListening(unsubscribes: readonly (() => void)[], gate: CatchUpGate): void {
  for (const unsubscribe of unsubscribes) unsubscribe();
  gate.close();
}

/**
 * One visitor's open subscription: its actions, and its end. A class rather than an object of
 * closures: one is held per connected visitor, and the closures with their scope cost about
 * 300 bytes each.
 */
class VisitorSubscription implements Subscription {
  constructor(
    private readonly chat: Chat,
    private readonly context: SubscriptionContext<CableIdentity>,
    private readonly token: string,
    private readonly site: StoredSite,
    private readonly unsubscribes: readonly (() => void)[],
    private readonly gate: CatchUpGate,
  ) {}

  perform(data: Record<string, unknown>): Promise<void> {
    return answeringErrors(
      actionLogger(this.context.logger, data),
      (event: VisitorEvent) => this.transmit(event),
      data.client_id,
      () => this.act(data),
    );
  }

  unsubscribed(): void {
    stopListening(this.unsubscribes, this.gate);
    this.chat.visitors.disconnected(this.token).catch((error: unknown) => {
      this.context.logger.error({ err: error }, "visitor disconnect bookkeeping failed");
    });
  }

  private transmit(event: VisitorEvent): void {
    this.context.transmit(event);
  }

  private async act(data: Record<string, unknown>): Promise<void> {
    switch (data.action) {
      case "send_message": {
        const result = await this.chat.visitors.send({
          token: this.token,
          address: this.context.remoteAddress,
          content: data.content,
          visitorName: data.visitor_name,
          clientId: data.client_id,
          attachmentIds: data.attachment_ids,
          siteId: this.site.id,
        });
        if (result.kind === "too_fast") {
          this.transmit({
            type: "too_fast",
            retry_after_ms: result.retryAfterMs,
            ...(typeof data.client_id === "string" ? { client_id: data.client_id } : {}),
          });
        }
        // A stored message (new or retried) comes back through the stream, once.
        return;
      }
      case "typing":
        return this.chat.visitors.typing(this.token, data.typing);
      case "rate": {
        const result = await this.chat.ratings.rate({
          token: this.token,
          siteId: this.site.id,
          score: data.score,
          comment: data.comment,
        });
        if (result.kind === "too_fast")
          this.transmit({ type: "too_fast", retry_after_ms: result.retryAfterMs });
        // The stored rating comes back as `rated`, to this tab and the others.
        return;
      }
      case "page": {
        // Over the page limit nothing is stored, and the widget need not hear about it.
        await this.chat.visitorPages.record(this.site, this.token, pageAction(data), {
          userAgent: this.context.identity.browser?.userAgent,
          acceptLanguage: this.context.identity.browser?.acceptLanguage,
          address: this.context.remoteAddress,
        });
        return;
      }
      default:
        this.transmit(unknownAction(data));
    }
  }
}
