/**
 * What widget.js (the loader) and widget-app.js (the chat app, loaded at idle or on first open)
 * agree on. Types only: nothing here adds weight to either bundle.
 *
 * The loader owns what exists from the first byte: `window.Parley` (its listeners and the calls
 * queued until the app is there), the visitor's storage, and the launcher with its badge. The app
 * owns the panel, the connection and the conversation, and drives the launcher through its handle.
 */
import type { WidgetConfig } from "@parley/protocol";
import type { ApiTarget, Emitter } from "../api.js";
import type { ChunkLoader } from "../chunks.js";
import type { LauncherWords } from "../loader/words.js";
import type { Look, PageSettings } from "../settings.js";
import type { Kit } from "../ui/kit.js";
import type { KeyValue } from "../storage.js";

export interface LauncherHandle {
  /** The widget's root element in its shadow root (language, colours, side): the panel goes in it. */
  readonly root: HTMLElement;
  readonly button: HTMLButtonElement;
  /** Its words in the current language; `close` also labels the panel's close button. */
  readonly words: LauncherWords;
  /** Shows a close icon and says "Close chat" while the panel is open. */
  setOpen(open: boolean): void;
  setUnread(count: number): void;
}

export interface AppContext {
  /** The Parley server. */
  origin: string;
  page: PageSettings;
  /** `GET /widget/config`, or null when it did not come. */
  config: Partial<WidgetConfig> | null;
  look: Look;
  launcher: LauncherHandle;
  /** `GET /widget/config` again (for the hours' next change); null or a rejection: keep what is. */
  refetch(): Promise<Partial<WidgetConfig> | null>;
  /** New settings from the server: the loader redraws the launcher and says the new look. */
  restyle(config: Partial<WidgetConfig>): Look;
  storage: KeyValue;
  /** `Parley.on` listeners, registered on the loader's API. */
  emitter: Emitter;
  /** Fetches one of the app's on-demand chunks from the server (uploads, pre-chat). */
  load: ChunkLoader;
  /** The loader's element builders (../ui/kit.ts), so the app carries no copy. */
  kit: Kit;
}

/** What widget-app.js hands over: it builds the app, which then answers the API's calls. */
export type AppFactory = (context: AppContext) => ApiTarget;
