/**
 * What an operator's Prometheus scrapes from one node (GET /metrics, http/routes/metrics.ts, or
 * METRICS_PORT, metricsServer.ts): Node's own figures (event-loop lag, heap, GC, handles) and
 * Parley's. Each node has its own registry; Prometheus sums across nodes, so nothing here is
 * shared through Redis. The instruments are fed by small decorators (measuredBroker.ts,
 * countedChannel.ts, measuredPushSender.ts) and by Signals wired in server.ts, so chat/ and
 * cable/ stay unaware of them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Seconds; delivery is usually a few ms, and a busy or failing-over cluster may take seconds. */
const DELIVERY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds; SQLite statements take microseconds, Postgres round trips a millisecond or more. */
const QUERY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

export type JobOutcomeLabel = "done" | "retry" | "gave_up" | "postponed" | "failed_to_record";
export type PushOutcomeLabel = "delivered" | "gone" | "retry" | "rejected";

export interface Sampled {
  /** Open cable sockets on this node. */
  connections(): number;
  /** Jobs in the shared queue, by state (one query per scrape). */
  jobs(): Promise<{ pending: number; running: number }>;
  /** 1 while the broker reaches every node (always 1 without Redis). */
  brokerUp(): number;
}

export class Metrics {
  readonly registry = new Registry();

  readonly subscriptions = new Gauge({
    name: "parley_subscriptions",
    help: "Open channel subscriptions on this node, by channel",
    labelNames: ["channel"] as const,
    registers: [this.registry],
  });
  readonly messages = new Counter({
    name: "parley_messages_total",
    help: "Messages stored and published by this node, by sender",
    labelNames: ["sender"] as const,
    registers: [this.registry],
  });
  readonly deliverySeconds = new Histogram({
    name: "parley_delivery_seconds",
    help: "From a message's creation to its arrival on this node, once per stream (visitor, admin)",
    labelNames: ["channel"] as const,
    buckets: DELIVERY_BUCKETS,
    registers: [this.registry],
  });
  readonly cableCutOffs = new Counter({
    name: "parley_cable_cut_off_total",
    help: "Cable clients the server dropped: slow_consumer (send buffer past its bound), subscribe_flood or idle",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly brokerPublishes = new Counter({
    name: "parley_broker_publishes_total",
    help: "Events this node published on the broker",
    registers: [this.registry],
  });
  readonly brokerGaps = new Counter({
    name: "parley_broker_gaps_total",
    help: "Times the broker may have dropped deliveries (Redis went away and came back)",
    registers: [this.registry],
  });
  readonly jobRuns = new Counter({
    name: "parley_job_runs_total",
    help: "Jobs this node ran, by kind and outcome",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  readonly pushes = new Counter({
    name: "parley_push_total",
    help: "Web pushes sent by this node, by the push service's answer",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly emails = new Counter({
    name: "parley_emails_total",
    help: "Email sending attempts on this node, by kind (visitor_replies, transcript, agent_alert, test) and outcome (sent, retry, failed: given up)",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  readonly querySeconds = new Histogram({
    name: "parley_db_query_seconds",
    help: "Database statement time, by kind of statement",
    labelNames: ["statement"] as const,
    buckets: QUERY_BUCKETS,
    registers: [this.registry],
  });
  readonly queryErrors = new Counter({
    name: "parley_db_query_errors_total",
    help: "Database statements that failed",
    registers: [this.registry],
  });

  /**
   * `exposed`: someone will scrape (METRICS_TOKEN or METRICS_PORT). Node's default collectors
   * start timers and event-loop monitors, so they run only then; Parley's own instruments are
   * plain counters and always count.
   */
  constructor({ exposed }: { exposed: boolean }) {
    if (exposed) collectDefaultMetrics({ register: this.registry });
  }

  /** The figures read at each scrape, from parts built after the metrics (server.ts). */
  sample(sampled: Sampled): void {
    new Gauge({
      name: "parley_connections",
      help: "Open cable (WebSocket) connections on this node",
      registers: [this.registry],
      collect() {
        this.set(sampled.connections());
      },
    });
    new Gauge({
      name: "parley_jobs",
      help: "Jobs in the queue (shared by all nodes), by state",
      labelNames: ["state"] as const,
      registers: [this.registry],
      async collect() {
        const counts = await sampled.jobs();
        this.set({ state: "pending" }, counts.pending);
        this.set({ state: "running" }, counts.running);
      },
    });
    new Gauge({
      name: "parley_broker_up",
      help: "1 while the broker reaches the other nodes (always 1 on a single node)",
      registers: [this.registry],
      collect() {
        this.set(sampled.brokerUp());
      },
    });
  }

  /** A database statement's time, labelled by its verb only (never its text: it may hold data). */
  observeQuery(sqlText: string, millis: number): void {
    this.querySeconds.observe({ statement: statementKind(sqlText) }, millis / 1000);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

const KINDS = new Set(["select", "insert", "update", "delete", "with", "begin", "commit", "rollback"]);

export function statementKind(sqlText: string): string {
  const verb = /^\s*([a-z]+)/i.exec(sqlText)?.[1]?.toLowerCase() ?? "";
  return KINDS.has(verb) ? verb : "other";
}
