/**
 * Composition of one Parley node from a Config. The parts open in dependency order onto a
 * stack (resourceStack.ts) that closes them newest first: on shutdown, and when a later part
 * fails to open. No part holds a callback into one built after it: later parts are told about
 * what earlier ones do through Signals, subscribed below in "Who reacts to what".
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ADMIN_CHANNEL, CABLE_PATH, VISITOR_CHANNEL } from "@parley/protocol";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { authenticateCable } from "./authenticateCable.js";
import { CableServer } from "./cable/cableServer.js";
import type { Channel } from "./cable/channel.js";
import { DISCONNECTS } from "./cable/disconnects.js";
import { AdminChannel } from "./channels/adminChannel.js";
import { logIdentity, sessionTag, taggedSessions, type CableIdentity } from "./channels/identity.js";
import { VisitorChannel } from "./channels/visitorChannel.js";
import { isWatchingInbox } from "./chat/agentAlerts.js";
import { Chat } from "./chat/chat.js";
import { agentsEventOf } from "./chat/events.js";
import { SiteTeams } from "./chat/siteTeams.js";
import { SessionWatch } from "./chat/sessionWatch.js";
import { AGENTS_STREAM, SETTINGS_STREAM } from "./chat/streams.js";
import { connectSharedState } from "./cluster/sharedState.js";
import type { Config } from "./config.js";
import { tailGraceMs } from "./delivery/exactlyOnce.js";
import { SharedStoreTail } from "./delivery/sharedStoreTail.js";
import { processAvatar } from "./files/avatarImage.js";
import { inspectUpload } from "./files/inspectUpload.js";
import { openBlobStore } from "./files/openBlobStore.js";
import { SignedUrls } from "./files/signedUrls.js";
import { removeStaleUploads } from "./files/staleUploads.js";
import { buildHttpApp } from "./http/app.js";
import { proxyRule } from "./http/clientAddress.js";
import { OriginPolicy } from "./http/origins.js";
import { StoreJobQueue } from "./jobs/queue.js";
import { JobWorker } from "./jobs/worker.js";
import { SNOOZE_WAKE } from "./chat/workflow.js";
import { AUDIT_CLEANUP } from "./chat/auditLog.js";
import type { AuditTrail } from "./chat/auditTrail.js";
import { Privacy, RETENTION_JOB } from "./chat/privacy.js";
import { zipArchive } from "./files/zipArchive.js";
import { createLogger } from "./log.js";
import { makePrivateDirSync } from "./privateStorage.js";
import { countedChannel } from "./metrics/countedChannel.js";
import { measuredBroker } from "./metrics/measuredBroker.js";
import { measuredPushSender } from "./metrics/measuredPushSender.js";
import { listenForMetrics } from "./metrics/metricsServer.js";
import { Metrics } from "./metrics/registry.js";
import { WebPushSender } from "./push/sender.js";
import { loadVapidKeys } from "./push/vapidKeys.js";
import { createWebPush } from "./push/webPush.js";
import { ResourceStack } from "./resourceStack.js";
import { secretKeyBase } from "./secrets.js";
import { openStore, type Store } from "./store/index.js";
import { notFound } from "./chat/errors.js";
import { createWebhooks } from "./webhooks/webhooks.js";
import { createEmail, type EmailModule } from "./email/create.js";
import { createVisitorEmail } from "./email/visitorEmailParts.js";
import { createEmailInbound, FETCH_REPLIES, fetchRepliesOff } from "./email/inbound.js";

/** How long a shutdown waits for HTTP clients to go before closing the database anyway. */
const DRAIN_MS = 5000;
/** How long a shutdown waits for running jobs; one cut short runs again when its lease lapses. */
const WORKER_STOP_MS = 3000;

export interface RunningServer {
  url: string;
  port: number;
  /** METRICS_PORT's listener, when there is one (the real port when 0 was asked). */
  metricsPort: number | undefined;
  store: Store;
  chat: Chat;
  /** (§17) Exports, erasures and the retention run (tests run it at will). */
  privacy: Privacy;
  /** (§16) The email module: its outbox and links for what writes emails, and its tokens. */
  email: EmailModule;
  logger: Logger;
  /** Publishes at once what other processes committed and nobody published (the store tail's read). */
  flushTail(): Promise<void>;
  /**
   * Resolves once every agent reply taken so far has its reply email scheduled, or not (§16): the
   * scheduling runs after the reply's commit, so a test that moves jobs waits for it first.
   */
  repliesScheduled(): Promise<void>;
  /** Stops taking connections, tells clients to reconnect elsewhere, drains, closes the store. */
  close(): Promise<void>;
}

export interface ServerOptions {
  logger?: Logger;
  /** (§17) Where exports, erasures and retention are recorded; absent: the store's audit log. */
  audit?: AuditTrail;
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Owner-only before anything is written into it (privateStorage.ts).
  makePrivateDirSync(config.storageDir);
  // Files first: a bad key file stops the boot before anything is open.
  const vapid = loadVapidKeys(config.storageDir, config.vapidKeys);
  const secret = secretKeyBase(config.storageDir, config.secretKeyBase);
  const stack = new ResourceStack(logger);
  try {
    return await openNode(config, logger, stack, { vapid, secret }, options.audit);
  } catch (error) {
    await stack.close();
    throw error;
  }
}

async function openNode(
  config: Config,
  logger: Logger,
  stack: ResourceStack,
  keys: { vapid: ReturnType<typeof loadVapidKeys>; secret: string },
  audit: AuditTrail | undefined,
): Promise<RunningServer> {
  // --- The parts, in dependency order. Each closes after every part opened after it. ---------

  // First, so every part can be measured; scraped only where METRICS_TOKEN or METRICS_PORT says.
  const scraped = config.metrics.token !== undefined || config.metrics.port !== undefined;
  const metrics = new Metrics({ exposed: scraped });

  const store = await stack.open(
    "store",
    () =>
      openStore({
        databaseUrl: config.databaseUrl,
        storageDir: config.storageDir,
        logger,
        // Timing every statement costs two clock reads, Kysely's log hook and a histogram update
        // each: about 5 % of a chat message's CPU and a fiftieth of what it allocates, for figures
        // nobody can read unless metrics are scraped (docs/benchmarks.md, twenty-fourth pass).
        ...(scraped && {
          onQuery: (sql: string, millis: number) => metrics.observeQuery(sql, millis),
          onQueryError: () => metrics.queryErrors.inc(),
        }),
      }),
    (opened) => opened.close(),
  );
  await store.migrate();

  // Broker, presence and limits: in this process, or in Redis with REDIS_URL.
  const shared = await stack.open(
    "shared state",
    () => connectSharedState(config, logger),
    (opened) => opened.close(),
  );
  const { presence } = shared;
  const broker = measuredBroker(shared.broker, metrics);

  // Disk by default, S3 with S3_BUCKET: the one place that choice is made.
  const blobs = await stack.open(
    "files",
    () => openBlobStore({ storageDir: config.storageDir, s3: config.s3 }),
    (opened) => opened.close(),
  );
  const fileUrls = new SignedUrls(keys.secret);
  const uploadTempDir = join(config.storageDir, "tmp", "uploads");
  makePrivateDirSync(join(config.storageDir, "tmp"));
  makePrivateDirSync(uploadTempDir);
  await removeStaleUploads(uploadTempDir);

  // Who answers which site: asked by chat/ and, at send time, by web push.
  const teams = new SiteTeams(store);

  // Jobs: the queue in the store, web push's job kinds, and this process's worker.
  const queue = new StoreJobQueue(store);
  const push = createWebPush({
    store,
    queue,
    logger,
    vapid: keys.vapid,
    vapidSubject: config.vapidSubject,
    endpointOrigins: config.pushEndpointOrigins,
    isWatching: (agentId) => isWatchingInbox(presence, agentId),
    answers: (agentId, siteId) => teams.answers(agentId, siteId),
    sender: measuredPushSender(
      new WebPushSender({ vapid: keys.vapid.keys, subject: config.vapidSubject }),
      metrics,
    ),
  });
  // Webhooks: their delivery job kind, and (below) the events chat tells them.
  const webhooks = await stack.open(
    "webhooks",
    () =>
      createWebhooks({
        store,
        queue,
        logger,
        config: config.webhooks,
        onlineVisitors: (tokens) => presence.onlineVisitors(tokens),
        requireSite: async (siteId) => {
          if ((await store.getSite(siteId)) === undefined) throw notFound("Site");
        },
      }),
    // Events taken before the store closes are stored; the jobs that send are stopped by now.
    async (opened) => {
      await opened.producer.idle();
      opened.close();
    },
  );
  // Email (§16): the outbox's delivery and the agents' alerts; off without SMTP_URL & co.
  const email = await stack.open(
    "email",
    () =>
      createEmail({
        config: config.email,
        store,
        queue,
        logger,
        secret: keys.secret,
        presence,
        teams,
        counted: (sent, outcome) => metrics.emails.inc({ kind: sent.kind, outcome }),
      }),
    (opened) => opened.close(),
  );
  // Chat's own kinds (the snooze wake-up) join once chat exists, before the worker starts.
  const jobHandlers = new Map([...push.handlers, ...webhooks.handlers, ...email.handlers]);
  const worker = await stack.open(
    "job worker",
    () => new JobWorker({ store, handlers: jobHandlers, logger }),
    (opened) => opened.stop(WORKER_STOP_MS),
  );

  const chat = await stack.open(
    "chat",
    () =>
      new Chat({
        store,
        broker,
        logger,
        rateLimitPerMinute: config.rateLimitPerMinute,
        newConversationsPerIpPerHour: config.newConversationsPerIpPerHour,
        uploadsPerIpPerHour: config.uploadsPerIpPerHour,
        apiRequestsPerMinute: config.apiRequestsPerMinute,
        uploadBytesPerIp: config.uploadBytesPerIp,
        maxUploadBytes: config.maxUploadBytes,
        ownerSettingsFromEnvironment: config.ownerSettingsFromEnvironment,
        widgetFromEnvironment: config.widget,
        allowedOrigins: config.allowedOrigins,
        presence,
        teams,
        makeLimiter: shared.makeLimiter,
        loginLimits: shared.loginLimits,
        notifier: push.notifier,
        files: { blobs, inspect: inspectUpload, link: (id, variant) => fileUrls.path(id, variant) },
        avatarFiles: { blobs, process: processAvatar },
        jobs: queue,
        emailEnabled: email.enabled,
      }),
    // Visitors whose sockets just closed are booked (last seen, agents told) before the store goes.
    async (opened) => {
      await opened.visitors.settled();
      opened.stop();
    },
  );
  jobHandlers.set(SNOOZE_WAKE, chat.workflow.snoozeWakeHandler());
  // (§17) The audit log's daily cleanup, first run at boot (one pending at a time).
  jobHandlers.set(AUDIT_CLEANUP, chat.audit.cleanupHandler(queue));
  // (§17) Exports, erasures and the daily retention run.
  const privacy = new Privacy({
    store,
    blobs,
    events: chat.events,
    toWireContact: (contact) => chat.contacts.toWire(contact),
    // The store-backed audit log keeps exports, erasures and retention runs, unless a trail is given.
    audit: audit ?? chat.audit,
    settings: () => chat.settings.current(),
    jobs: queue,
    logger,
    now: () => new Date(),
  });
  jobHandlers.set(RETENTION_JOB, privacy.retentionHandler());
  // (§16) The visitor's emails: reply emails' job kind, reopen links and transcripts.
  const visitorEmail = createVisitorEmail({
    store,
    chat,
    queue,
    logger,
    tokens: email.tokens,
    sending: email.enabled ? email.sending() : undefined,
    makeLimiter: shared.makeLimiter,
  });
  for (const [kind, handler] of visitorEmail.handlers) jobHandlers.set(kind, handler);
  // Replies taken before the store closes are scheduled.
  stack.onClose("reply emails", () => visitorEmail.replies?.idle());
  // Answers by email (§16): with IMAP_URL, a job polls the reply mailbox; answers are visitors' messages.
  const imap = config.email?.imap;
  if (config.email !== undefined && imap !== undefined) {
    const inbound = createEmailInbound({
      imap,
      store,
      queue,
      addresses: email.sending().replyAddresses,
      chat: {
        upload: (uploader, candidate) => chat.attachments.upload(uploader, candidate),
        postAnswer: (input) => chat.visitors.postAnswer(input),
      },
      logger,
      maxUploadBytes: () => chat.settings.current().max_upload_mb * 1024 * 1024,
      tempDir: uploadTempDir,
    });
    for (const [kind, handler] of inbound.handlers) jobHandlers.set(kind, handler);
    await inbound.start();
  } else {
    jobHandlers.set(FETCH_REPLIES, fetchRepliesOff);
  }
  await chat.settings.load();
  await chat.audit.scheduleCleanup(queue);
  await chat.sites.load();
  const firstOwner = await chat.team.ensureFirstOwner(config.adminUser, config.adminPassword);
  // Known before the node takes visitors: their first `availability` must be right.
  await chat.availability.start();
  await chat.siteAvailability.start();
  // The widgets' team faces, and their reply times computing in the background (§14).
  await chat.startFaces();

  // HTTP is built here and listens last, once everything it hands requests to runs.
  const proxies = proxyRule(config.trustProxy);
  // Widgets run on ALLOWED_ORIGINS and on every live site's origins (each site checks its own).
  const origins = new OriginPolicy(config.allowedOrigins, config.agentOrigins, proxies.scheme, (origin) =>
    chat.sites.isSiteOrigin(origin),
  );
  const app = await stack.open(
    "http",
    () =>
      buildHttpApp({
        logger,
        origins,
        trustProxy: proxies.trust,
        cookieSecret: keys.secret,
        requestTimeoutMs: config.requestTimeoutMs,
        chat,
        store,
        startedAtMs: Date.now(),
        storageDir: config.storageDir,
        push: { publicKey: push.publicKey, endpoints: push.endpoints },
        webhooks: webhooks.admin,
        privacy: { service: privacy, zip: (archive) => zipArchive(archive, blobs, logger) },
        email,
        emailConversations: { resume: visitorEmail.resume, transcripts: visitorEmail.transcripts },
        uploads: {
          // The owner's setting (or MAX_UPLOAD_MB), as it is when each upload comes.
          maxBytes: () => chat.settings.current().max_upload_mb * 1024 * 1024,
          tempDir: uploadTempDir,
          urls: fileUrls,
        },
        assets: config.assets,
        metrics: {
          token: config.metrics.token,
          render: () => metrics.render(),
          contentType: metrics.contentType,
        },
      }),
    drainHttp,
  );

  // Closing it sends every client away with server_restart, after the last tail read below.
  const cable = await stack.open(
    "cable",
    () =>
      new CableServer<CableIdentity>({
        channels: new Map<string, Channel<CableIdentity>>([
          [VISITOR_CHANNEL, countedChannel(VISITOR_CHANNEL, new VisitorChannel(chat, broker), metrics)],
          [ADMIN_CHANNEL, countedChannel(ADMIN_CHANNEL, new AdminChannel(chat, broker, logger), metrics)],
        ]),
        logger,
        remoteAddress: proxies.clientAddress,
        logIdentity,
        maxConnectionsPerAddress: config.maxConnectionsPerAddress,
        onCutOff: (reason) => metrics.cableCutOffs.inc({ reason }),
        idleTimeoutMs: config.cableIdleTimeoutMs,
        maxBufferedBytes: config.cableMaxBufferedBytes,
        isOriginAllowed: (request) => origins.accessOf(request) !== "foreign",
        authenticate: authenticateCable({
          origins,
          sessions: chat.sessions,
          cookies: {
            parse: (header) => app.parseCookie(header),
            unsign: (value) => {
              const result = app.unsignCookie(value);
              return result.valid ? result.value : null;
            },
          },
        }),
      }),
    (opened) => opened.close(DISCONNECTS.serverRestart),
  );

  // Sessions ended in another process: a notice on the broker, and a check against the store.
  const sessionWatch = await stack.open(
    "session watch",
    () =>
      new SessionWatch({
        store,
        broker,
        logger,
        now: () => new Date(),
        held: () => taggedSessions(cable.tags()),
      }),
    (opened) => opened.stop(),
  );

  // Publishes what nobody published (delivery/exactlyOnce.ts, point 4). Without Redis another
  // process may share the store (the old container of a deploy); with it, a node may die between
  // a commit and its publish. Its last read comes after intake stops and before clients go, so
  // no client holds a newer id than one it missed.
  const cluster = config.redisUrl !== undefined;
  const tail = await stack.open(
    "store tail",
    () =>
      new SharedStoreTail({
        store,
        publish: (row) => chat.publishCommitted(row),
        logger,
        graceMs: tailGraceMs(cluster ? "cluster" : "local"),
      }),
    async (opened) => {
      await opened.read().catch((error: unknown) => logger.warn({ err: error }, "last tail read failed"));
      opened.stop();
    },
  );

  // METRICS_PORT: Prometheus's own door (the public ones open last, below).
  const metricsPort = config.metrics.port;
  let metricsListener: { port: number } | undefined;
  if (metricsPort !== undefined) {
    metricsListener = await stack.open(
      "metrics listener",
      () => listenForMetrics(metrics, { port: metricsPort, host: config.metrics.host }, logger),
      (opened) => opened.close(),
    );
  }

  // --- Who reacts to what. --------------------------------------------------------------------

  // Metrics read these parts at each scrape and count what the worker finishes.
  metrics.sample({
    connections: () => cable.connectionCount,
    jobs: () => store.countJobs(),
    brokerUp: () => (broker.isConnected() ? 1 : 0),
  });
  worker.ran.on((run) => metrics.jobRuns.inc(run));

  // A session ended here (logout, revocation, expiry) or elsewhere closes its sockets here.
  const closeSessionSockets = (sessionId: string): void => {
    cable.disconnectTagged(sessionTag(sessionId), DISCONNECTS.unauthorized);
  };
  chat.sessions.ended.on(closeSessionSockets);
  sessionWatch.ended.on(closeSessionSockets);
  // A job enqueued here wakes this process's worker at once; other nodes' jobs wait for a poll.
  queue.enqueued.on(() => worker.wake());
  // What chat committed here goes to the site's webhooks, in order.
  chat.events.happened.on((happening) => webhooks.producer.take(happening));
  // A visitor's message wakes the email alert of agents who are away (email/agentAlerts.ts).
  const { agentAlerts } = email;
  if (agentAlerts !== undefined) chat.events.happened.on((happening) => void agentAlerts.take(happening));
  // Agents' replies become reply emails when the visitor does not see them (§16).
  const { replies } = visitorEmail;
  if (replies !== undefined) chat.events.happened.on((happening) => replies.take(happening));
  // What this process published, the tail need not publish.
  chat.events.messagePublished.on(tail.noteSeen);
  if (cluster) {
    // Every message crosses the agents' stream: what shows there was published by some node.
    const unsubscribe = await broker.subscribe(AGENTS_STREAM, (shared) => {
      const { event } = agentsEventOf(shared).publication;
      if (event.type === "new_message") tail.noteSeen(event.message.id);
    });
    stack.onClose("tail's view of the agents' stream", unsubscribe);
  }

  // A site created or changed on any node: this node's copy of the sites (keys, origins) follows.
  // Owner settings changed on any node: this node applies them (limits, upload size).
  const readAgain = (what: string, read: () => Promise<void>) => () => {
    read().catch((error: unknown) => logger.error({ err: error }, `reading the ${what} again failed`));
  };
  const reloadSites = readAgain("sites", () => chat.sites.load());
  const reloadSettings = readAgain("owner settings", () => chat.settings.load());
  const unsubscribeChanges = [
    await broker.subscribe(AGENTS_STREAM, ({ event }) => {
      if (event.type === "site_updated" && "site" in event) reloadSites();
    }),
    await broker.subscribe(SETTINGS_STREAM, ({ event }) => {
      if (event.type === "owner_settings_changed") reloadSettings();
    }),
    // What a broker outage may have carried away is read again.
    broker.onGap(() => {
      reloadSites();
      reloadSettings();
    }),
  ];
  stack.onClose("sites' and settings' notices", () => {
    for (const unsubscribe of unsubscribeChanges) unsubscribe();
  });

  // --- Start: background work, then the doors, which close first. ----------------------------

  await webhooks.wakePending();
  await email.start();
  // (§17) A retention run at boot; each run schedules the next a day later.
  await privacy.scheduleRetention();
  worker.start();
  chat.startMaintenance();
  await sessionWatch.start();
  // Before listening: the tail must start below the first message this node could miss.
  await tail.start();
  // The first step of a shutdown: no new sockets, no new frames acted on (HTTP drains later).
  stack.onClose("intake", () => cable.pause());
  app.server.on("upgrade", (request, socket, head) => {
    const path = (request.url ?? "").split("?")[0];
    if (path === CABLE_PATH) cable.handleUpgrade(request, socket, head);
    else socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
  // A restart brings every visitor back within seconds, thousands a second, while the event loop
  // is busy with the first of them: Node's default accept queue (511) overflows then (the
  // kernel counts it in TcpExtListenOverflows), and each connection it drops waits out a SYN
  // retransmit (1 s, then 3 s). The kernel caps this at net.core.somaxconn (4096 on current Linux).
  await app.listen({ port: config.port, host: config.host, backlog: 4096 });

  const port = (app.server.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info({ url, engine: store.engine, cluster, files: blobs.kind }, "Parley is listening");
  if (firstOwner !== undefined) announceFirstOwner(logger, `${url}/admin/login`, firstOwner);
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    metricsPort: metricsListener?.port,
    store,
    chat,
    privacy,
    email,
    logger,
    flushTail: () => tail.read(),
    repliesScheduled: async () => {
      await visitorEmail.replies?.idle();
    },
    close: () =>
      (closing ??= (async () => {
        logger.info("shutting down");
        await stack.close();
        logger.info("stopped");
      })()),
  };
}

/** Waits for HTTP requests under way (at most DRAIN_MS), then cuts what is left. */
async function drainHttp(app: FastifyInstance): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
  await Promise.race([app.close(), deadline]);
  clearTimeout(timer);
  app.server.closeAllConnections();
}

function announceFirstOwner(
  logger: Logger,
  login: string,
  owner: { username: string; generatedPassword?: string },
): void {
  if (owner.generatedPassword === undefined) {
    logger.info({ username: owner.username, login }, "first agent created from ADMIN_USER");
    return;
  }
  // Printed once, to the console rather than the log stream, so it is not kept in log files.
  process.stdout.write(
    `\nFirst agent created. Log in at ${login}\n  username: ${owner.username}\n  password: ${owner.generatedPassword}\n` +
      `Change it after logging in, or set ADMIN_USER/ADMIN_PASSWORD before the first boot.\n\n`,
  );
}
