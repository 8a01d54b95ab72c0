/**
 * Web push assembled: the VAPID identity, the endpoint allow-list, the notifier chat/ calls, and
 * the two job kinds the worker runs. server.ts builds one from the config and wires it in.
 */
import type { Logger } from "pino";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store } from "../store/store.js";
import { deliverPushHandler } from "./deliverPushJob.js";
import { PushEndpointPolicy } from "./endpoints.js";
import { DELIVER_PUSH, NOTIFY_AGENT } from "./jobKinds.js";
import { notifyAgentHandler } from "./notifyAgentJob.js";
import { PushNotifier } from "./pushNotifier.js";
import { WebPushSender, type PushSender } from "./sender.js";
import { VAPID_KEYS_FILE, type VapidKeys } from "./vapidKeys.js";

export interface WebPushOptions {
  store: Store;
  queue: JobQueue;
  logger: Logger;
  /** From loadVapidKeys, called before anything is opened (a bad key file stops the boot). */
  vapid: { keys: VapidKeys; generated: boolean };
  vapidSubject: string;
  endpointOrigins: readonly string[];
  /** chat/'s presence answer, asked again before a push goes out. */
  isWatching: (agentId: number) => Promise<boolean>;
  /** chat/'s team rule (protocol §10), asked again before a push goes out: teams change. */
  answers: (agentId: number, siteId: number) => Promise<boolean>;
  /** Tests swap the network out; production uses web-push. */
  sender?: PushSender;
  now?: () => Date;
}

export interface WebPush {
  /** For GET /push/vapid_public_key: what browsers pass as applicationServerKey. */
  readonly publicKey: string;
  readonly endpoints: PushEndpointPolicy;
  readonly notifier: PushNotifier;
  readonly handlers: ReadonlyMap<string, JobHandler>;
}

export function createWebPush(options: WebPushOptions): WebPush {
  const { keys, generated } = options.vapid;
  if (generated) {
    options.logger.info(
      { file: VAPID_KEYS_FILE },
      "push: generated a VAPID key pair into STORAGE_DIR; move it to VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY to run several nodes (docs/push.md)",
    );
  }
  const now = options.now ?? (() => new Date());
  const endpoints = new PushEndpointPolicy(options.endpointOrigins);
  const sender = options.sender ?? new WebPushSender({ vapid: keys, subject: options.vapidSubject });
  const handlers = new Map<string, JobHandler>([
    [
      NOTIFY_AGENT,
      notifyAgentHandler({
        store: options.store,
        queue: options.queue,
        isWatching: options.isWatching,
        answers: options.answers,
        logger: options.logger,
        now,
      }),
    ],
    [DELIVER_PUSH, deliverPushHandler({ store: options.store, sender, endpoints, logger: options.logger })],
  ]);
  return {
    publicKey: keys.publicKey,
    endpoints,
    notifier: new PushNotifier(options.store, options.queue),
    handlers,
  };
}
