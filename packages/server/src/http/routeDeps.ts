/** What route modules are given (explicitly, never through a global). */
import type { Chat } from "../chat/chat.js";
import type { Limiter } from "../chat/rateLimits.js";
import type { Store } from "../store/store.js";

export interface RouteDeps {
  chat: Chat;
  store: Store;
  /** Login attempts per address and per address+username. */
  loginLimits: { perAddress: Limiter; perAccount: Limiter };
  startedAtMs: number;
  /** Files the server hands to browsers (widget bundle, demo page, inbox build). */
  assets: { widgetJs: string; demoHtml: string; inboxDir: string };
  widgetDefaults: { title: string; greeting: string; color: string; position: "left" | "right" };
}
