/**
 * What the app and the mail chunk (dist/widget-mail.js) agree on. The chunk carries the
 * conversation on by email (protocol §16): the card that asks for an address ("Get the reply by
 * email"), the entries "Email me the replies" and "Email me a transcript", and the exchange of a
 * reply email's link (`#parley=…`) for the conversation's token. The app fetches it only on a
 * site that sends email, once there are messages, or when the page's address carries a link: a
 * visitor pays nothing for it before their first message. Types only.
 */
import type { WidgetConfig } from "@parley/protocol";
import type { AppContext } from "../app/contract.js";
import type { ChatMessage } from "../conversation.js";
import type { ContactContext } from "../prechat/contract.js";

export interface MailChunk {
  /**
   * Keeps the email entries in `context.slot` and asks for an address when it is time (when.ts):
   * called whenever the conversation or the team's presence changes, so it is idempotent.
   */
  ask(context: ContactContext, messages: ChatMessage[], away: boolean, config: Partial<WidgetConfig>): void;
  /**
   * Exchanges the page's `#parley=<link>` for the conversation's token (`POST /widget/resume`)
   * and takes the link out of the address bar. Resolves with the token, or with nothing when the
   * link is refused (then the widget starts as it would without it).
   */
  resume(context: AppContext): Promise<string | undefined>;
}
