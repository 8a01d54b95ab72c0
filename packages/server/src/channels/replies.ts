/** How a channel answers a failed action: the client sees the error text, internals go to the log. */
import type { Logger } from "pino";
import { actionName } from "../cable/frames.js";
import { ChatError } from "../chat/errors.js";
import {
  DATABASE_UNREACHABLE_MESSAGE,
  isDatabaseUnreachable,
  isStorageFull,
  STORAGE_FULL_MESSAGE,
} from "../store/errors.js";

/**
 * A subscription's logger (bound to its connection and channel) bound to one action's name too,
 * made when something is logged: only failures are, and a pino child per action cost about 4 %
 * of a message's CPU in the bench.
 */
export function actionLogger(logger: Logger, data: Record<string, unknown>): () => Logger {
  return () => {
    const action = actionName(data);
    return action === undefined ? logger : logger.child({ action });
  };
}

/**
 * The answer to an action neither channel knows. `action` is whatever JSON the client sent: an
 * object there (`{"toString": "x"}`, or one with a null prototype) cannot be turned into text by
 * String(), which threw and made the answer a "Something went wrong"; it is named "object".
 */
export function unknownAction(data: Record<string, unknown>): { type: "error"; error: string } {
  const action = data.action;
  const name =
    typeof action === "string"
      ? action.slice(0, 64)
      : typeof action === "object" && action !== null
        ? "object"
        : String(action);
  return { type: "error", error: `Unknown action: ${name}` };
}

export async function answeringErrors(
  log: () => Logger,
  transmit: (message: { type: "error"; error: string; client_id?: string }) => void,
  clientId: unknown,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    const withClientId = typeof clientId === "string" && clientId.length <= 64 ? { client_id: clientId } : {};
    if (error instanceof ChatError) {
      transmit({ type: "error", error: error.message, ...withClientId });
      return;
    }
    // A full disk is the operator's problem, not a bug: the client hears it plainly and retries
    // later with the same client_id (nothing was stored).
    if (isStorageFull(error)) {
      log().error({ err: error }, "channel action failed: storage is full");
      transmit({ type: "error", error: STORAGE_FULL_MESSAGE, ...withClientId });
      return;
    }
    // So is a database that cannot be reached: one line without a stack, not one trace per send.
    if (isDatabaseUnreachable(error)) {
      log().warn(
        { err: { message: (error as Error).message } },
        "channel action failed: database unreachable",
      );
      transmit({ type: "error", error: DATABASE_UNREACHABLE_MESSAGE, ...withClientId });
      return;
    }
    log().error({ err: error }, "channel action failed");
    transmit({ type: "error", error: "Something went wrong, please try again", ...withClientId });
  }
}

/** `limit` from an identifier: a positive integer, or undefined when absent or malformed. */
export function limitParam(value: unknown): number | undefined {
  const limit = sinceParam(value);
  return limit === undefined || limit === 0 ? undefined : limit;
}

/** `since` from an identifier: a non-negative integer, or undefined when absent or malformed. */
export function sinceParam(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}
