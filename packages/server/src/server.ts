/**
 * Composition of one Parley node: store → broker → chat → channels + cable → HTTP. Everything
 * is built here from a Config and handed down; `close()` undoes it in the right order.
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_CHANNEL, CABLE_PATH, VISITOR_CHANNEL } from "@parley/protocol";
import type { Logger } from "pino";
import { CableServer, type Authenticated } from "./cable/cableServer.js";
import type { Channel } from "./cable/channel.js";
import { DISCONNECTS } from "./cable/disconnects.js";
import { AdminChannel } from "./channels/adminChannel.js";
import { logIdentity, sessionTag, taggedSessions, type CableIdentity } from "./channels/identity.js";
import { VisitorChannel } from "./channels/visitorChannel.js";
import { Chat } from "./chat/chat.js";
import { connectSharedState } from "./cluster/sharedState.js";
import { isVisitorToken } from "./chat/validate.js";
import type { Config } from "./config.js";
import { inspectUpload } from "./files/inspectUpload.js";
import { openBlobStore } from "./files/openBlobStore.js";
import { SignedUrls } from "./files/signedUrls.js";
import { removeStaleUploads } from "./files/staleUploads.js";
import { buildHttpApp } from "./http/app.js";
import { proxyRule } from "./http/clientAddress.js";
import { OriginPolicy } from "./http/origins.js";
import { sessionSecretFrom } from "./http/sessionCookie.js";
import { StoreJobQueue } from "./jobs/queue.js";
import { JobWorker } from "./jobs/worker.js";
import { createLogger } from "./log.js";
import { loadVapidKeys } from "./push/vapidKeys.js";
import { createWebPush } from "./push/webPush.js";
import { makePrivateDirSync } from "./privateStorage.js";
import { secretKeyBase } from "./secrets.js";
import { openStore, type Store } from "./store/index.js";

/** Where the built widget, demo page and inbox live, from src/ or dist/ alike. */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** How long a shutdown waits for clients to go before closing the database anyway. */
const DRAIN_MS = 5000;

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  chat: Chat;
  logger: Logger;
  /** Stops taking connections, tells clients to reconnect elsewhere, drains, closes the store. */
  close(): Promise<void>;
}

export async function startServer(config: Config, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Owner-only before anything is written into it (privateStorage.ts).
  makePrivateDirSync(config.storageDir);
  const vapid = loadVapidKeys(config.storageDir, config.vapidKeys);
  const store = await openStore({ databaseUrl: config.databaseUrl, storageDir: config.storageDir, logger });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  const shared = await connectSharedState(config, logger).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const { broker } = shared;
  // Jobs enqueued on this node wake its worker at once; other nodes' jobs are found by polling.
  const queue = new StoreJobQueue(store, () => worker.wake());
  const push = createWebPush({
    store,
    queue,
    logger,
    vapid,
    vapidSubject: config.vapidSubject,
    endpointOrigins: config.pushEndpointOrigins,
    isWatching: (agentId) => chat.isAgentWatching(agentId),
  });
  const worker = new JobWorker({ store, handlers: push.handlers, logger });
  const secret = secretKeyBase(config.storageDir, config.secretKeyBase);
  // Disk by default, S3 with S3_BUCKET: the one place that choice is made.
  const blobs = openBlobStore({ storageDir: config.storageDir, s3: config.s3 });
  const fileUrls = new SignedUrls(secret);
  const uploadTempDir = join(config.storageDir, "tmp", "uploads");
  makePrivateDirSync(join(config.storageDir, "tmp"));
  makePrivateDirSync(uploadTempDir);
  await removeStaleUploads(uploadTempDir);
  const chat = new Chat({
    store,
    broker,
    logger,
    rateLimitPerMinute: config.rateLimitPerMinute,
    newConversationsPerIpPerHour: config.newConversationsPerIpPerHour,
    uploadsPerIpPerHour: config.uploadsPerIpPerHour,
    uploadBytesPerIp: config.uploadBytesPerIp,
    // `cable` is built below; sessions only end, and are only watched, once the server runs.
    onSessionEnded: (sessionId) => cable.disconnectTagged(sessionTag(sessionId), DISCONNECTS.unauthorized),
    heldSessions: (): Iterable<string> => taggedSessions(cable.tags()),
    presence: shared.presence,
    limits: shared.limits,
    loginLimits: shared.loginLimits,
    // Without Redis another process may still share the store (the old container of a deploy);
    // with it, a node may die between a commit and its publish.
    storeTail: config.redisUrl === undefined ? "local" : "cluster",
    notifier: push.notifier,
    files: { blobs, inspect: inspectUpload, link: (id, variant) => fileUrls.path(id, variant) },
  });

  const firstOwner = await chat.team.ensureFirstOwner(config.adminUser, config.adminPassword);
  const proxies = proxyRule(config.trustProxy);
  const origins = new OriginPolicy(config.allowedOrigins, config.agentOrigins, proxies.scheme);
  const app = await buildHttpApp({
    logger,
    origins,
    trustProxy: proxies.trust,
    cookieSecret: secret,
    chat,
    store,
    startedAtMs: Date.now(),
    push: { publicKey: push.publicKey, endpoints: push.endpoints },
    uploads: { maxBytes: config.maxUploadBytes, tempDir: uploadTempDir, urls: fileUrls },
    assets: {
      widgetJs: `${REPO_ROOT}packages/widget/dist/widget.js`,
      demoHtml: `${REPO_ROOT}packages/widget/demo.html`,
      inboxDir: `${REPO_ROOT}packages/inbox/dist`,
    },
    widgetDefaults: { title: "Chat with us", greeting: "Hi! How can we help?", color: "#2563eb", position: "right" },
  });

  const channels = new Map<string, Channel<CableIdentity>>([
    [VISITOR_CHANNEL, new VisitorChannel(chat, broker)],
    [ADMIN_CHANNEL, new AdminChannel(chat, broker, logger)],
  ]);
  const cookies = {
    parse: (header: string) => app.parseCookie(header),
    unsign: (value: string) => {
      const result = app.unsignCookie(value);
      return result.valid ? result.value : null;
    },
  };
  const cable = new CableServer<CableIdentity>({
    channels,
    logger,
    remoteAddress: proxies.clientAddress,
    logIdentity,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    isOriginAllowed: (request) => origins.accessOf(request) !== "foreign",
    authenticate: async (request): Promise<Authenticated<CableIdentity> | null> => {
      // From a page that only embeds the widget the agent's cookie is ignored: anonymous, so
      // AdminChannel is refused (http/origins.ts).
      const cookie = origins.accessOf(request) === "agent" ? request.headers.cookie : undefined;
      const secret = sessionSecretFrom(cookie, cookies);
      const active = secret === undefined ? undefined : await chat.sessions.resolve(secret);
      if (active !== undefined) {
        const { agent, session } = active;
        return {
          identity: { kind: "agent", agent: { id: agent.id, name: agent.name }, sessionId: session.id },
          tags: [sessionTag(session.id)],
        };
      }
      const token = new URL(request.url ?? "/", "http://localhost").searchParams.get("token");
      if (token === null) return { identity: { kind: "anonymous" }, tags: [] };
      return isVisitorToken(token) ? { identity: { kind: "visitor", token }, tags: [] } : null;
    },
  });
  app.server.on("upgrade", (request, socket, head) => {
    const path = (request.url ?? "").split("?")[0];
    if (path === CABLE_PATH) cable.handleUpgrade(request, socket, head);
    else socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });

  // Before listening: the store's tail must start below the first message this node could miss.
  await chat.startMaintenance();
  await app.listen({ port: config.port, host: config.host });
  worker.start();
  const port = (app.server.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info({ url, engine: store.engine, cluster: config.redisUrl !== undefined, files: blobs.kind }, "Parley is listening");
  if (firstOwner !== undefined) {
    const login = `${url}/admin/login`;
    if (firstOwner.generatedPassword !== undefined) {
      // Printed once, to the console rather than the log stream, so it is not kept in log files.
      process.stdout.write(
        `\nFirst agent created. Log in at ${login}\n  username: ${firstOwner.username}\n  password: ${firstOwner.generatedPassword}\n` +
          `Change it after logging in, or set ADMIN_USER/ADMIN_PASSWORD before the first boot.\n\n`,
      );
    } else {
      logger.info({ username: firstOwner.username, login }, "first agent created from ADMIN_USER");
    }
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      logger.info("shutting down");
      // Quiesce, deliver what another process (the new container) committed meanwhile, and
      // only then send clients away: a client must not hold a newer id than one it missed.
      await cable.pause();
      await chat.flushTail().catch((error: unknown) => logger.warn({ err: error }, "last tail read failed"));
      chat.stop();
      await cable.close(DISCONNECTS.serverRestart);
      const drained = app.close();
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
      app.server.closeAllConnections();
      await worker.stop(3000);
      await blobs.close();
      await shared.close();
      await store.close();
      logger.info("stopped");
    })());

  return { url, port, store, chat, logger, close };
}
