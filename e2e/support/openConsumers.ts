/**
 * The stock `@rails/actioncable` consumers the e2e helpers opened and have not closed yet, closed
 * after the test file's tests. The stock client reconnects for ever, so one left open by a test
 * that failed before its `close()` kept the file's process alive after its last test, and the
 * whole run waited for it (seen in CI: `npm test` stalled after a failed inbox test).
 *
 * The hook is registered when a helper first imports this, before the hooks the test file
 * registers itself (which stop the server), so the consumers are closed first.
 */
import { after } from "node:test";
import type { Consumer } from "@rails/actioncable";

const open = new Set<Consumer>();

after(() => {
  for (const consumer of open) consumer.disconnect();
  open.clear();
});

/** Closed after the file's tests unless `closeConsumer` closes it first. */
export function trackConsumer(consumer: Consumer): Consumer {
  open.add(consumer);
  return consumer;
}

export function closeConsumer(consumer: Consumer): void {
  open.delete(consumer);
  consumer.disconnect();
}
