import assert from "node:assert/strict";
import { test } from "node:test";
import { createApi, queuedCalls, replay, type ApiTarget, type PublicMessage } from "../src/api.js";

function recorder(): { target: ApiTarget; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    target: {
      open: () => calls.push("open"),
      close: () => calls.push("close"),
      toggle: () => calls.push("toggle"),
      identify: (visitor) => calls.push(`identify:${visitor.name ?? ""}`),
    },
  };
}

test("methods and the command form reach the widget", () => {
  const { target, calls } = recorder();
  const { api } = createApi(target, "1.2.3");
  api.open();
  api("close");
  api("identify", { name: "Ada" });
  api("nonsense");
  api("constructor");
  assert.deepEqual(calls, ["open", "close", "identify:Ada"]);
  assert.equal(api.version, "1.2.3");
});

test("calls queued by the pre-load stub are replayed in order", () => {
  // What the README's snippet builds before widget.js has loaded.
  type Stub = ((...args: unknown[]) => void) & { q?: unknown[] };
  const stub: Stub = function (...args: unknown[]) {
    (stub.q = stub.q ?? []).push(args);
  };
  const seen: (PublicMessage | undefined)[] = [];
  stub("identify", { name: "Grace" });
  stub("on", "message", (m: PublicMessage) => seen.push(m));
  stub("open");
  const { target, calls } = recorder();
  const { api, emitter } = createApi(target, "1");
  replay(api, queuedCalls(stub));
  assert.deepEqual(calls, ["identify:Grace", "open"]);
  const message: PublicMessage = {
    id: 1,
    sender: "admin",
    content: "hi",
    created_at: "2025-01-01T00:00:00Z",
  };
  emitter.emit("message", message);
  assert.deepEqual(seen, [message]);
});

test("queues that are not lists are ignored", () => {
  assert.deepEqual(queuedCalls(undefined), []);
  assert.deepEqual(queuedCalls({ q: "open" }), []);
  assert.deepEqual(queuedCalls({ q: [["open"], 3, null] }), [["open"]]);
});

test("listeners can be removed, and a throwing listener does not stop the others", () => {
  const { target } = recorder();
  const { api, emitter } = createApi(target, "1");
  const log: string[] = [];
  const originalError = console.error;
  console.error = () => undefined;
  try {
    api.on("open", () => {
      throw new Error("site bug");
    });
    const off = api.on("open", () => log.push("second"));
    emitter.emit("open");
    off();
    emitter.emit("open");
  } finally {
    console.error = originalError;
  }
  assert.deepEqual(log, ["second"]);
});
