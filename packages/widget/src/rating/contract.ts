/**
 * What the app and the rating chunk (dist/widget-rating.js) agree on (protocol §18). The chunk
 * draws the card that asks "How was this conversation?" once the conversation is resolved, sends
 * the visitor's `rate`, and says thank you when the server's `rated` comes (in every tab). The app
 * fetches it only when a `rating_requested` arrives or the history says one is pending: a visitor
 * pays nothing for it before their first message. Types only.
 */
import type { VisitorEvent } from "@parley/protocol";
import type { ContactContext } from "../prechat/contract.js";

/** `history` (with a request pending), `rating_requested` or `rated`. */
export type RatingEvent = VisitorEvent;

/** Performs the `rate` action on the visitor's subscription. */
export type SendRating = (data: { score: number; comment: string | null }) => void;

/** Shows the card in `context.slot` (once), or its thanks when `event` is `rated`. */
export type RatingChunk = (context: ContactContext, event: RatingEvent, send: SendRating) => void;
