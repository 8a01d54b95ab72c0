/**
 * Entry point of widget.js, the loader: the only part of the widget every page view of the host
 * site downloads. It sets `window.Parley` at once (calls wait in order until the app is there),
 * draws the launcher, and fetches the chat app (widget-app.js) when the browser is idle, so that
 * opening is instant, or at once if the visitor opens the chat first. The app owns the
 * connection: loaded at idle on every page, it reconnects a returning visitor and fills the
 * launcher's unread badge without the panel ever being opened (see README.md, "How it loads").
 *
 * It runs on someone else's page, so it takes care to leave exactly one global
 * (`window.Parley`), to put every element inside a shadow root, and to fail quietly.
 */
import type { WidgetConfig } from "@parley/protocol";
import { createApi, queuedCalls, replay, type ApiTarget, type Visitor } from "../api.js";
import type { AppContext, AppFactory } from "../app/contract.js";
import { loadChunk } from "../chunks.js";
import { pickSettings, resolveLook, serverOrigin, type Look } from "../settings.js";
import { pickSite } from "../site.js";
import { createStorage } from "../storage.js";
import { h, icon } from "../ui/dom.js";
import { fetchConfig } from "./config.js";
import { Launcher } from "./launcher.js";

const VERSION = "0.1.0";
/** widget-app.js's content hash, set by build.mjs. */
declare const __APP_VERSION__: string;
/** A page that is never idle still gets the app by then. */
const IDLE_TIMEOUT_MS = 3000;
/** Without requestIdleCallback (Safari), this long after the launcher shows. */
const IDLE_FALLBACK_MS = 1000;

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
  const site = pickSite(script?.dataset.site, host.ParleySettings);
  if (site === null) {
    // Started anyway, its conversations would land on another site than the owner meant.
    console.error("Parley: data-site is not a site key (8-64 of A-Z a-z 0-9 _ -); the chat is not started");
    return;
  }
  const page = { ...pickSettings({ ...script?.dataset }), ...pickSettings(host.ParleySettings), site };
  const origin = serverOrigin(page.server, script?.src, location.href);
  const languages = navigator.languages ?? [navigator.language];
  const refetch = () => fetchConfig(origin, site);

  // Calls made before the app has started wait here, in order.
  let app: ApiTarget | undefined;
  const waiting: ((app: ApiTarget) => void)[] = [];
  let fetching: Promise<AppFactory> | undefined;

  const mounted = Promise.all([refetch(), bodyReady()]).then(([config]): AppContext => {
    const look = resolveLook(page, config, languages);
    const element = document.createElement("parley-widget");
    const shadow = element.attachShadow({ mode: "open" });
    document.body.appendChild(element);
    // Before the app exists the panel cannot be open: a press opens it (twice is still once).
    const press = (): void => (app ? app.toggle() : later((a) => a.open(), true));
    const launcher = new Launcher(shadow, look, press);
    const storage = createStorage(() => localStorage, site);
    const restyle = (next: Partial<WidgetConfig>): Look => {
      const look = resolveLook(page, next, languages);
      launcher.setLook(look);
      return look;
    };
    const load = <T>(file: string, version: string): Promise<T> => loadChunk<T>(origin, file, version);
    return {
      origin,
      page,
      config,
      look,
      launcher,
      storage,
      emitter,
      refetch,
      restyle,
      load,
      kit: { h, icon },
    };
  });

  /** Fetches the app (once, or again after a failure) and starts it once the launcher is drawn. */
  const boot = (): void => {
    if (fetching) return;
    fetching = loadChunk<AppFactory>(origin, "widget-app.js", __APP_VERSION__);
    Promise.all([fetching, mounted])
      .then(([create, context]) => {
        app = create(context);
        for (const run of waiting.splice(0)) run(app);
      })
      .catch((error: unknown) => {
        // Not loaded (offline?): the next press or call asks again.
        fetching = undefined;
        console.error("Parley chat failed to start", error);
      });
  };

  function later(run: (app: ApiTarget) => void, now = false): void {
    if (app) return run(app);
    waiting.push(run);
    if (now) boot();
  }

  const target: ApiTarget = {
    open: () => later((a) => a.open(), true),
    close: () => later((a) => a.close()),
    toggle: () => later((a) => a.toggle(), true),
    identify: (visitor) => later((a) => a.identify(visitor)),
  };
  const { api, emitter } = createApi(target, VERSION);
  const queued = queuedCalls(host.Parley);
  host.Parley = api;
  // `ParleySettings.identify` is `Parley.identify` made before anything else.
  const visitor = (host.ParleySettings as { identify?: Visitor } | undefined)?.identify;
  if (visitor) api.identify(visitor);
  replay(api, queued);

  // A page opened from a reply email's link (#parley=…) opens on its conversation: no idle wait.
  mounted.then(
    () => (location.hash.includes("parley=") ? boot() : whenIdle(boot)),
    (error: unknown) => console.error("Parley widget failed to start", error),
  );
}

function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(run, IDLE_FALLBACK_MS);
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
