/**
 * What nodes of one deployment must share, chosen once: without REDIS_URL everything lives in
 * this process (one node); with it, the broker, presence and every rate limit live in Redis, so
 * any number of identical nodes can run behind a load balancer.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import { MemoryBroker } from "../broker/memoryBroker.js";
import { RedisBroker } from "../broker/redisBroker.js";
import { LOGIN_LIMITS, memoryLoginLimiters, type LoginLimiters } from "../chat/passwordChecks.js";
import { LocalPresence, type Presence } from "../chat/presence.js";
import { SlidingWindowLimiter, TokenBucketLimiter, type Limiter } from "../chat/rateLimits.js";
import { RedisLimiter } from "./redisLimiter.js";
import { RedisPresence } from "./redisPresence.js";

const HOUR_SECONDS = 60 * 60;
const LOGIN_WINDOW_SECONDS = LOGIN_LIMITS.windowSeconds;

export interface SharedState {
  broker: Broker;
  presence: Presence;
  limits: { messages: Limiter; newConversations: Limiter; uploads: Limiter };
  loginLimits: LoginLimiters;
  close(): Promise<void>;
}

export interface SharedStateSettings {
  redisUrl: string | undefined;
  rateLimitPerMinute: number;
  newConversationsPerIpPerHour: number;
  uploadsPerIpPerHour: number;
}

export async function connectSharedState(settings: SharedStateSettings, logger: Logger): Promise<SharedState> {
  if (settings.redisUrl === undefined) {
    const broker = new MemoryBroker(logger);
    const presence = new LocalPresence();
    return {
      broker,
      presence,
      limits: {
        messages: new TokenBucketLimiter(settings.rateLimitPerMinute),
        newConversations: new SlidingWindowLimiter(settings.newConversationsPerIpPerHour, HOUR_SECONDS * 1000),
        uploads: new SlidingWindowLimiter(settings.uploadsPerIpPerHour, HOUR_SECONDS * 1000),
      },
      loginLimits: memoryLoginLimiters(),
      close: async () => {
        await Promise.all([broker.close(), presence.close()]);
      },
    };
  }

  const url = settings.redisUrl;
  const broker = await RedisBroker.connect(url, logger);
  const presence = await RedisPresence.connect(url, logger).catch(async (error: unknown) => {
    await broker.close();
    throw error;
  });
  // While Redis is away a limit check must not wait: it fails at once and the limiter falls
  // back to counting in this node's memory (redisLimiter.ts).
  const limitsClient = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  limitsClient.on("error", (error: Error) => logger.debug({ err: error }, "limits: Redis error"));
  return {
    broker,
    presence,
    limits: {
      messages: new RedisLimiter(limitsClient, "messages", settings.rateLimitPerMinute, 60),
      newConversations: new RedisLimiter(limitsClient, "conversations", settings.newConversationsPerIpPerHour, HOUR_SECONDS),
      uploads: new RedisLimiter(limitsClient, "uploads", settings.uploadsPerIpPerHour, HOUR_SECONDS),
    },
    loginLimits: {
      perAddress: new RedisLimiter(limitsClient, "login-address", LOGIN_LIMITS.perAddress, LOGIN_WINDOW_SECONDS),
      perAccount: new RedisLimiter(limitsClient, "login-account", LOGIN_LIMITS.perAccount, LOGIN_WINDOW_SECONDS),
      perUsername: new RedisLimiter(limitsClient, "login-username", LOGIN_LIMITS.perUsername, LOGIN_WINDOW_SECONDS),
    },
    close: async () => {
      await presence.close();
      await broker.close();
      await limitsClient.quit().catch(() => undefined);
    },
  };
}
