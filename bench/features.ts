/**
 * What a real deployment has switched on, so that the bench measures Parley with it (the
 * features of protocol §10, §12, §13 and §15): a second site, labels, a webhook on each site to a
 * receiver in this process, conversations from before the run with labels and notes, and a share
 * of the visitors identified with a verified hash, a share on the second site. The baseline has
 * none of these and is never seeded: it stays the least a server does for the same wire contract.
 */
import { createHmac, randomBytes } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { CableClient } from "./loadgen/cableClient.js";
import { login } from "./loadgen/agents.js";
import { sourceAddresses } from "./loadgen/sourceAddresses.js";
import type { VisitorPlan } from "./loadgen/visitors.js";
import { WebhookReceiver, type WebhookCounts } from "./loadgen/webhookReceiver.js";
import { sleep } from "./processes.js";
import { AGENT_PASSWORD, AGENT_USERNAME } from "./servers.js";

/** Every this-many visitors, one is on the second site... */
const SECOND_SITE_EVERY = 4;
/** ...and one (of either site) identifies with a verified hash before subscribing. */
const IDENTIFIED_EVERY = 10;
const LABELS = [
  { name: "billing", color: "#1f77b4" },
  { name: "bug", color: "#d62728" },
  { name: "sales", color: "#2ca02c" },
  { name: "vip", color: "#9467bd" },
];
/** Conversations from before the run, each labelled, with notes. */
const HISTORY_CONVERSATIONS = 20;
const NOTES_PER_CONVERSATION = 2;
const WEBHOOK_EVENTS = [
  "conversation.created",
  "message.created",
  "conversation.status_changed",
  "conversation.assigned",
  "contact.identified",
];
/** The server allows 600 identify calls per address in 10 minutes; stay under it per address. */
const IDENTIFY_PER_ADDRESS = 500;
const IDENTIFY_CONCURRENCY = 16;

/** How long the chat waits for the connect scenario's contact.identified deliveries. */
export const IDENTIFIED_WAIT_MS = 60_000;

/** What was switched on, for the report. */
export interface FeaturesSummary {
  sites: number;
  labels: number;
  webhooks: number;
  historyConversations: number;
  notes: number;
  visitorsOnSecondSite: number;
  identifiedVisitors: number;
  /** Deliveries the receiver took by the end of the chat scenario, then by the end of the run. */
  webhooksAfterChat?: WebhookCounts;
  webhooksAtEnd?: WebhookCounts;
}

interface SiteInfo {
  id: number;
  key: string;
  secret: string;
}

export class SeededFeatures {
  private constructor(
    readonly receiver: WebhookReceiver,
    private readonly sites: SiteInfo[],
    readonly summary: FeaturesSummary,
  ) {}

  /**
   * Seeds a running Parley at `base` (the first node of a cluster: the store is shared). Needs the
   * server's WEBHOOK_ALLOWED_HOSTS to let it deliver to the receiver's loopback address.
   */
  static async seed(base: string, cable: string): Promise<SeededFeatures> {
    const receiver = await WebhookReceiver.start();
    try {
      const cookie = await login(base, AGENT_USERNAME, AGENT_PASSWORD);
      const api = (method: string, path: string, body?: unknown) => json(base, cookie, method, path, body);

      const { site: second } = (await api("POST", "/sites", {
        name: "Second shop",
        allowed_origins: ["https://shop-two.example"],
      })) as { site: { id: number; key: string } };
      const { sites } = (await api("GET", "/sites")) as {
        sites: Array<{ id: number; key: string; is_default: boolean }>;
      };
      const first = sites.find((site) => site.is_default);
      if (first === undefined) throw new Error("no default site");
      const infos: SiteInfo[] = [];
      for (const site of [first, second]) {
        const { secret } = (await api("GET", `/sites/${site.id}/identity`)) as { secret: string };
        await api("POST", `/sites/${site.id}/webhooks`, { url: receiver.url, events: WEBHOOK_EVENTS });
        infos.push({ id: site.id, key: site.key, secret });
      }
      const labelIds: number[] = [];
      for (const label of LABELS) {
        const created = (await api("POST", "/labels", label)) as { label: { id: number } };
        labelIds.push(created.label.id);
      }
      await startConversations(cable, infos, HISTORY_CONVERSATIONS);
      const { conversations } = (await api("GET", "/conversations?status=all")) as {
        conversations: Array<{ id: number }>;
      };
      const conversationIds = conversations.map((conversation) => conversation.id);
      let notes = 0;
      for (const [i, id] of conversationIds.entries()) {
        await api("PUT", `/conversations/${id}/labels`, {
          label_ids: [
            labelIds[i % labelIds.length]!,
            ...(i % 3 === 0 ? [labelIds[(i + 1) % labelIds.length]!] : []),
          ],
        });
        for (let n = 0; n < NOTES_PER_CONVERSATION; n++) {
          await api("POST", `/conversations/${id}/notes`, {
            content:
              n === 0
                ? `Customer since 2019, see CRM #${4000 + i}.`
                : `@${AGENT_USERNAME} can you take this one?`,
          });
          notes++;
        }
      }
      return new SeededFeatures(receiver, infos, {
        sites: infos.length,
        labels: labelIds.length,
        webhooks: infos.length,
        historyConversations: conversationIds.length,
        notes,
        visitorsOnSecondSite: 0,
        identifiedVisitors: 0,
      });
    } catch (error) {
      await receiver.stop();
      throw error;
    }
  }

  /**
   * Which site and token each of `count` visitors connects with: every fourth on the second site,
   * every tenth identified first (`POST /widget/identify` with the hash its site's page would
   * compute), on node `index mod n` as the visitors are. Identify calls come from addresses of
   * their own, a few hundred each, as real visitors' would.
   */
  async planVisitors(count: number, bases: readonly string[], host: string): Promise<VisitorPlan> {
    const plans: Array<{ token?: string; site?: string }> = [];
    const toIdentify: number[] = [];
    for (let i = 0; i < count; i++) {
      const site = i % SECOND_SITE_EVERY === SECOND_SITE_EVERY - 1 ? this.sites[1]! : undefined;
      plans.push(site === undefined ? {} : { site: site.key });
      if (i % IDENTIFIED_EVERY === 0) toIdentify.push(i);
    }
    // sourceAddresses hands out one address per 2,000 sockets; ask for enough to keep each under the cap.
    const address = sourceAddresses(toIdentify.length * (2000 / IDENTIFY_PER_ADDRESS), host);
    const agents = new Map<string | undefined, Agent>();
    let next = 0;
    const lane = async () => {
      while (next < toIdentify.length) {
        const k = next++;
        const i = toIdentify[k]!;
        const siteKey = plans[i]!.site;
        const site = siteKey === undefined ? this.sites[0]! : this.sites[1]!;
        const localAddress = address(k * (2000 / IDENTIFY_PER_ADDRESS));
        let agent = agents.get(localAddress);
        if (agent === undefined) agents.set(localAddress, (agent = new Agent({ keepAlive: true })));
        const userId = `user-${i}-${randomBytes(4).toString("hex")}`;
        const answer = (await post(
          bases[i % bases.length]!,
          "/widget/identify",
          {
            token: `bench_${randomBytes(12).toString("base64url")}`,
            ...(siteKey === undefined ? {} : { site: siteKey }),
            id: userId,
            hash: createHmac("sha256", site.secret).update(userId).digest("hex"),
            name: `Customer ${i}`,
            email: `customer${i}@example.com`,
            attributes: { plan: i % 20 === 0 ? "pro" : "free" },
          },
          agent,
          localAddress,
        )) as { token: string; verified: boolean };
        if (!answer.verified) throw new Error(`identify of visitor ${i} was not verified`);
        plans[i]!.token = answer.token;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(IDENTIFY_CONCURRENCY, toIdentify.length) }, lane));
    } finally {
      for (const agent of agents.values()) agent.destroy();
    }
    this.summary.identifiedVisitors += toIdentify.length;
    this.summary.visitorsOnSecondSite += plans.filter((plan) => plan.site !== undefined).length;
    return (index) => plans[index] ?? {};
  }

  /**
   * Waits (up to `timeoutMs`) until the receiver has a contact.identified event for every visitor
   * identified before the connect scenario. They are delivered while it ends, on Postgres for
   * seconds after it: the chat's idle reading must not take that work for idle (it read 300–400
   * ms/s instead of 100–160). False when they did not all come in time.
   */
  async identificationsDelivered(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const received = this.receiver.snapshot().events["contact.identified"] ?? 0;
      if (received >= this.summary.identifiedVisitors) return true;
      if (performance.now() >= deadline) return false;
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    this.summary.webhooksAtEnd = this.receiver.snapshot();
    await this.receiver.stop();
  }
}

/** Visitors who wrote before the run (half on each site), so there are conversations to label and annotate. */
async function startConversations(cable: string, sites: SiteInfo[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const site = sites[i % sites.length]!;
    const client = new CableClient({ url: cable });
    try {
      const identifier = {
        channel: "VisitorChannel",
        token: `bench_${randomBytes(12).toString("base64url")}`,
        ...(site === sites[0] ? {} : { site: site.key }),
      };
      await client.subscribe(identifier, 15_000);
      const echoed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("history message was not echoed")), 15_000);
        client.onMessage = (message) => {
          if (message.type !== "message") return;
          clearTimeout(timer);
          resolve();
        };
      });
      client.perform(JSON.stringify(identifier), {
        action: "send_message",
        content: `Hello, question ${i} about my order`,
        client_id: `history-${i}`,
      });
      await echoed;
    } finally {
      client.close();
    }
  }
}

async function json(
  base: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** A JSON POST from a chosen source address (fetch cannot bind one). */
function post(
  base: string,
  path: string,
  body: unknown,
  agent: Agent,
  localAddress: string | undefined,
): Promise<unknown> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${base}${path}`,
      {
        method: "POST",
        agent,
        ...(localAddress === undefined ? {} : { localAddress }),
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode !== 200)
            reject(new Error(`POST ${path}: ${response.statusCode} ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text) as unknown);
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}
