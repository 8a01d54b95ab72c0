/**
 * A pino child made when it is first used to log, not when a connection or a subscription opens.
 * Every socket had two (its connection's and its subscription's): with their bindings, several
 * hundred bytes each, held for the socket's life by 15,000 visitors who mostly never log a line
 * (docs/benchmarks.md, "Memory per visitor"). A level that is off answers without making it.
 * The proxy's handler is one small object per logger with no closures of its own, for the same
 * reason; and the caller hands a function made once and what it needs (`source`), not a closure
 * made per logger, whose scope was held as long (about 200 bytes per connected visitor).
 */
import type { Bindings, Logger } from "pino";

const LOG_METHODS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/** The child of `parent` with `bindingsOf(source)`, made at its first line; `bindingsOf` is called at most once. */
export function lazyChild<Source>(
  parent: Logger,
  bindingsOf: (source: Source) => Bindings,
  source: Source,
): Logger {
  return new Proxy(parent, new LazyChild(parent, bindingsOf, source));
}

class LazyChild<Source> implements ProxyHandler<Logger> {
  private child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindingsOf: (source: Source) => Bindings,
    private source: Source | undefined,
  ) {}

  get(_parent: Logger, property: string | symbol): unknown {
    const { parent } = this;
    // Whether a level logs is the parent's answer too: the child has its level.
    if (this.child === undefined && typeof property === "string") {
      if (property === "level" || property === "levelVal") return parent[property];
      if (property === "isLevelEnabled") return parent.isLevelEnabled.bind(parent);
      if (LOG_METHODS.has(property) && !parent.isLevelEnabled(property)) return noop;
    }
    if (this.child === undefined) {
      this.child = parent.child(this.bindingsOf(this.source as Source));
      this.source = undefined;
    }
    const target = this.child;
    const value: unknown = Reflect.get(target, property, target);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  }
}

function noop(): void {}
