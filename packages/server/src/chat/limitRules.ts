/**
 * Every rate limit, in one place: what it counts, per what key, how many in what window. One
 * node (memory) and a cluster (Redis) build their limiters from these same rules
 * (cluster/sharedState.ts), so a limit behaves the same whichever store keeps its counts.
 */
import type { ChatContext } from "./context.js";
import type { LoginLimiters } from "./passwordChecks.js";
import type { LimitRule, Limiter } from "./rateLimits.js";

const HOUR_SECONDS = 60 * 60;

/** From the configuration (RATE_LIMIT_PER_MINUTE and the per-hour caps; 0 turns a cap off). */
export interface LimitSettings {
  rateLimitPerMinute: number;
  newConversationsPerIpPerHour: number;
  uploadsPerIpPerHour: number;
  /** Requests one API token may make per minute (API_REQUESTS_PER_MINUTE); default 600. */
  apiRequestsPerMinute?: number;
}

export const DEFAULT_API_REQUESTS_PER_MINUTE = 600;

/** A page view a second, with room for a burst of tabs; a widget sends one per page load. */
export const PAGES_PER_MINUTE = 60;
/** The same per client address, which may be an office of visitors (tokens are the client's invention). */
export const PAGES_PER_ADDRESS_PER_MINUTE = 600;

/**
 * Identify and contact details: a page calls identify once per load, so a visitor stays far
 * below; an address (an office behind one NAT) holds many visitors.
 */
export const CONTACT_WRITES = { perToken: 30, perAddress: 600, windowSeconds: 10 * 60 } as const;

/**
 * An agent's photo uploads (protocol §14): each one is decoded and re-encoded, so a stolen
 * session or a script in a loop cannot keep the image pipeline busy.
 */
export const AVATAR_UPLOADS = { perAgent: 20, windowSeconds: HOUR_SECONDS } as const;

/** Password guessing (passwordChecks.ts says why there are three). */
export const LOGIN_LIMITS = {
  perAddress: 100,
  perAccount: 10,
  perUsername: 50,
  windowSeconds: 15 * 60,
} as const;

// Rule names are the limiters' keys in Redis: renaming one resets its counts in a cluster.
export function chatLimitRules(settings: LimitSettings) {
  return {
    /** A visitor's messages and uploads, per token: a minute's allowance may come at once. */
    messages: { name: "messages", points: settings.rateLimitPerMinute, windowSeconds: 60 },
    /** Conversations started per client address. */
    newConversations: {
      name: "conversations",
      points: settings.newConversationsPerIpPerHour,
      windowSeconds: HOUR_SECONDS,
    },
    /** Visitors' uploads per client address (tokens are the client's invention). */
    uploads: { name: "uploads", points: settings.uploadsPerIpPerHour, windowSeconds: HOUR_SECONDS },
    /** Page views kept per visitor token (protocol §12); more are not stored. */
    pages: { name: "pages", points: PAGES_PER_MINUTE, windowSeconds: 60 },
    pagesPerAddress: { name: "pages-address", points: PAGES_PER_ADDRESS_PER_MINUTE, windowSeconds: 60 },
    /** `/widget/identify` and `/widget/contact` calls per visitor token. */
    contactWritesPerToken: {
      name: "contact-token",
      points: CONTACT_WRITES.perToken,
      windowSeconds: CONTACT_WRITES.windowSeconds,
    },
    /** The same per client address (tokens are the client's invention). */
    contactWritesPerAddress: {
      name: "contact-address",
      points: CONTACT_WRITES.perAddress,
      windowSeconds: CONTACT_WRITES.windowSeconds,
    },
    /** REST requests per API token (apiTokens.ts): a program's, never a browser's. */
    api: {
      name: "api",
      points: settings.apiRequestsPerMinute ?? DEFAULT_API_REQUESTS_PER_MINUTE,
      windowSeconds: 60,
    },
    /** Photo uploads per agent (protocol §14). */
    avatars: {
      name: "avatars",
      points: AVATAR_UPLOADS.perAgent,
      windowSeconds: AVATAR_UPLOADS.windowSeconds,
    },
  } satisfies Record<keyof ChatContext["limits"], LimitRule>;
}

const loginRule = (name: string, points: number): LimitRule => ({
  name,
  points,
  windowSeconds: LOGIN_LIMITS.windowSeconds,
});

export const LOGIN_RULES = {
  perAddress: loginRule("login-address", LOGIN_LIMITS.perAddress),
  /** Keyed by address and username; cleared by a correct password. */
  perAccount: loginRule("login-account", LOGIN_LIMITS.perAccount),
  /** Failed attempts per username from every address. */
  perUsername: loginRule("login-username", LOGIN_LIMITS.perUsername),
} satisfies Record<keyof LoginLimiters, LimitRule>;

/** The chat's limiters, each made by `make` (memory or Redis) from its rule. */
export function chatLimiters(
  settings: LimitSettings,
  make: (rule: LimitRule) => Limiter,
): ChatContext["limits"] {
  const rules = chatLimitRules(settings);
  return {
    messages: make(rules.messages),
    newConversations: make(rules.newConversations),
    uploads: make(rules.uploads),
    pages: make(rules.pages),
    pagesPerAddress: make(rules.pagesPerAddress),
    contactWritesPerToken: make(rules.contactWritesPerToken),
    contactWritesPerAddress: make(rules.contactWritesPerAddress),
    api: make(rules.api),
    avatars: make(rules.avatars),
  };
}

export function loginLimiters(make: (rule: LimitRule) => Limiter): LoginLimiters {
  return {
    perAddress: make(LOGIN_RULES.perAddress),
    perAccount: make(LOGIN_RULES.perAccount),
    perUsername: make(LOGIN_RULES.perUsername),
  };
}

/**
 * A limiter whose allowance is read at every use, for limits an owner changes while the server
 * runs (ownerSettings.ts): when `points()` differs from the allowance it was built with, it is
 * built again. In a cluster the counts live in Redis under the rule's name and carry over; in
 * memory a change starts every key's window afresh.
 */
export function adjustableLimiter(
  rule: LimitRule,
  points: () => number,
  make: (rule: LimitRule) => Limiter,
): Limiter {
  let built: { points: number; limiter: Limiter } | undefined;
  const current = (): Limiter => {
    const now = points();
    if (built?.points !== now) built = { points: now, limiter: make({ ...rule, points: now }) };
    return built.limiter;
  };
  return {
    take: (key) => current().take(key),
    refund: (key) => current().refund(key),
    forget: (key) => current().forget(key),
  };
}

/** The chat's limiters with the owner's settings applied live (messages, new conversations). */
export function liveChatLimiters(
  settings: Pick<LimitSettings, "uploadsPerIpPerHour" | "apiRequestsPerMinute">,
  current: () => { rate_limit_per_minute: number; new_conversations_per_ip_per_hour: number },
  make: (rule: LimitRule) => Limiter,
): ChatContext["limits"] {
  const rules = chatLimitRules({ rateLimitPerMinute: 0, newConversationsPerIpPerHour: 0, ...settings });
  return {
    messages: adjustableLimiter(rules.messages, () => current().rate_limit_per_minute, make),
    newConversations: adjustableLimiter(
      rules.newConversations,
      () => current().new_conversations_per_ip_per_hour,
      make,
    ),
    uploads: make(rules.uploads),
    pages: make(rules.pages),
    pagesPerAddress: make(rules.pagesPerAddress),
    contactWritesPerToken: make(rules.contactWritesPerToken),
    contactWritesPerAddress: make(rules.contactWritesPerAddress),
    api: make(rules.api),
    avatars: make(rules.avatars),
  };
}
