export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.js";
export { CableConsumer, STALE_AFTER_MS, type CableOptions, type CableState } from "./consumer.js";
export { parseServerFrame } from "./frames.js";
export { browserSocket, type CableSocket, type CreateSocket } from "./socket.js";
export { CableSubscription, type SubscriptionHandlers } from "./subscription.js";
