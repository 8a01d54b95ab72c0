/**
 * The lazy pino child (lazyLogger.ts): nothing is made until a line is logged at a level that is
 * on, and then the lines carry the child's bindings, as an eager child's would.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import { lazyChild } from "./lazyLogger.js";
import { captureLogs } from "./testing/logs.js";

describe("a lazy logger child", () => {
  it("makes the child at its first line, once, and logs with its bindings", () => {
    const logs = captureLogs();
    let made = 0;
    const logger = lazyChild(
      logs.logger,
      (connection: string) => {
        made += 1;
        return { connection };
      },
      "c-1",
    );
    assert.equal(made, 0);
    assert.equal(logger.isLevelEnabled("debug"), true);
    assert.equal(logger.level, "trace");
    assert.equal(made, 0, "asking for the level makes nothing");
    logger.info({ bytes: 3 }, "first");
    logger.error("second");
    assert.equal(made, 1);
    assert.deepEqual(
      logs.lines().map(({ msg, connection, bytes }) => ({ msg, connection, bytes })),
      [
        { msg: "first", connection: "c-1", bytes: 3 },
        { msg: "second", connection: "c-1", bytes: undefined },
      ],
    );
  });

  it("answers a level that is off without making the child", () => {
    const lines: string[] = [];
    const parent = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    let made = 0;
    const logger = lazyChild(
      parent,
      (connection: string) => {
        made += 1;
        return { connection };
      },
      "c-2",
    );
    logger.debug("not logged");
    logger.trace("nor this");
    assert.equal(made, 0);
    assert.equal(lines.length, 0);
    logger.warn("logged");
    assert.equal(made, 1);
    assert.match(lines[0]!, /"connection":"c-2".*"msg":"logged"/);
  });

  it("gives children of its own that carry both bindings", () => {
    const logs = captureLogs();
    const connection = lazyChild(logs.logger, (id: string) => ({ connection: id }), "c-3");
    const subscription = lazyChild(connection, (channel: string) => ({ channel }), "VisitorChannel");
    subscription.info("subscribed");
    assert.deepEqual(
      logs.withMessage("subscribed").map(({ connection, channel }) => ({ connection, channel })),
      [{ connection: "c-3", channel: "VisitorChannel" }],
    );
  });
});
