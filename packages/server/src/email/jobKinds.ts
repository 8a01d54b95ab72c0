/** The email module's job kinds, and how a delivery job is enqueued (one per outbox row). */
import type { JobQueue } from "../jobs/queue.js";

export const DELIVER_EMAIL = "email.deliver";
export const AGENT_ALERT = "email.agent_alert";

export interface DeliverEmailPayload {
  id: number;
}

export function isDeliverEmailPayload(value: unknown): value is DeliverEmailPayload {
  return typeof value === "object" && value !== null && Number.isSafeInteger((value as { id?: unknown }).id);
}

/** At most one pending job per row: a second wake while one waits adds nothing. */
export function enqueueEmailDelivery(queue: JobQueue, id: number, runAt?: Date): Promise<boolean> {
  return queue.enqueue(DELIVER_EMAIL, { id } satisfies DeliverEmailPayload, {
    dedupeKey: `${DELIVER_EMAIL}:${id}`,
    ...(runAt === undefined ? {} : { runAt }),
  });
}
