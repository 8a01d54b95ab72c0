/** What the store logs through. A pino logger fits as it is; tests pass nothing. */
export interface StoreLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}
