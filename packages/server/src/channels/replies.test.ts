/** How a channel answers a failed action, and what the log says about it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChatError } from "../chat/errors.js";
import { captureLogs } from "../testing/logs.js";
import { actionLogger, answeringErrors } from "./replies.js";

describe("answering a failed action", () => {
  it("logs an unexpected failure with the action's name on the subscription's logger; the client reads a plain error", async () => {
    const logs = captureLogs();
    const subscriptionLogger = logs.logger.child({ connection: "c-9", channel: "VisitorChannel" });
    const sent: unknown[] = [];
    const data = { action: "send_message", client_id: "c1" };
    await answeringErrors(
      actionLogger(subscriptionLogger, data),
      (message) => sent.push(message),
      data.client_id,
      async () => {
        throw new Error("connection to the store lost");
      },
    );
    assert.deepEqual(sent, [
      { type: "error", error: "Something went wrong, please try again", client_id: "c1" },
    ]);
    const [line] = logs.withMessage("channel action failed");
    assert.equal(line?.action, "send_message");
    assert.equal(line?.connection, "c-9");
    assert.equal(line?.channel, "VisitorChannel");
    assert.equal((line?.err as { message?: string }).message, "connection to the store lost");
  });

  it("answers a refusal of the rules with its text and logs nothing", async () => {
    const logs = captureLogs();
    const sent: unknown[] = [];
    await answeringErrors(
      actionLogger(logs.logger, { action: "typing" }),
      (message) => sent.push(message),
      undefined,
      async () => {
        throw new ChatError("invalid", "Message is empty");
      },
    );
    assert.deepEqual(sent, [{ type: "error", error: "Message is empty" }]);
    assert.deepEqual(logs.lines(), []);
  });

  it("binds only a string action, cut short", () => {
    const logs = captureLogs();
    actionLogger(logs.logger, { action: "x".repeat(300) })().info("one");
    actionLogger(logs.logger, { action: { nested: true } })().info("two");
    assert.equal(logs.withMessage("one")[0]?.action, "x".repeat(64));
    assert.equal("action" in logs.withMessage("two")[0]!, false);
  });
});
