/**
 * The server's configuration, read from the environment once, in main.ts. A bad value stops the
 * boot with one line naming the variable (ConfigError), never a stack trace or a silent default.
 */
import { statSync } from "node:fs";
import { isIP } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { OwnerSettings } from "@parley/protocol";
import { DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, IDLE_TIMEOUT_MS, MAX_BUFFERED_BYTES } from "./cable/limits.js";
import { DEFAULT_API_REQUESTS_PER_MINUTE } from "./chat/limitRules.js";
import { vapidKeyProblem, type VapidKeys } from "./push/vapidKeys.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface Config {
  port: number;
  host: string;
  storageDir: string;
  /** Unset: SQLite in storageDir. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Origins (scheme://host[:port]) that may embed the widget: anonymous visitor access only. */
  allowedOrigins: string[];
  /** Origins besides the server's own where an agents' inbox runs: the session cookie is honoured. */
  agentOrigins: string[];
  adminUser: string | undefined;
  adminPassword: string | undefined;
  /** Unset: generated once into storageDir (see secrets.ts). */
  secretKeyBase: string | undefined;
  /** The owner settings' values when neither the environment nor the owner sets one. */
  rateLimitPerMinute: number;
  /** 0 turns the cap off. */
  newConversationsPerIpPerHour: number;
  /** The owner settings (protocol §10) an environment variable sets: the inbox cannot change them. */
  ownerSettingsFromEnvironment: Array<keyof OwnerSettings>;
  /** Open cable sockets per client address; 0 turns the cap off. */
  maxConnectionsPerAddress: number;
  /** CABLE_IDLE_TIMEOUT_SECONDS: a socket unsubscribed, or silent (no frame, no pong), this long is closed. */
  cableIdleTimeoutMs: number;
  /** CABLE_MAX_BUFFERED_KB in bytes: a client this far behind (cable/limits.ts) is cut off. */
  cableMaxBufferedBytes: number;
  /** REQUEST_TIMEOUT_SECONDS: the longest an HTTP request (headers and body) may take to arrive. */
  requestTimeoutMs: number;
  /** Which hops of X-Forwarded-For to believe (http/clientAddress.ts). */
  trustProxy: TrustProxy;
  logLevel: LogLevel;
  nodeEnv: "production" | "development" | "test";
  /** MAX_UPLOAD_MB in bytes. */
  maxUploadBytes: number;
  /** Visitors' uploads one address may make per hour; 0 turns the cap off. */
  uploadsPerIpPerHour: number;
  /** REST requests one API token may make per minute. */
  apiRequestsPerMinute: number;
  /** UPLOAD_BYTES_PER_IP_MB in bytes: what one address may hold in uploads not yet sent; 0: no cap. */
  uploadBytesPerIp: number;
  s3: S3Config | undefined;
  /** Unset: generated once into storageDir (push/vapidKeys.ts). */
  vapidKeys: VapidKeys | undefined;
  /** The contact push services see in the VAPID token: a mailto: or https: URL. */
  vapidSubject: string;
  /** Push service origins accepted beside the browsers' own (push/endpoints.ts). */
  pushEndpointOrigins: string[];
  /** The files the server hands browsers (ASSETS_DIR, or this checkout's builds). */
  assets: AssetPaths;
  /**
   * The widget fields WIDGET_* set (only those): they fix the default site's fields of the same
   * names (chat/sites.ts); every other site, and the fields unset here, are the owner's.
   */
  widget: Partial<WidgetFromEnvironment>;
  /** Where Prometheus scrapes (metrics/): off unless a token or a port is set. */
  metrics: MetricsConfig;
  /** Webhook deliveries (webhooks/, protocol §13). */
  webhooks: WebhookConfig;
  /** Email (protocol §16): undefined unless SMTP_URL, MAIL_FROM and PUBLIC_URL are all set. */
  email: EmailConfig | undefined;
}

export interface WebhookConfig {
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local targets and plain http allowed. */
  allowPrivate: boolean;
  /** WEBHOOK_ALLOWED_HOSTS: hosts allowed those, one by one (an internal receiver). */
  allowedHosts: string[];
  /** WEBHOOK_CA_FILE: PEM CA certificates trusted for deliveries beside the usual roots. */
  caFile: string | undefined;
  /** WEBHOOK_RETRY_SCHEDULE (seconds, comma-separated): the wait before each retry. */
  retryScheduleMs: number[];
  /** WEBHOOK_TIMEOUT_MS: one request's limit, answer included (at most 30 s: within a job's lease). */
  timeoutMs: number;
  /** WEBHOOK_DISABLE_AFTER_SECONDS: failing this long without a success disables an endpoint. */
  disableAfterMs: number;
}

/** 10 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 28 hours of tries. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_S = [10, 60, 300, 1800, 7200, 18_000, 36_000, 36_000];

export interface MetricsConfig {
  /** METRICS_TOKEN: GET /metrics on the main port answers `Authorization: Bearer <token>` only. */
  token: string | undefined;
  /** METRICS_PORT: a separate listener serving only /metrics, without a token (keep it private). */
  port: number | undefined;
  /** METRICS_HOST: that listener's address; loopback unless set. */
  host: string;
}

export interface AssetPaths {
  /** widget.js; its lazily loaded widget-uploads.js lies beside it. */
  widgetJs: string;
  /** The demo page served at `/`. */
  demoHtml: string;
  /** The inbox's build, served at `/admin`. */
  inboxDir: string;
}

export interface WidgetFromEnvironment {
  title: string;
  greeting: string;
  /** #rgb or #rrggbb. */
  color: string;
  position: "left" | "right";
}

/** This checkout (or image), from src/config.ts and from the bundled dist/main.js alike. */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Where `npm run build` puts what browsers download. */
export const BUILT_ASSETS: Readonly<AssetPaths> = {
  widgetJs: join(REPO_ROOT, "packages/widget/dist/widget.js"),
  demoHtml: join(REPO_ROOT, "packages/widget/demo.html"),
  inboxDir: join(REPO_ROOT, "packages/inbox/dist"),
};

/**
 * TRUST_PROXY: how many proxies stand between the clients and this server (0: none, the socket's
 * peer is the client; `true` is 1, kamal-proxy), or the proxies' addresses and CIDRs.
 */
export type TrustProxy = number | readonly string[];

/** More proxy hops than anyone runs: a larger count is a typo. */
const MAX_PROXY_HOPS = 10;

/** Used when VAPID_SUBJECT is unset; push services accept it, but a real address is better. */
export const DEFAULT_VAPID_SUBJECT = "mailto:parley@example.invalid";

/** An S3-compatible bucket for uploads (S3_*); without S3_BUCKET they go to STORAGE_DIR/uploads. */
export interface S3Config {
  bucket: string;
  /** Unset: AWS itself. */
  endpoint: string | undefined;
  region: string;
  /** Unset: the AWS SDK's own credential chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
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
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function origins(env: Env, name: "ALLOWED_ORIGINS" | "AGENT_ORIGINS", fallback: string): string[] {
  const raw = text(env, name) ?? fallback;
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new ConfigError(name, `"${entry}" is not an origin like https://example.com`);
      }
      if (
        (url.protocol !== "http:" && url.protocol !== "https:") ||
        url.origin !== entry.replace(/\/$/, "")
      ) {
        throw new ConfigError(name, `"${entry}" is not an origin like https://example.com (no path)`);
      }
      return url.origin;
    });
}

function trustProxy(env: Env): TrustProxy {
  const raw = text(env, "TRUST_PROXY");
  if (raw === undefined) return 0;
  const lower = raw.toLowerCase();
  if (["true", "yes", "on"].includes(lower)) return 1;
  if (["false", "no", "off"].includes(lower)) return 0;
  if (/^\d+$/.test(raw)) return integer(env, "TRUST_PROXY", 0, 0, MAX_PROXY_HOPS);
  const proxies = raw.split(",").map((entry) => entry.trim());
  for (const proxy of proxies) {
    const [address, bits] = proxy.split("/");
    if (!address || isIP(address) === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) {
      throw new ConfigError(
        "TRUST_PROXY",
        `expected true/false, a number of proxy hops, or proxy addresses (CIDR allowed), got "${proxy}"`,
      );
    }
  }
  return proxies;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function s3(env: Env): S3Config | undefined {
  const bucket = text(env, "S3_BUCKET");
  const others = [
    "S3_ENDPOINT",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_FORCE_PATH_STYLE",
  ];
  if (bucket === undefined) {
    const stray = others.find((name) => text(env, name) !== undefined);
    if (stray !== undefined)
      throw new ConfigError("S3_BUCKET", `must be set when ${stray} is (or unset ${stray})`);
    return undefined;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError("S3_BUCKET", `"${bucket}" is not a bucket name (3-63 of a-z 0-9 . -)`);
  }
  const endpoint = text(env, "S3_ENDPOINT");
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) {
    throw new ConfigError("S3_ENDPOINT", `expected a URL like https://s3.example.com, got "${endpoint}"`);
  }
  const accessKeyId = text(env, "S3_ACCESS_KEY_ID");
  const secretAccessKey = text(env, "S3_SECRET_ACCESS_KEY");
  if (accessKeyId === undefined && secretAccessKey !== undefined) {
    throw new ConfigError("S3_ACCESS_KEY_ID", "must be set together with S3_SECRET_ACCESS_KEY");
  }
  if (accessKeyId !== undefined && secretAccessKey === undefined) {
    throw new ConfigError("S3_SECRET_ACCESS_KEY", "must be set together with S3_ACCESS_KEY_ID");
  }
  return {
    bucket,
    endpoint,
    region: text(env, "S3_REGION") ?? "us-east-1",
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined
        ? undefined
        : { accessKeyId, secretAccessKey },
    forcePathStyle: flag(env, "S3_FORCE_PATH_STYLE", false),
  };
}

function databaseUrl(env: Env): string | undefined {
  const raw = text(env, "DATABASE_URL");
  if (raw === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError("DATABASE_URL", "only postgres:// URLs are supported; leave it unset for SQLite");
  }
  return raw;
}

function vapidKeys(env: Env): VapidKeys | undefined {
  const publicKey = text(env, "VAPID_PUBLIC_KEY");
  const privateKey = text(env, "VAPID_PRIVATE_KEY");
  if (publicKey === undefined && privateKey === undefined) return undefined;
  if (publicKey === undefined)
    throw new ConfigError("VAPID_PUBLIC_KEY", "must be set together with VAPID_PRIVATE_KEY");
  if (privateKey === undefined)
    throw new ConfigError("VAPID_PRIVATE_KEY", "must be set together with VAPID_PUBLIC_KEY");
  const keys = { publicKey, privateKey };
  const problem = vapidKeyProblem(keys);
  if (problem !== undefined) throw new ConfigError(problem.variable, problem.problem);
  return keys;
}

function vapidSubject(env: Env): string {
  const raw = text(env, "VAPID_SUBJECT");
  if (raw === undefined) return DEFAULT_VAPID_SUBJECT;
  const valid =
    /^mailto:[^@\s]+@[^@\s]+$/.test(raw) || (URL.canParse(raw) && new URL(raw).protocol === "https:");
  if (!valid)
    throw new ConfigError("VAPID_SUBJECT", `expected mailto:you@example.com or an https: URL, got "${raw}"`);
  return raw;
}

/** Only https origins: web push is always sent over TLS. */
function pushEndpointOrigins(env: Env): string[] {
  const raw = text(env, "PUSH_ENDPOINT_ORIGINS");
  if (raw === undefined) return [];
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const url = URL.canParse(entry) ? new URL(entry) : undefined;
      if (url?.protocol !== "https:" || url.origin !== entry.replace(/\/$/, "")) {
        throw new ConfigError(
          "PUSH_ENDPOINT_ORIGINS",
          `"${entry}" is not an https origin like https://push.example.com:8443`,
        );
      }
      return url.origin;
    });
}

/**
 * ASSETS_DIR: one folder holding widget.js (and widget-uploads.js), demo.html and inbox/, for an
 * operator who serves their own builds; unset, the builds in this checkout.
 */
function assets(env: Env): AssetPaths {
  const raw = text(env, "ASSETS_DIR");
  if (raw === undefined) return { ...BUILT_ASSETS };
  const dir = resolve(raw);
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    // missing: said below
  }
  if (!isFolder) throw new ConfigError("ASSETS_DIR", `"${raw}" is not a folder`);
  return { widgetJs: join(dir, "widget.js"), demoHtml: join(dir, "demo.html"), inboxDir: join(dir, "inbox") };
}

function widgetText(env: Env, name: string, max: number): string | undefined {
  const value = text(env, name);
  // Shown as text by the widget; no line breaks or other control characters in a heading.
  if (value !== undefined && (value.length > max || /\p{Cc}/u.test(value)))
    throw new ConfigError(name, `use at most ${max} characters on one line`);
  return value;
}

function widget(env: Env): Partial<WidgetFromEnvironment> {
  const set: Partial<WidgetFromEnvironment> = {};
  const title = widgetText(env, "WIDGET_TITLE", 80);
  if (title !== undefined) set.title = title;
  const greeting = widgetText(env, "WIDGET_GREETING", 500);
  if (greeting !== undefined) set.greeting = greeting;
  const color = text(env, "WIDGET_COLOR");
  if (color !== undefined) {
    if (!/^#(?:[0-9a-fA-F]{3}){1,2}$/.test(color))
      throw new ConfigError("WIDGET_COLOR", `expected #rgb or #rrggbb, got "${color}"`);
    set.color = color;
  }
  const position = text(env, "WIDGET_POSITION");
  if (position !== undefined) {
    if (position !== "left" && position !== "right")
      throw new ConfigError("WIDGET_POSITION", `expected left or right, got "${position}"`);
    set.position = position;
  }
  return set;
}

/** Which owner settings the environment fixes: those whose variable is set. */
function ownerSettingsFromEnvironment(env: Env): Array<keyof OwnerSettings> {
  const variables: Array<[keyof OwnerSettings, string]> = [
    ["rate_limit_per_minute", "RATE_LIMIT_PER_MINUTE"],
    ["new_conversations_per_ip_per_hour", "NEW_CONVERSATIONS_PER_IP_PER_HOUR"],
    ["max_upload_mb", "MAX_UPLOAD_MB"],
  ];
  return variables.filter(([, variable]) => text(env, variable) !== undefined).map(([key]) => key);
}

/** 0 turns the cap off; otherwise it must fit at least one upload of MAX_UPLOAD_MB. */
function uploadBytesPerIp(env: Env, maxUploadMb: number): number {
  const mb = integer(env, "UPLOAD_BYTES_PER_IP_MB", 50, 0, 1_048_576);
  if (mb !== 0 && mb < maxUploadMb) {
    throw new ConfigError(
      "UPLOAD_BYTES_PER_IP_MB",
      `must be 0 (no cap) or at least MAX_UPLOAD_MB (${maxUploadMb}), got ${mb}`,
    );
  }
  return mb * 1024 * 1024;
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
  const maxUploadMb = integer(env, "MAX_UPLOAD_MB", 10, 1, 1024);
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
    allowedOrigins: origins(env, "ALLOWED_ORIGINS", "http://localhost:3000"),
    agentOrigins: origins(env, "AGENT_ORIGINS", ""),
    adminUser,
    adminPassword,
    secretKeyBase,
    rateLimitPerMinute: integer(env, "RATE_LIMIT_PER_MINUTE", 30, 1, 100_000),
    newConversationsPerIpPerHour: integer(env, "NEW_CONVERSATIONS_PER_IP_PER_HOUR", 60, 0, 1_000_000),
    ownerSettingsFromEnvironment: ownerSettingsFromEnvironment(env),
    maxConnectionsPerAddress: integer(
      env,
      "MAX_CONNECTIONS_PER_ADDRESS",
      DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
      0,
      1_000_000,
    ),
    // Fastify turns Node's own bound (300 s) off: a body sent a byte a second held its socket
    // for ever. 300 s is a 10 MB upload at about 300 kbit/s.
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_SECONDS", 300, 1, 3600) * 1000,
    // At least two ping intervals: the WebSocket ping goes out after half of it (cableServer.ts).
    cableIdleTimeoutMs: integer(env, "CABLE_IDLE_TIMEOUT_SECONDS", IDLE_TIMEOUT_MS / 1000, 6, 3600) * 1000,
    cableMaxBufferedBytes: integer(env, "CABLE_MAX_BUFFERED_KB", MAX_BUFFERED_BYTES / 1024, 64, 65536) * 1024,
    trustProxy: trustProxy(env),
    logLevel: logLevel as LogLevel,
    nodeEnv,
    maxUploadBytes: maxUploadMb * 1024 * 1024,
    uploadsPerIpPerHour: integer(env, "UPLOADS_PER_IP_PER_HOUR", 60, 0, 1_000_000),
    apiRequestsPerMinute: integer(
      env,
      "API_REQUESTS_PER_MINUTE",
      DEFAULT_API_REQUESTS_PER_MINUTE,
      1,
      1_000_000,
    ),
    uploadBytesPerIp: uploadBytesPerIp(env, maxUploadMb),
    s3: s3(env),
    vapidKeys: vapidKeys(env),
    vapidSubject: vapidSubject(env),
    pushEndpointOrigins: pushEndpointOrigins(env),
    assets: assets(env),
    widget: widget(env),
    metrics: metrics(env),
    webhooks: webhooks(env),
    email: emailConfig(env),
  };
}

function webhooks(env: Env): WebhookConfig {
  const hosts = (text(env, "WEBHOOK_ALLOWED_HOSTS") ?? "")
    .split(",")
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, "$1"),
    )
    .filter((entry) => entry !== "");
  for (const host of hosts) {
    if (!/^[a-z0-9.:-]+$/.test(host))
      throw new ConfigError("WEBHOOK_ALLOWED_HOSTS", `"${host}" is not a host name or address`);
  }
  const caFile = text(env, "WEBHOOK_CA_FILE");
  if (caFile !== undefined) {
    let isFile = false;
    try {
      isFile = statSync(caFile).isFile();
    } catch {
      // missing: said below
    }
    if (!isFile) throw new ConfigError("WEBHOOK_CA_FILE", `"${caFile}" is not a file`);
  }
  const rawSchedule = text(env, "WEBHOOK_RETRY_SCHEDULE");
  const schedule =
    rawSchedule === undefined
      ? DEFAULT_WEBHOOK_RETRY_SCHEDULE_S
      : rawSchedule.split(",").map((entry) => {
          const value = entry.trim();
          if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 7 * 24 * 3600)
            throw new ConfigError(
              "WEBHOOK_RETRY_SCHEDULE",
              `expected seconds separated by commas (each at most a week), got "${value}"`,
            );
          return Number(value);
        });
  if (schedule.length > 50) throw new ConfigError("WEBHOOK_RETRY_SCHEDULE", "at most 50 retries");
  return {
    allowPrivate: flag(env, "WEBHOOK_ALLOW_PRIVATE", false),
    allowedHosts: hosts,
    caFile: caFile === undefined ? undefined : resolve(caFile),
    retryScheduleMs: schedule.map((seconds) => Math.round(seconds * 1000)),
    timeoutMs: integer(env, "WEBHOOK_TIMEOUT_MS", 10_000, 100, 30_000),
    disableAfterMs: integer(env, "WEBHOOK_DISABLE_AFTER_SECONDS", 24 * 3600, 1, 365 * 24 * 3600) * 1000,
  };
}

function metrics(env: Env): MetricsConfig {
  const token = text(env, "METRICS_TOKEN");
  if (token !== undefined && token.length < 16) {
    throw new ConfigError("METRICS_TOKEN", "must be at least 16 characters (e.g. openssl rand -hex 32)");
  }
  const port =
    text(env, "METRICS_PORT") === undefined ? undefined : integer(env, "METRICS_PORT", 0, 0, 65535);
  return { token, port, host: text(env, "METRICS_HOST") ?? "127.0.0.1" };
}

/**
 * Email (protocol §16, docs/email.md): sending is on when SMTP_URL, MAIL_FROM and PUBLIC_URL are
 * all set; reading visitors' answers also needs IMAP_URL. Unset altogether: no email, nothing else
 * changes.
 */
export interface EmailConfig {
  /** SMTP_URL as given (smtp:// or smtps://, credentials inside): nodemailer takes it as it is. */
  smtpUrl: string;
  /** MAIL_FROM as given: `help@example.com` or `Example Help <help@example.com>`. */
  from: string;
  /** MAIL_FROM's address alone; its domain ends every Message-ID Parley makes. */
  fromAddress: string;
  /** PUBLIC_URL without a trailing slash: where links in emails lead (`/admin`, `/email/…`). */
  publicUrl: string;
  /** MAIL_REPLY_TO (an address), else MAIL_FROM's address: the mailbox answers go to. */
  replyTo: string;
  /** IMAP_URL, parsed; unset: answers by email are not read. */
  imap: ImapConfig | undefined;
  /** MAIL_RETRY_SCHEDULE (seconds, comma-separated): the wait before each retry of a failed send. */
  retryScheduleMs: number[];
}

/** 30 s, 1, 2, 5, 10, 20, 30 min, 1, 2, 3, 4, 6, 6 h: about 23 hours of tries, then given up. */
export const DEFAULT_MAIL_RETRY_SCHEDULE_S = [
  30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 10_800, 14_400, 21_600, 21_600,
];

export interface ImapConfig {
  /** IMAP_URL as given. */
  url: string;
  host: string;
  port: number;
  /** imaps:// (TLS from the start); imap:// upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  password: string;
  /** The URL's path, decoded; INBOX when it has none. */
  mailbox: string;
  /** IMAP_POLL_SECONDS: how often the mailbox is checked. */
  pollSeconds: number;
}

/** Plain enough for the headers Parley writes: local@domain, no spaces, brackets, quotes or commas. */
const MAIL_ADDRESS_PATTERN = /^[^@\s<>",;]+@[^@\s<>",;]+$/;

export function isMailAddress(value: string): boolean {
  return value.length <= 254 && MAIL_ADDRESS_PATTERN.test(value);
}

function mailFrom(raw: string): { from: string; address: string } {
  const named = /^(.*)<([^<>]+)>$/.exec(raw);
  const address = (named === null ? raw : (named[2] ?? "")).trim();
  if (!isMailAddress(address) || /[\r\n]/.test(raw))
    throw new ConfigError(
      "MAIL_FROM",
      `expected an address like help@example.com or Name <help@example.com>, got "${raw}"`,
    );
  return { from: raw, address };
}

function smtpUrl(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if ((url?.protocol !== "smtp:" && url?.protocol !== "smtps:") || url.hostname === "")
    throw new ConfigError("SMTP_URL", "expected a URL like smtps://user:password@smtp.example.com:465");
  return raw;
}

function publicUrl(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (
    (url?.protocol !== "http:" && url?.protocol !== "https:") ||
    url.search !== "" ||
    url.hash !== "" ||
    url.username !== "" ||
    url.password !== ""
  )
    throw new ConfigError(
      "PUBLIC_URL",
      `expected the server's address like https://chat.example.com, got "${raw}"`,
    );
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function imap(raw: string, pollSeconds: number): ImapConfig {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if ((url?.protocol !== "imap:" && url?.protocol !== "imaps:") || url.hostname === "" || url.username === "")
    throw new ConfigError("IMAP_URL", "expected a URL like imaps://user:password@imap.example.com/INBOX");
  const secure = url.protocol === "imaps:";
  let mailbox: string;
  try {
    mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, "").replace(/\/+$/, ""));
  } catch {
    throw new ConfigError("IMAP_URL", "the mailbox (the URL's path) is not valid percent-encoding");
  }
  return {
    url: raw,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? (secure ? 993 : 143) : Number(url.port),
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox: mailbox === "" ? "INBOX" : mailbox,
    pollSeconds,
  };
}

function mailRetrySchedule(env: Env): number[] {
  const raw = text(env, "MAIL_RETRY_SCHEDULE");
  if (raw === undefined) return DEFAULT_MAIL_RETRY_SCHEDULE_S.map((seconds) => seconds * 1000);
  const schedule = raw.split(",").map((entry) => {
    const value = entry.trim();
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 7 * 24 * 3600)
      throw new ConfigError(
        "MAIL_RETRY_SCHEDULE",
        `expected seconds separated by commas (each at most a week), got "${value}"`,
      );
    return Math.round(Number(value) * 1000);
  });
  if (schedule.length > 50) throw new ConfigError("MAIL_RETRY_SCHEDULE", "at most 50 retries");
  return schedule;
}

export function emailConfig(env: Env): EmailConfig | undefined {
  const smtp = text(env, "SMTP_URL");
  const pollSeconds = integer(env, "IMAP_POLL_SECONDS", 30, 1, 3600);
  if (smtp === undefined) {
    const stray = ["MAIL_FROM", "PUBLIC_URL", "MAIL_REPLY_TO", "IMAP_URL", "MAIL_RETRY_SCHEDULE"].find(
      (name) => text(env, name) !== undefined,
    );
    if (stray !== undefined)
      throw new ConfigError(
        "SMTP_URL",
        `must be set when ${stray} is (email needs SMTP_URL, MAIL_FROM and PUBLIC_URL)`,
      );
    return undefined;
  }
  for (const name of ["MAIL_FROM", "PUBLIC_URL"]) {
    if (text(env, name) === undefined)
      throw new ConfigError(
        name,
        "must be set when SMTP_URL is (email needs SMTP_URL, MAIL_FROM and PUBLIC_URL)",
      );
  }
  const from = mailFrom(text(env, "MAIL_FROM") ?? "");
  const replyTo = text(env, "MAIL_REPLY_TO") ?? from.address;
  if (!isMailAddress(replyTo))
    throw new ConfigError("MAIL_REPLY_TO", `expected an address like replies@example.com, got "${replyTo}"`);
  const imapUrl = text(env, "IMAP_URL");
  return {
    smtpUrl: smtpUrl(smtp),
    from: from.from,
    fromAddress: from.address,
    publicUrl: publicUrl(text(env, "PUBLIC_URL") ?? ""),
    replyTo,
    imap: imapUrl === undefined ? undefined : imap(imapUrl, pollSeconds),
    retryScheduleMs: mailRetrySchedule(env),
  };
}
