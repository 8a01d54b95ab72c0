/**
 * What the widget's email tests (§16) share: a real SMTP server in the test process (the
 * server's own test harness), the server's settings to send through it, and a way to bring a
 * reply email's job forward, as if its minutes had passed, so no test waits them.
 */
import { randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import type { Store } from "../../packages/server/src/store/index.js";
import { startSmtpServer, type TestSmtpServer } from "../../packages/server/test/support/smtpServer.js";
import { waitFor } from "./wait.js";

export { startSmtpServer, type TestSmtpServer };
export { VISITOR_REPLIES_JOB } from "../../packages/server/src/email/visitorReplies.js";

/** The environment that turns sending on, through `smtp`. */
export function emailEnv(smtp: TestSmtpServer): Record<string, string> {
  return {
    SMTP_URL: smtp.url,
    MAIL_FROM: "Shop Help <help@shop.example>",
    PUBLIC_URL: "http://chat.shop.example",
  };
}

export function recipients(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((address) => address.value.map((one) => one.address ?? ""));
}

/** The next email to `to` that is not one of `seen`. */
export function mailTo(
  smtp: TestSmtpServer,
  to: string,
  seen: readonly ParsedMail[] = [],
): Promise<ParsedMail> {
  return waitFor(
    `an email to ${to}`,
    () => smtp.messages.find((mail) => recipients(mail).includes(to) && !seen.includes(mail)),
    15_000,
  );
}

/** The reopen link in a reply email: the page's URL with `#parley=<link>`. */
export function reopenUrlIn(mail: ParsedMail): string {
  const match = /(https?:\/\/[^\s"<>]*#parley=[A-Za-z0-9_.-]+)/.exec(mail.text ?? "");
  if (match === null) throw new Error(`no reopen link in: ${mail.text}`);
  return match[1]!;
}

/**
 * Makes the waiting jobs of `kind` due now: each job is taken with a lease, as a worker would,
 * and handed back due now (others as they were); the server's worker then runs it.
 */
export async function bringForward(store: Store, kind: string): Promise<void> {
  await waitFor(`a ${kind} job`, async () => (await store.listJobs()).some((job) => job.kind === kind));
  const far = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
  // Leases that run out after `far`: a job taken here is not due again at `far`, so each claim
  // takes the next job, whatever its place in the queue, until none is left.
  const leaseUntil = new Date(Date.now() + 8 * 24 * 3600_000).toISOString();
  const held: Array<{ id: number; kind: string; runAt: string; leaseToken: string }> = [];
  for (;;) {
    const leaseToken = randomUUID();
    const job = await store.claimJob({ now: far, leaseToken, leaseUntil });
    if (job === undefined) break;
    held.push({ id: job.id, kind: job.kind, runAt: job.runAt, leaseToken });
  }
  for (const job of held) {
    const runAt = job.kind === kind ? new Date().toISOString() : job.runAt;
    await store.rescheduleJob(job.id, job.leaseToken, { runAt });
  }
}
