/** ResourceStack: newest first, on shutdown and when a part fails to open. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import { ResourceStack } from "../../src/resourceStack.js";

function recordingLogger(level = "error") {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe("ResourceStack", () => {
  it("closes the parts newest first, once however often it is asked", async () => {
    const closed: string[] = [];
    const stack = new ResourceStack(pino({ level: "silent" }));
    const store = await stack.open(
      "store",
      async () => "the store",
      (part) => void closed.push(part),
    );
    assert.equal(store, "the store");
    await stack.open(
      "broker",
      () => "the broker",
      async (part) => {
        await Promise.resolve();
        closed.push(part);
      },
    );
    stack.onClose("intake", () => void closed.push("intake"));
    await Promise.all([stack.close(), stack.close()]);
    await stack.close();
    assert.deepEqual(closed, ["intake", "the broker", "the store"]);
  });

  it("leaves a part that failed to open out, and closes the ones before it when asked", async () => {
    const closed: string[] = [];
    const stack = new ResourceStack(pino({ level: "silent" }));
    await stack.open(
      "store",
      () => "store",
      (part) => void closed.push(part),
    );
    await stack.open(
      "broker",
      () => "broker",
      (part) => void closed.push(part),
    );
    await assert.rejects(
      stack.open(
        "http",
        () => Promise.reject(new Error("listen EADDRINUSE")),
        () => void closed.push("http"),
      ),
      /EADDRINUSE/,
    );
    await stack.close();
    assert.deepEqual(closed, ["broker", "store"]);
  });

  it("closes the other parts when one fails to close, and logs which", async () => {
    const closed: string[] = [];
    const { logger, lines } = recordingLogger();
    const stack = new ResourceStack(logger);
    await stack.open(
      "store",
      () => "store",
      (part) => void closed.push(part),
    );
    await stack.open(
      "files",
      () => "files",
      () => Promise.reject(new Error("bucket gone")),
    );
    await stack.open(
      "cable",
      () => "cable",
      (part) => void closed.push(part),
    );
    await stack.close();
    assert.deepEqual(closed, ["cable", "store"]);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.part, "files");
  });

  it("says how long each part took to close, in one log line", async () => {
    const { logger, lines } = recordingLogger("info");
    const stack = new ResourceStack(logger);
    await stack.open(
      "store",
      () => "store",
      () => undefined,
    );
    stack.onClose("cable", () => new Promise((resolve) => setTimeout(resolve, 20)));
    const closed = await stack.close();
    assert.deepEqual(
      closed.map(({ part }) => part),
      ["cable", "store"],
    );
    assert.ok(closed.every(({ ms }) => Number.isInteger(ms) && ms >= 0));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.msg, "parts closed");
    assert.deepEqual(Object.keys(lines[0]?.steps as object), ["cable", "store"]);
  });

  it("opens nothing more once closing", async () => {
    const stack = new ResourceStack(pino({ level: "silent" }));
    const closing = stack.close();
    let opened = false;
    await assert.rejects(
      stack.open(
        "late",
        () => (opened = true),
        () => undefined,
      ),
      /closing/,
    );
    assert.equal(opened, false);
    await closing;
  });
});
