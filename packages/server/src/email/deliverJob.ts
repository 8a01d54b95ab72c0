/**
 * `email.deliver {id}`: sends one outbox row, once. A row already sent (or given up) is done
 * without sending. An SMTP failure keeps the row queued with its error and the job postpones
 * itself along MAIL_RETRY_SCHEDULE (the worker's own backoff is capped at minutes); after the
 * last retry the row is `failed`.
 *
 * The attempt is counted before the send: a process that dies mid-send comes back with the
 * count already up, so a server that always kills us is still given up on.
 */
import type { Logger } from "pino";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { ClaimedJob, Store } from "../store/store.js";
import type { StoredEmail } from "../store/emailStore.js";
import { isDeliverEmailPayload } from "./jobKinds.js";
import type { EmailSender } from "./smtpSender.js";

export interface DeliverEmailDeps {
  store: Pick<Store, "getEmail" | "countEmailAttempt" | "markEmailSent" | "markEmailFailed">;
  sender: EmailSender;
  /** The waits before each retry; its length is how many retries there are. */
  retryScheduleMs: readonly number[];
  logger: Logger;
  now: () => Date;
  /** Told of every attempt's outcome (metrics). */
  counted?: (email: StoredEmail, outcome: EmailOutcome) => void;
}

/** `sent`; `retry`: an attempt failed, another is scheduled; `failed`: given up after the last. */
export type EmailOutcome = "sent" | "retry" | "failed";

export function deliverEmailHandler(deps: DeliverEmailDeps): JobHandler {
  const { store, retryScheduleMs } = deps;
  return {
    // The SMTP failures are the row's own attempts (postponed); a thrown error is the store's.
    maxAttempts: 20,
    async run(job: ClaimedJob): Promise<JobOutcome> {
      const payload: unknown = JSON.parse(job.payload);
      if (!isDeliverEmailPayload(payload)) return { kind: "done" };
      const queued = await store.getEmail(payload.id);
      // Gone with its conversation, already sent, or given up: nothing to do, never twice.
      if (queued?.status !== "queued") return { kind: "done" };
      const email = (await store.countEmailAttempt(queued.id)) ?? queued;
      const log = deps.logger.child({ email: { id: email.id, kind: email.kind, attempts: email.attempts } });
      try {
        await deps.sender.send(email);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const wait = retryScheduleMs[email.attempts - 1];
        if (wait === undefined) {
          await store.markEmailFailed(email.id, message, true);
          log.warn({ error: message }, "email: given up after the last retry");
          deps.counted?.(email, "failed");
          return { kind: "done" };
        }
        await store.markEmailFailed(email.id, message, false);
        log.info({ error: message, retryInMs: wait }, "email: sending failed; will retry");
        // Counted as it happens: a queue of retries is the early sign of an SMTP outage, a day
        // before the `failed` that ends it.
        deps.counted?.(email, "retry");
        return { kind: "postpone", until: new Date(deps.now().getTime() + wait) };
      }
      if (await store.markEmailSent(email.id, deps.now().toISOString())) deps.counted?.(email, "sent");
      return { kind: "done" };
    },
  };
}
