/**
 * The server's configuration, read from the environment once, in main.ts. A bad value stops the
 * boot with one line naming the variable (ConfigError), never a stack trace or a silent default.
 */
import { isIP } from "node:net";
import { resolve } from "node:path";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface Config {
  port: number;
  host: string;
  storageDir: string;
  /** Unset: SQLite in storageDir. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Origins (scheme://host[:port]) that may embed the widget and call the API with cookies. */
  allowedOrigins: string[];
  adminUser: string | undefined;
  adminPassword: string | undefined;
  /** Unset: generated once into storageDir (see secrets.ts). */
  secretKeyBase: string | undefined;
  rateLimitPerMinute: number;
  /** 0 turns the cap off. */
  newConversationsPerIpPerHour: number;
  /** false, true (trust every hop), or the proxies' addresses. */
  trustProxy: boolean | string[];
  logLevel: LogLevel;
  nodeEnv: "production" | "development" | "test";
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function origins(env: Env): string[] {
  const raw = text(env, "ALLOWED_ORIGINS") ?? "http://localhost:3000";
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new ConfigError("ALLOWED_ORIGINS", `"${entry}" is not an origin like https://example.com`);
      }
      if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== entry.replace(/\/$/, "")) {
        throw new ConfigError("ALLOWED_ORIGINS", `"${entry}" is not an origin like https://example.com (no path)`);
      }
      return url.origin;
    });
}

function trustProxy(env: Env): boolean | string[] {
  const raw = text(env, "TRUST_PROXY");
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (["1", "true", "yes", "on"].includes(lower)) return true;
  if (["0", "false", "no", "off"].includes(lower)) return false;
  const proxies = raw.split(",").map((entry) => entry.trim());
  for (const proxy of proxies) {
    const [address, bits] = proxy.split("/");
    if (!address || isIP(address) === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) {
      throw new ConfigError("TRUST_PROXY", `expected true/false or proxy addresses (CIDR allowed), got "${proxy}"`);
    }
  }
  return proxies;
}

function databaseUrl(env: Env): string | undefined {
  const raw = text(env, "DATABASE_URL");
  if (raw === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError("DATABASE_URL", "only postgres:// URLs are supported; leave it unset for SQLite");
  }
  return raw;
}

export function loadConfig(env: Env): Config {
  const logLevel = (text(env, "LOG_LEVEL") ?? "info").toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError("LOG_LEVEL", `expected one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  const nodeEnv = text(env, "NODE_ENV") ?? "development";
  if (nodeEnv !== "production" && nodeEnv !== "development" && nodeEnv !== "test") {
    throw new ConfigError("NODE_ENV", `expected production, development or test, got "${nodeEnv}"`);
  }
  const adminUser = text(env, "ADMIN_USER");
  const adminPassword = env.ADMIN_PASSWORD === "" ? undefined : env.ADMIN_PASSWORD;
  if (adminUser !== undefined && !/^[A-Za-z0-9_.@-]{1,64}$/.test(adminUser)) {
    throw new ConfigError("ADMIN_USER", "use 1-64 letters, digits or _ . @ -");
  }
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError("ADMIN_PASSWORD", "must be at least 8 characters");
  }
  const secretKeyBase = text(env, "SECRET_KEY_BASE");
  if (secretKeyBase !== undefined && secretKeyBase.length < 32) {
    throw new ConfigError("SECRET_KEY_BASE", "must be at least 32 characters (e.g. openssl rand -hex 64)");
  }
  const redisUrl = text(env, "REDIS_URL");
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError("REDIS_URL", "expected a redis:// or rediss:// URL");
  }
  return {
    port: integer(env, "PORT", 3100, 0, 65535),
    host: text(env, "HOST") ?? "0.0.0.0",
    storageDir: resolve(text(env, "STORAGE_DIR") ?? "./storage"),
    databaseUrl: databaseUrl(env),
    redisUrl,
    allowedOrigins: origins(env),
    adminUser,
    adminPassword,
    secretKeyBase,
    rateLimitPerMinute: integer(env, "RATE_LIMIT_PER_MINUTE", 30, 1, 100_000),
    newConversationsPerIpPerHour: integer(env, "NEW_CONVERSATIONS_PER_IP_PER_HOUR", 60, 0, 1_000_000),
    trustProxy: trustProxy(env),
    logLevel: logLevel as LogLevel,
    nodeEnv,
  };
}
