/**
 * Every reason the server closes a cable connection, in one place, with whether the client
 * should reconnect. The stock ActionCable client honours `reconnect`: false means "stay closed".
 */
import type { DisconnectReason } from "@parley/protocol";

export interface Disconnect {
  reason: DisconnectReason;
  reconnect: boolean;
  /** WebSocket close code sent after the disconnect frame. */
  code: number;
}

export const DISCONNECTS = {
  /** No or a bad credential, a revoked or expired session: retrying will not help. */
  unauthorized: { reason: "unauthorized", reconnect: false, code: 1008 },
  /** A frame that is not ActionCable JSON: a broken client, so do not loop. */
  invalidRequest: { reason: "invalid_request", reconnect: false, code: 1003 },
  /** A frame over the size limit. */
  frameTooLarge: { reason: "invalid_request", reconnect: false, code: 1009 },
  /** Deploys and restarts: come back and resume with `since`. */
  serverRestart: { reason: "server_restart", reconnect: true, code: 1012 },
  /**
   * The server let go of a client that could not keep up (its send buffer past the bound); it may
   * come back. The socket is dropped at once (connection.ts), so the client sees the close only.
   */
  slowConsumer: { reason: "remote", reconnect: true, code: 1013 },
  /**
   * Open for the idle timeout with no subscription, or silent that long (no frame, no pong): a
   * socket held for nothing. A real client subscribes at once and its browser answers pings.
   */
  idle: { reason: "remote", reconnect: false, code: 1008 },
} as const satisfies Record<string, Disconnect>;

export function disconnectFrame(why: Disconnect): string {
  return JSON.stringify({ type: "disconnect", reason: why.reason, reconnect: why.reconnect });
}
