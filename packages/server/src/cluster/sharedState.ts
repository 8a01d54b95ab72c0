/**
 * What nodes of one deployment must share, chosen once: without REDIS_URL everything lives in
 * this process (one node); with it, the broker, presence and every rate limit live in Redis, so
 * any number of identical nodes can run behind a load balancer.
 */
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import { MemoryBroker } from "../broker/memoryBroker.js";
import { RedisBroker } from "../broker/redisBroker.js";
import { chatLimiters, loginLimiters, type LimitSettings } from "../chat/limitRules.js";
import type { LoginLimiters } from "../chat/passwordChecks.js";
import { LocalPresence, type Presence } from "../chat/presence.js";
import { VISITOR_STREAMS } from "../chat/streams.js";
import { memoryLimiter, type Limiter, type LimitRule } from "../chat/rateLimits.js";
import { loadRedis } from "./loadRedis.js";
import { redisLimiter } from "./redisLimiter.js";
import { RedisPresence } from "./redisPresence.js";

export interface SharedState {
  broker: Broker;
  presence: Presence;
  limits: ReturnType<typeof chatLimiters>;
  loginLimits: LoginLimiters;
  /** Makes a limiter counting where these do (for limits whose numbers change live). */
  makeLimiter: (rule: LimitRule) => Limiter;
  close(): Promise<void>;
}

export interface SharedStateSettings extends LimitSettings {
  redisUrl: string | undefined;
}

export async function connectSharedState(
  settings: SharedStateSettings,
  logger: Logger,
): Promise<SharedState> {
  if (settings.redisUrl === undefined) {
    const broker = new MemoryBroker(logger);
    const presence = new LocalPresence();
    return {
      broker,
      presence,
      limits: chatLimiters(settings, memoryLimiter),
      loginLimits: loginLimiters(memoryLimiter),
      makeLimiter: memoryLimiter,
      close: async () => {
        await Promise.all([broker.close(), presence.close()]);
      },
    };
  }

  const url = settings.redisUrl;
  const broker = await RedisBroker.connect(url, logger, { patternFamilies: [VISITOR_STREAMS] });
  const presence = await RedisPresence.connect(url, logger).catch(async (error: unknown) => {
    await broker.close();
    throw error;
  });
  // While Redis is away a limit check must not wait: it fails at once and the limiter falls
  // back to counting in this node's memory (redisLimiter.ts).
  const Redis = await loadRedis();
  const limitsClient = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  limitsClient.on("error", (error: Error) => logger.debug({ err: error }, "limits: Redis error"));
  const shared = (rule: LimitRule): Limiter => redisLimiter(limitsClient, rule);
  return {
    broker,
    presence,
    limits: chatLimiters(settings, shared),
    loginLimits: loginLimiters(shared),
    makeLimiter: shared,
    close: async () => {
      await presence.close();
      await broker.close();
      await limitsClient.quit().catch(() => undefined);
    },
  };
}
