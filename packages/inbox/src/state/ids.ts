/**
 * `client_id`s for the agent's sends: random, and made with getRandomValues because
 * crypto.randomUUID exists only on HTTPS pages and an inbox may be tried over plain HTTP.
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `a-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
