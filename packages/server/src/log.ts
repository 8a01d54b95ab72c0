/**
 * The process's JSON logger. Secrets are removed by path wherever they could appear: cookies,
 * auth headers, passwords and visitor tokens never reach a log line.
 */
import pino, { type Logger } from "pino";
import type { LogLevel } from "./config.js";

export const REDACTED_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "password",
  "*.password",
  "token",
  "*.token",
  "session_token",
  "*.session_token",
  "secret",
  "*.secret",
];

export function createLogger(level: LogLevel): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } });
}
