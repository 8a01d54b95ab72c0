/**
 * A pino child made when it is first used to log, not when a connection or a subscription opens.
 * Every socket had two (its connection's and its subscription's): with their bindings, several
 * hundred bytes each, held for the socket's life by 15,000 visitors who mostly never log a line
 * (docs/benchmarks.md, "Memory per visitor"). A level that is off answers without making it.
 * The proxy's handler is one small object per logger with no closures of its own, for the same
 * reason.
 */
import type { Logger } from "pino";

const LOG_METHODS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/** `make` builds the child (from `parent`, with its bindings); called at most once. */
export function lazyChild(parent: Logger, make: () => Logger): Logger {
  return new Proxy(parent, new LazyChild(parent, make));
}

class LazyChild implements ProxyHandler<Logger> {
  private child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private make: (() => Logger) | undefined,
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
      this.child = this.make!();
      this.make = undefined;
    }
    const target = this.child;
    const value: unknown = Reflect.get(target, property, target);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  }
}

function noop(): void {}
