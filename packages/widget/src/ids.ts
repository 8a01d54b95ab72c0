/** Random identifiers: the visitor's session token and each message's `client_id`. */

function randomBase64Url(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...values))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** 144 random bits as 24 characters of `[A-Za-z0-9_-]`, within the token rule of PROTOCOL.md §2. */
export function newToken(): string {
  return randomBase64Url(18);
}

/** 96 random bits: enough that two sends of one visitor never collide. */
export function newClientId(): string {
  return randomBase64Url(12);
}
