/**
 * What one cable connection may hold, and why. Each bound keeps a single socket from growing
 * the server's memory without end; the frame size itself is the protocol's (MAX_FRAME_BYTES).
 */

/**
 * Subscriptions per connection. A visitor needs one (two while a tab resubscribes), an agent
 * a couple; anything above 10 is refused with `reject_subscription`.
 */
export const MAX_SUBSCRIPTIONS = 10;

/**
 * Subscriptions a connection may ask for in a minute: as many as it may hold at once, refilled
 * one every 6 s. Past it the client is cut off (`subscribe_flood`): Parley's widget and inbox
 * subscribe once or twice a connection, and each subscribe may build a history of hundreds of KB
 * to MB, which a client that subscribes and unsubscribes over and over asks for each time.
 */
export const MAX_NEW_SUBSCRIPTIONS_PER_MINUTE = MAX_SUBSCRIPTIONS;

/**
 * Bytes of an identifier. Real ones (channel, token, since) are under 200; the identifier is a
 * subscription's key and is echoed in every frame it receives, so a longer one is a malformed
 * frame (`disconnect invalid_request`).
 */
export const MAX_IDENTIFIER_BYTES = 1024;

/**
 * Bytes of frames received but not yet handled (frames are handled one after another). Past
 * this the socket is not read until the backlog is down to half: TCP makes the client wait.
 */
export const MAX_QUEUED_BYTES = 1024 * 1024;

/** Default concurrent connections per client address (MAX_CONNECTIONS_PER_ADDRESS; 0: no cap). */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;

/**
 * Default bytes waiting in a socket's send buffer (ws's bufferedAmount), beyond the largest frame
 * among them, past which the client is too slow and is dropped (connection.ts): a tab asleep, or
 * a client that stopped reading (CABLE_MAX_BUFFERED_KB). A live conversation never gets near it,
 * and a full history, whatever its size, always goes through whole. It was 4 MB: 50 sockets that
 * stopped reading then held 250 MB that the process did not hand back after they were cut.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * A socket with no subscription for this long, or from which nothing (no frame, no pong to the
 * WebSocket ping sent at half of it) was heard for this long, is closed (cableServer.ts).
 */
export const IDLE_TIMEOUT_MS = 60_000;
