/** A pino logger whose lines a test reads, at the most verbose level. */
import pino, { type Logger } from "pino";
import { REDACTED_PATHS } from "../log.js";

export interface CapturedLogs {
  logger: Logger;
  /** Every line so far, parsed. */
  lines(): Record<string, unknown>[];
  /** The lines whose `msg` is `message`. */
  withMessage(message: string): Record<string, unknown>[];
}

/** Redacted as the process's logger is (log.ts); each line is readable once the call returns. */
export function captureLogs(): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const destination = {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  };
  const logger = pino(
    { level: "trace", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } },
    destination,
  );
  return {
    logger,
    lines: () => [...lines],
    withMessage: (message) => lines.filter((line) => line.msg === message),
  };
}
