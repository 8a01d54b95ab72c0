/**
 * Entry point of widget.js. It runs on someone else's page, so it takes care to leave exactly
 * one global (`window.Parley`), to put every element inside a shadow root, and to fail quietly.
 */
import type { WidgetConfig } from "@parley/protocol";
import { createApi, queuedCalls, replay, type ApiTarget } from "./api.js";
import { pickSettings, resolveSettings, serverOrigin } from "./settings.js";
import { createStorage } from "./storage.js";
import { Widget } from "./widget.js";

const VERSION = "0.1.0";
const CONFIG_TIMEOUT_MS = 4000;

type HostWindow = Window & { Parley?: unknown; ParleySettings?: unknown };

function start(): void {
  const host = window as HostWindow;
  const existing: unknown = host.Parley;
  // Loaded twice (two snippets, or a SPA re-inserting the tag): the first copy stays in charge.
  if (typeof existing === "function" && "version" in existing) return;

  const script =
    document.currentScript instanceof HTMLScriptElement
      ? document.currentScript
      : document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
  const page = { ...pickSettings({ ...script?.dataset }), ...pickSettings(host.ParleySettings) };
  const origin = serverOrigin(page.server, script?.src, location.href);

  // Calls made before the widget is mounted wait here, in order.
  let widget: Widget | undefined;
  const waiting: ((w: Widget) => void)[] = [];
  const later = (run: (w: Widget) => void): void => (widget ? run(widget) : void waiting.push(run));
  const target: ApiTarget = {
    open: () => later((w) => w.open()),
    close: () => later((w) => w.close()),
    toggle: () => later((w) => w.toggle()),
    identify: (visitor) => later((w) => w.identify(visitor)),
  };
  const { api, emitter } = createApi(target, VERSION);
  const queued = queuedCalls(host.Parley);
  host.Parley = api;
  replay(api, queued);

  void Promise.all([fetchConfig(origin), bodyReady()]).then(([config]) => {
    const element = document.createElement("parley-widget");
    const shadow = element.attachShadow({ mode: "open" });
    document.body.appendChild(element);
    widget = new Widget({
      origin,
      settings: resolveSettings(page, config, navigator.languages ?? [navigator.language]),
      storage: createStorage(() => localStorage),
      shadow,
      emitter,
      agentsOnline: config?.agents_online ?? false,
    });
    for (const run of waiting.splice(0)) run(widget);
  });
}

/** The site's defaults from the server; the widget still works (with its own) if they don't come. */
async function fetchConfig(origin: string): Promise<Partial<WidgetConfig> | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CONFIG_TIMEOUT_MS);
  try {
    const response = await fetch(`${origin}/widget/config`, {
      credentials: "omit",
      signal: controller.signal,
    });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    // Only its known fields are read, each checked where it is used (resolveSettings).
    return typeof body === "object" && body !== null ? body : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function bodyReady(): Promise<void> {
  if (document.body) return Promise.resolve();
  return new Promise((resolve) =>
    document.addEventListener("DOMContentLoaded", () => resolve(), { once: true }),
  );
}

try {
  start();
} catch (error) {
  console.error("Parley widget failed to start", error);
}
