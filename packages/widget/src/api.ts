/**
 * `window.Parley`: the site owner's handle on the widget. It is a function as well as an object,
 * so the pre-load stub `Parley("open")` keeps working once the real thing has replaced it, and
 * every call queued on the stub's `q` is replayed in order.
 */
export type ApiEventName = "message" | "open" | "close";

export interface PublicMessage {
  id: number;
  sender: "visitor" | "admin";
  content: string;
  created_at: string;
  agent_name?: string;
}

/**
 * `Parley.identify(visitor)` and `ParleySettings.identify`: who the visitor is, as the site's back
 * end says (protocol §12). `hash` is the HMAC-SHA256 hex of `id` with the site's identity secret,
 * computed by the back end, never in the browser. Dates among the attributes are sent as
 * `{date: ISO 8601}`; `null` removes an attribute.
 */
export interface Visitor {
  id?: string | number;
  hash?: string;
  email?: string;
  name?: string;
  attributes?: Record<string, string | number | boolean | Date | null>;
}

export interface ApiTarget {
  open(): void;
  close(): void;
  toggle(): void;
  identify(visitor: Visitor): void;
}

export interface ParleyApi extends ApiTarget {
  (command: string, ...args: unknown[]): void;
  on(event: ApiEventName, listener: (detail?: PublicMessage) => void): () => void;
  version: string;
}

export interface Emitter {
  emit(event: ApiEventName, detail?: PublicMessage): void;
}

export function createApi(target: ApiTarget, version: string): { api: ParleyApi; emitter: Emitter } {
  const listeners = new Map<ApiEventName, Set<(detail?: PublicMessage) => void>>();
  const methods = {
    open: () => target.open(),
    close: () => target.close(),
    toggle: () => target.toggle(),
    identify: (visitor: Visitor) => target.identify(visitor ?? {}),
    on(event: ApiEventName, listener: (detail?: PublicMessage) => void): () => void {
      if (typeof listener !== "function") return () => undefined;
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const api: ParleyApi = Object.assign(
    (command: string, ...args: unknown[]) => call(methods, command, args),
    methods,
    {
      version,
    },
  );
  const emitter: Emitter = {
    emit(event, detail) {
      for (const listener of listeners.get(event) ?? []) {
        // A site's listener that throws must not break the chat or the other listeners.
        try {
          listener(detail);
        } catch (error) {
          console.error("Parley listener failed", error);
        }
      }
    },
  };
  return { api, emitter };
}

const COMMANDS = new Set(["open", "close", "toggle", "identify", "on"]);

/** Runs `methods[command](...args)` when `command` names a method; unknown commands are ignored. */
function call(methods: object, command: string, args: unknown[]): void {
  if (!COMMANDS.has(command)) return;
  const method = (methods as Record<string, (...a: unknown[]) => void>)[command];
  method?.(...args);
}

/** The calls a pre-load stub queued: `Parley.q`, a list of `arguments`-like lists. */
export function queuedCalls(stub: unknown): unknown[][] {
  if ((typeof stub !== "function" && typeof stub !== "object") || stub === null) return [];
  const queue: unknown = (stub as { q?: unknown }).q;
  if (!Array.isArray(queue)) return [];
  return queue
    .filter(
      (item): item is ArrayLike<unknown> => typeof item === "object" && item !== null && "length" in item,
    )
    .map((item) => Array.from(item));
}

export function replay(api: ParleyApi, calls: unknown[][]): void {
  for (const [command, ...args] of calls) {
    try {
      api(String(command), ...args);
    } catch (error) {
      console.error("Parley queued call failed", error);
    }
  }
}
