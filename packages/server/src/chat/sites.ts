/**
 * Sites (protocol §10): the websites one Parley serves, each with its key, origins, widget
 * settings, hours and team. Owners create and change them; every agent reads the sites they
 * answer. The default site (the one that existed before sites did) has two rules of its own:
 * the environment's WIDGET_* fix its fields of those names, and it cannot be archived.
 */
import { randomBytes } from "node:crypto";
import type {
  AgentRole,
  CreateSiteRequest,
  Site,
  SiteWidgetSettings,
  UpdateSiteRequest,
} from "@parley/protocol";
import type { SitePatch, Store, StoredSite } from "../store/store.js";
import { Signal } from "../signal.js";
import { ChatError, notFound } from "./errors.js";
import * as check from "./siteValidation.js";

/** What a new site's widget looks like and says unless the owner says otherwise. */
export const DEFAULT_SITE_WIDGET: Readonly<SiteWidgetSettings> = {
  title: "Chat with us",
  greeting: "Hi! How can we help?",
  color: "#2563eb",
  position: "right",
  launcher_label: null,
  locale: null,
  away_message: "We're away. Leave a message and we'll reply here.",
};

/** The widget fields an environment variable can fix (WIDGET_TITLE, …): the default site's only. */
export type EnvironmentWidget = Partial<
  Pick<SiteWidgetSettings, "title" | "greeting" | "color" | "position">
>;

const ENVIRONMENT_VARIABLES: Record<keyof EnvironmentWidget, string> = {
  title: "WIDGET_TITLE",
  greeting: "WIDGET_GREETING",
  color: "WIDGET_COLOR",
  position: "WIDGET_POSITION",
};

/** 24 characters of [A-Za-z0-9_-] (SITE_KEY_PATTERN), 144 random bits: never guessed, never repeated. */
export function newSiteKey(): string {
  return randomBytes(18).toString("base64url");
}

/** Who asks: owners answer every site, an agent those whose team is everyone or names them. */
export interface SiteViewer {
  id: number;
  role: AgentRole;
}

export function answersSite(viewer: SiteViewer, site: Pick<StoredSite, "agentIds">): boolean {
  return viewer.role === "owner" || site.agentIds === null || site.agentIds.includes(viewer.id);
}

export class Sites {
  /** A site was created or changed here (its new state); server.ts tells the widgets and agents. */
  readonly changed = new Signal<StoredSite>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    /** What WIDGET_* set; every field absent when none is. */
    private readonly environment: EnvironmentWidget = {},
  ) {}

  /** The widget fields the environment fixes on this site. */
  fixedFields(site: Pick<StoredSite, "isDefault">): Array<keyof EnvironmentWidget> {
    if (!site.isDefault) return [];
    return (Object.keys(ENVIRONMENT_VARIABLES) as Array<keyof EnvironmentWidget>).filter(
      (field) => this.environment[field] !== undefined,
    );
  }

  /** The widget settings the site is served with: the environment's where it fixes them. */
  widgetOf(site: StoredSite): SiteWidgetSettings {
    if (!site.isDefault) return site.widget;
    return { ...site.widget, ...this.environment };
  }

  toWire(site: StoredSite): Site {
    return {
      id: site.id,
      key: site.key,
      name: site.name,
      is_default: site.isDefault,
      archived_at: site.archivedAt,
      allowed_origins: site.allowedOrigins,
      widget: this.widgetOf(site),
      business_hours: site.businessHours,
      agent_ids: site.agentIds,
      fixed_by_environment: this.fixedFields(site),
      created_at: site.createdAt,
      updated_at: site.updatedAt,
    };
  }

  /** Owners: every site, archived ones too. Agents: the sites they answer. */
  async list(viewer: SiteViewer): Promise<StoredSite[]> {
    const sites = await this.store.listSites();
    return sites.filter((site) => answersSite(viewer, site));
  }

  /** A site the viewer answers; "not found" otherwise, as if it did not exist. */
  async get(id: number, viewer: SiteViewer): Promise<StoredSite> {
    const site = await this.store.getSite(id);
    if (site === undefined || !answersSite(viewer, site)) throw notFound("Site");
    return site;
  }

  getDefault(): Promise<StoredSite> {
    return this.store.getDefaultSite();
  }

  /**
   * The site a widget names by key (absent: the default site, as before sites existed);
   * unknown or archived: "not found".
   */
  async forWidget(key: string | undefined): Promise<StoredSite> {
    const site = key === undefined ? await this.store.getDefaultSite() : await this.store.findSiteByKey(key);
    if (site === undefined || site.archivedAt !== null) throw notFound("Site");
    return site;
  }

  async create(request: CreateSiteRequest): Promise<StoredSite> {
    const widget = { ...DEFAULT_SITE_WIDGET, ...check.widgetSettings(request.widget ?? {}) };
    const site = await this.store.createSite({
      key: newSiteKey(),
      name: check.siteName(request.name),
      allowedOrigins: check.allowedOrigins(request.allowed_origins ?? []),
      widget,
      businessHours: check.businessHours(request.business_hours ?? null),
      agentIds: await this.agentIds(request.agent_ids ?? null),
      at: this.now().toISOString(),
    });
    this.changed.emit(site);
    return site;
  }

  /** What is present changes; `widget` merges field by field. */
  async update(id: number, request: UpdateSiteRequest): Promise<StoredSite> {
    const site = await this.store.getSite(id);
    if (site === undefined) throw notFound("Site");
    const at = this.now().toISOString();
    const patch: SitePatch = { at };
    if (request.name !== undefined) patch.name = check.siteName(request.name);
    if (request.allowed_origins !== undefined)
      patch.allowedOrigins = check.allowedOrigins(request.allowed_origins);
    if (request.widget !== undefined) {
      const fixed = this.fixedFields(site).filter((field) => request.widget?.[field] !== undefined);
      if (fixed.length > 0) {
        const variables = fixed.map((field) => ENVIRONMENT_VARIABLES[field]).join(", ");
        throw new ChatError(
          "conflict",
          `The environment (${variables}) fixes ${fixed.join(", ")} of the default site: change it there`,
        );
      }
      patch.widget = { ...site.widget, ...check.widgetSettings(request.widget) };
    }
    if (request.business_hours !== undefined)
      patch.businessHours = check.businessHours(request.business_hours);
    if (request.agent_ids !== undefined) patch.agentIds = await this.agentIds(request.agent_ids);
    if (request.archived !== undefined) {
      if (request.archived && site.isDefault)
        throw new ChatError("conflict", "The default site cannot be archived");
      // Archiving an archived site keeps when it was archived.
      patch.archivedAt = request.archived ? (site.archivedAt ?? at) : null;
    }
    const updated = await this.store.updateSite(id, patch);
    if (updated === undefined) throw notFound("Site");
    this.changed.emit(updated);
    return updated;
  }

  private async agentIds(ids: number[] | null): Promise<number[] | null> {
    if (ids === null) return null;
    const agents = await this.store.listAgents();
    return check.agentIds(ids, new Set(agents.map((agent) => agent.id)));
  }
}
