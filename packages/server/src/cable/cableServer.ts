/**
 * The ActionCable endpoint: takes HTTP upgrades at /cable, checks origin and credentials before
 * the handshake completes, sends welcome and pings, and routes frames to channels. It knows the
 * protocol only; who a connection is and what channels do is handed in.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { MAX_FRAME_BYTES, PING_INTERVAL_MS } from "@parley/protocol";
import { lazyChild } from "../lazyLogger.js";
import type { Channel } from "./channel.js";
import { Connection, type ConnectionCutOff, type ConnectionSetup } from "./connection.js";
import { ConnectionsPerAddress } from "./connectionsPerAddress.js";
import { DISCONNECTS, disconnectFrame, type Disconnect } from "./disconnects.js";
import {
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  IDLE_TIMEOUT_MS,
  MAX_BUFFERED_BYTES,
  MAX_NEW_SUBSCRIPTIONS_PER_MINUTE,
  MAX_QUEUED_BYTES,
  MAX_SUBSCRIPTIONS,
} from "./limits.js";
import type { Transport } from "./transport.js";
import { WsTransport } from "./wsTransport.js";

export interface Authenticated<Identity> {
  identity: Identity;
  /** Labels for targeted disconnects, e.g. "session:…" (see `disconnectTagged`). */
  tags: string[];
}

export interface CableServerOptions<Identity> {
  channels: ReadonlyMap<string, Channel<Identity>>;
  logger: Logger;
  /** False refuses the upgrade with 403 before any WebSocket exists. */
  isOriginAllowed(request: IncomingMessage): boolean;
  /** null: the connection opens, then gets `disconnect unauthorized` (as ActionCable does). */
  authenticate(request: IncomingMessage): Promise<Authenticated<Identity> | null>;
  remoteAddress(request: IncomingMessage): string;
  /**
   * What a connection's log lines say about who it is (a kind, an agent's id); never a token or
   * a cookie. cable/ cannot tell which parts of an identity are secret, so the server says.
   */
  logIdentity(identity: Identity): Record<string, unknown>;
  /** Open sockets per `remoteAddress`; more are refused at the upgrade with 429. 0: no cap. */
  maxConnectionsPerAddress?: number;
  pingIntervalMs?: number;
  maxBufferedBytes?: number;
  /** A socket with no subscription, or silent (no frame, no pong), this long is closed (limits.ts). */
  idleTimeoutMs?: number;
  /** Told of each client the server cut off: past the send buffer's bound, or idle (a metric). */
  onCutOff?: (why: CutOff) => void;
}

export type CutOff = ConnectionCutOff | "idle";

/**
 * What the server keeps of each open connection besides the connection itself. Here, not in the
 * scope of closures made per connection (its close and cut-off callbacks, its logger's): those
 * kept about 250 bytes per connected visitor.
 */
interface Watched<Identity> {
  transport: Transport;
  emptySince: number | undefined;
  pingedAt: number | undefined;
  pingGroup: Set<Connection<Identity>>;
  tags: string[];
}

const PROTOCOL = "actioncable-v1-json";
/** 60 groups: with a 3 s interval, a tick every 50 ms writes to 1/60 of the connections. */
const PING_GROUPS = 60;

export class CableServer<Identity> {
  private readonly wss: WebSocketServer;
  private readonly tagged = new Map<string, Set<Connection<Identity>>>();
  /**
   * Connections in ping groups: one group is pinged per tick, so every connection still hears a
   * ping once per interval, but tens of thousands of sockets are never written in one go (that
   * would stall every message behind it for as long as the writes take).
   */
  private readonly pingGroups: Set<Connection<Identity>>[] = Array.from(
    { length: PING_GROUPS },
    () => new Set(),
  );
  private nextPingGroup = 0;
  /**
   * Every open connection, with its transport (for its liveness), since when it has held no
   * subscription, when it was sent the WebSocket ping it has not answered yet, and where else it
   * is listed.
   */
  private readonly watched = new Map<Connection<Identity>, Watched<Identity>>();
  private pingTick = 0;
  /** In how many rounds of the ping groups the liveness pings are spread (livenessRound). */
  private readonly livenessRounds: number;
  private readonly pingTimer: NodeJS.Timeout;
  private accepting = true;
  private readonly perAddress: ConnectionsPerAddress;

  /** What every connection shares (connection.ts): one object, not one per connection. */
  private readonly connectionSetup: ConnectionSetup<Identity>;

  constructor(private readonly options: CableServerOptions<Identity>) {
    this.connectionSetup = {
      channels: options.channels,
      maxFrameBytes: MAX_FRAME_BYTES,
      maxBufferedBytes: options.maxBufferedBytes ?? MAX_BUFFERED_BYTES,
      maxSubscriptions: MAX_SUBSCRIPTIONS,
      maxNewSubscriptionsPerMinute: MAX_NEW_SUBSCRIPTIONS_PER_MINUTE,
      maxQueuedBytes: MAX_QUEUED_BYTES,
      onCutOff: this.reportCutOff,
      onClose: this.forget,
    };
    this.perAddress = new ConnectionsPerAddress(
      options.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    );
    this.wss = new WebSocketServer({
      noServer: true,
      // ws closes with 1009 past this; frames between MAX_FRAME_BYTES and this get a
      // disconnect frame first (connection.ts), so a client can tell why.
      maxPayload: MAX_FRAME_BYTES * 2,
      perMessageDeflate: false,
      // Select v1 JSON when offered; a handshake that offers nothing is accepted as v1 JSON.
      handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
    });
    const pingIntervalMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
    const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    this.livenessRounds = Math.max(1, Math.floor(idleTimeoutMs / 2 / pingIntervalMs));
    this.pingTimer = setInterval(() => this.ping(), pingIntervalMs / PING_GROUPS);
    this.pingTimer.unref();
  }

  get connectionCount(): number {
    return this.watched.size;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.accepting) return refuse(socket, 503, "Service Unavailable");
    if (!this.options.isOriginAllowed(request)) {
      this.options.logger.info({ origin: request.headers.origin }, "cable origin refused");
      return refuse(socket, 403, "Forbidden");
    }
    // Counted from here until the TCP socket closes, whatever happens in between (a failed
    // handshake, a refused credential), so sockets waiting on authentication count too.
    const address = this.options.remoteAddress(request);
    if (!this.perAddress.take(address)) {
      this.options.logger.debug({ address }, "cable connections per address at the cap");
      return refuse(socket, 429, "Too Many Requests");
    }
    this.releaseOnClose(socket, address);
    this.options.authenticate(request).then(
      (authenticated) => {
        if (socket.destroyed) return;
        this.wss.handleUpgrade(request, socket, head, (ws) =>
          this.accept(new WsTransport(ws), authenticated, address),
        );
      },
      (error: unknown) => {
        this.options.logger.error({ err: error }, "cable authentication failed");
        refuse(socket, 500, "Internal Server Error");
      },
    );
  }

  /**
   * The address's slot is given back when the TCP socket closes. Made here, not in handleUpgrade:
   * a listener made there would keep that function's whole scope, the upgrade request with its
   * headers, for as long as the socket is open (about 1.5 KB per connected visitor).
   */
  private releaseOnClose(socket: Duplex, address: string): void {
    socket.once("close", () => this.perAddress.release(address));
  }

  /** The tags open connections carry (say, to check that their sessions still exist). */
  tags(): IterableIterator<string> {
    return this.tagged.keys();
  }

  /** Disconnects every connection carrying `tag` (a logged-out session, a removed agent). */
  disconnectTagged(tag: string, why: Disconnect): number {
    const connections = [...(this.tagged.get(tag) ?? [])];
    for (const connection of connections) connection.disconnect(why);
    return connections.length;
  }

  /**
   * First step of a shutdown: no new connections, no new frames acted on; resolves when the
   * frames already taken in are handled, so nothing is committed after this.
   */
  async pause(): Promise<void> {
    this.accepting = false;
    await Promise.all([...this.watched.keys()].map((connection) => connection.pause()));
  }

  /** Stops taking connections and tells every client to come back later (deploys, SIGTERM). */
  async close(why: Disconnect = DISCONNECTS.serverRestart): Promise<void> {
    this.accepting = false;
    clearInterval(this.pingTimer);
    for (const connection of [...this.watched.keys()]) connection.disconnect(why);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /**
   * Takes an open socket whose upgrade was authenticated (null: it was refused): welcomes it and
   * pings it from then on, or tells it why not and closes it.
   */
  accept(transport: Transport, authenticated: Authenticated<Identity> | null, remoteAddress: string): void {
    if (authenticated === null) return sendAway(transport, DISCONNECTS.unauthorized);
    if (!this.accepting) return sendAway(transport, DISCONNECTS.serverRestart);
    const { identity, tags } = authenticated;
    const pingGroup = this.pingGroups[this.nextPingGroup++ % PING_GROUPS]!;
    const logger = lazyChild(this.options.logger, this.connectionBindings, identity);
    const connection = new Connection({ transport, identity, remoteAddress, logger }, this.connectionSetup);
    this.watched.set(connection, { transport, emptySince: Date.now(), pingedAt: undefined, pingGroup, tags });
    pingGroup.add(connection);
    for (const tag of tags) {
      let set = this.tagged.get(tag);
      if (set === undefined) this.tagged.set(tag, (set = new Set()));
      set.add(connection);
    }
    connection.send('{"type":"welcome"}');
  }

  /** A connection's log lines say which connection (a random id) and who it is. */
  private readonly connectionBindings = (identity: Identity): Record<string, unknown> => ({
    connection: randomBytes(6).toString("base64url"),
    ...this.options.logIdentity(identity),
  });

  private readonly reportCutOff = (why: ConnectionCutOff): void => this.options.onCutOff?.(why);

  /** A connection closed: off every list. */
  private readonly forget = (connection: Connection<Identity>): void => {
    const watched = this.watched.get(connection);
    this.watched.delete(connection);
    if (watched === undefined) return;
    watched.pingGroup.delete(connection);
    for (const tag of watched.tags) {
      const set = this.tagged.get(tag);
      set?.delete(connection);
      if (set?.size === 0) this.tagged.delete(tag);
    }
  };

  private ping(): void {
    const tick = this.pingTick++;
    const groupIndex = tick % PING_GROUPS;
    const group = this.pingGroups[groupIndex]!;
    if (group.size === 0) return;
    const now = Date.now();
    const frame = `{"type":"ping","message":${Math.floor(now / 1000)}}`;
    const mayAsk = this.livenessRound(tick, groupIndex);
    const silent: Connection<Identity>[] = [];
    for (const connection of group) {
      const verdict = this.idleVerdict(connection, now, mayAsk);
      if (verdict === "silent") silent.push(connection);
      else if (verdict === "live") connection.send(frame);
    }
    // Timers run before sockets are read: after a busy turn of the event loop (a burst of
    // histories), a pong can be waiting unread. It is read before the silent are dropped.
    if (silent.length > 0) setImmediate(() => this.dropSilent(silent));
  }

  /**
   * Whether this tick's group may be sent WebSocket pings (idleVerdict): each group in one round
   * (a whole ping interval) of every livenessRounds, its index's share, so a tenth of the groups
   * by default, spread over each round. Connections accepted together (the reconnections after a
   * deploy, the bench's connect) fall silent together, and asked as soon as they had been silent
   * for half the timeout they were asked, and answered, together every half timeout from then on:
   * after 15,000 visitors connected in 6 s, about 2,500 pings and pongs a second for 6 s of every
   * 30, which raised the idle server's CPU by 40–65 ms a second in waves (docs/benchmarks.md,
   * eighteenth pass). Spread, they add 10–25 ms a second, evenly. A connection is asked at most
   * once in its rounds' cycle (half the timeout), as before.
   */
  private livenessRound(tick: number, groupIndex: number): boolean {
    const round = Math.floor(tick / PING_GROUPS);
    return round % this.livenessRounds === groupIndex % this.livenessRounds;
  }

  /**
   * ActionCable's pings go one way: a client that vanished without a FIN, or that opens sockets
   * and never subscribes, would hold its socket for ever. So a socket with no subscription for
   * the idle timeout is closed, and one not heard from (a frame, a pong) for half of it gets a
   * WebSocket ping in its group's next liveness round (within another half), which browsers
   * answer by themselves. Silent for all of it, and for half of it since a ping it did not answer,
   * it is dropped (so a vanished client goes 60–90 s after its last word, by default): silence
   * alone is not enough, since a server too busy to run this check on time (a tick every 50 ms)
   * may not have pinged it yet.
   */
  private idleVerdict(
    connection: Connection<Identity>,
    now: number,
    mayAsk: boolean,
  ): "live" | "unsubscribed" | "silent" {
    const watch = this.watched.get(connection);
    if (watch === undefined) return "live";
    const timeoutMs = this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    if (connection.subscriptionCount > 0) watch.emptySince = undefined;
    else watch.emptySince ??= now;
    const lastHeardAt = watch.transport.lastHeardAt;
    if (watch.pingedAt !== undefined && lastHeardAt >= watch.pingedAt) watch.pingedAt = undefined;
    const silentMs = now - lastHeardAt;
    const unansweredMs = watch.pingedAt === undefined ? 0 : now - watch.pingedAt;
    const unsubscribedMs = watch.emptySince === undefined ? 0 : now - watch.emptySince;
    if (silentMs >= timeoutMs && unansweredMs >= timeoutMs / 2) return "silent";
    if (unsubscribedMs >= timeoutMs) {
      this.cutOffIdle(silentMs, unsubscribedMs);
      connection.disconnect(DISCONNECTS.idle);
      return "unsubscribed";
    }
    if (mayAsk && silentMs >= timeoutMs / 2) {
      watch.transport.ping();
      watch.pingedAt ??= now;
    }
    return "live";
  }

  /** Drops the connections still silent: nothing reads them, a closing handshake would wait for nobody. */
  private dropSilent(connections: Connection<Identity>[]): void {
    const now = Date.now();
    for (const connection of connections) {
      const watch = this.watched.get(connection);
      if (watch === undefined || watch.pingedAt === undefined) continue;
      if (watch.transport.lastHeardAt >= watch.pingedAt) continue; // Its pong was waiting.
      this.cutOffIdle(now - watch.transport.lastHeardAt, 0);
      watch.transport.terminate();
      connection.abandon();
    }
  }

  private cutOffIdle(silentMs: number, unsubscribedMs: number): void {
    this.options.logger.info({ silentMs, unsubscribedMs, reason: "idle" }, "cable client cut off: idle");
    this.options.onCutOff?.("idle");
  }
}

function sendAway(transport: Transport, why: Disconnect): void {
  transport.send(disconnectFrame(why));
  transport.close(why.code);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
