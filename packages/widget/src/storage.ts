/**
 * Key-value storage for what follows the visitor across pages, tabs and browser restarts:
 * `localStorage` when the browser allows it, else memory, so blocked storage (privacy modes,
 * sandboxed frames, full quotas) costs persistence but never breaks the chat.
 */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export const KEYS = {
  token: "parley.token",
  name: "parley.name",
  nameAsked: "parley.nameAsked",
  seenId: "parley.seenId",
  /** The token the site's back end verified (identify with a valid hash): no pre-chat form for it. */
  verified: "parley.verified",
  /** The pre-chat form was filled in: it is not asked again. */
  prechat: "parley.prechat",
  /** The last identify the server accepted, and its answer (identify/post.ts). */
  identified: "parley.identified",
} as const;

/**
 * `site`: what is kept is the site's (`parley.token.KEY`), since a token that has a conversation
 * on one site is refused on another (§10), and a shop and its help centre may be two sites on one
 * origin. Without a site, the keys of before sites.
 */
export function createStorage(backing: () => Storage, site?: string): KeyValue {
  const memory = new Map<string, string>();
  const scoped = (key: string): string => (site ? `${key}.${site}` : key);
  return {
    get(key) {
      key = scoped(key);
      try {
        const value = backing().getItem(key);
        if (value !== null) return value;
      } catch {
        /* storage blocked: fall back to memory */
      }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      key = scoped(key);
      memory.set(key, value);
      try {
        backing().setItem(key, value);
      } catch {
        /* storage blocked or full: memory keeps it for this page */
      }
    },
  };
}
