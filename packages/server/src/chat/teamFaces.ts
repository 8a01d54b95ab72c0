/**
 * The faces a site's widget shows (protocol §14 `WidgetConfig.team`): at most MAX_TEAM_FACES
 * agents who answer the site (siteScope.ts: owners answer every site), those with the inbox open
 * first, each with their name and photo only (never a username or role).
 *
 * Answered from memory, as `agents_online` is (siteAvailability.ts): `/widget/config` is asked on
 * every page view and costs no query. The agents are read at start, again when one is added,
 * renamed, removed or changes photo on any node (TEAM_STREAM), after a broker gap, and once a
 * minute with the sites (chat.ts), so a lost notice heals; who is online comes from Presence.
 */
import { MAX_TEAM_FACES, type TeamMember } from "@parley/protocol";
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import type { Store } from "../store/store.js";
import { avatarUrl } from "./avatars.js";
import type { Presence } from "./presence.js";
import { answersSite, type Answerer, type SiteTeam } from "./siteScope.js";
import { TEAM_STREAM } from "./streams.js";

interface Face extends Answerer {
  name: string;
  avatarUrl: string | null;
}

export class TeamFaces {
  private faces: Face[] = [];
  private readonly stopListening: Array<() => void> = [];

  constructor(
    private readonly store: Pick<Store, "listAgents">,
    private readonly presence: Pick<Presence, "knownOnlineAgents">,
    private readonly broker: Pick<Broker, "publish" | "subscribe" | "onGap">,
    private readonly logger: Logger,
  ) {}

  /** Follows other nodes' changes, then reads the agents. Before the node takes visitors. */
  async start(): Promise<void> {
    const reload = () =>
      this.load().catch((error: unknown) =>
        this.logger.error({ err: error }, "reading the team's faces failed"),
      );
    this.stopListening.push(
      await this.broker.subscribe(TEAM_STREAM, ({ event }) => {
        if (event.type === "team_changed") void reload();
      }),
      this.broker.onGap(() => void reload()),
    );
    await this.load();
  }

  stop(): void {
    for (const stop of this.stopListening.splice(0)) stop();
  }

  /** Reads the agents again. */
  async load(): Promise<void> {
    this.faces = (await this.store.listAgents()).map((agent) => ({
      id: agent.id,
      role: agent.role,
      name: agent.name,
      avatarUrl: avatarUrl(agent.avatarFile),
    }));
  }

  /** An agent joined, left, was renamed or changed photo here: read again, and tell the other nodes. */
  async changed(): Promise<void> {
    await this.load();
    await this.broker.publish(TEAM_STREAM, { type: "team_changed" });
  }

  /** Who the site's widget shows: its team, online ones first, then in the order they joined. */
  of(site: SiteTeam): TeamMember[] {
    const online = this.presence.knownOnlineAgents;
    const members = this.faces
      .filter((face) => answersSite(face, site))
      .map((face) => ({
        id: face.id,
        name: face.name,
        avatar_url: face.avatarUrl,
        online: online.has(face.id),
      }));
    // Stable: within each group the agents stay in id order.
    members.sort((a, b) => Number(b.online) - Number(a.online));
    return members.slice(0, MAX_TEAM_FACES);
  }
}
