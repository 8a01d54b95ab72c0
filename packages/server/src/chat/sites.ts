/**
 * Sites (protocol §10): the websites one Parley serves, each with its key, origins, widget
 * settings, hours and team. Owners create and change them; every agent reads the sites they
 * answer. The default site (the one that existed before sites did) has two rules of its own:
 * the environment's WIDGET_* fix its fields of those names, and it cannot be archived.
 */
import { randomBytes } from "node:crypto";
import type {
  CreateSiteRequest,
  Site,
  SiteWidgetSettings,
  UpdateSiteRequest,
  WidgetConfig,
} from "@parley/protocol";
import type { Broker } from "../broker/broker.js";
import type { SitePatch, Store, StoredSite } from "../store/store.js";
import { hoursState } from "./businessHours.js";
import { newIdentitySecret } from "./identityHash.js";
import { ChatError, notFound } from "./errors.js";
import { answersSite, type Answerer } from "./siteScope.js";
import * as check from "./siteValidation.js";
import { AGENTS_STREAM, siteStream } from "./streams.js";

/** What a new site's widget looks like and says unless the owner says otherwise. */
export const DEFAULT_SITE_WIDGET: Readonly<SiteWidgetSettings> = {
  title: "Chat with us",
  greeting: "Hi! How can we help?",
  color: "#2563eb",
  position: "right",
  launcher_label: null,
  locale: null,
  away_message: "We're away. Leave a message and we'll reply here.",
  prechat: { name: "off", email: "off" },
  ask_rating: true,
  privacy_url: null,
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

/** Who asks: owners answer every site, an agent those whose team is everyone or names them (siteScope.ts). */
export type SiteViewer = Answerer;

/**
 * The page a widget request or socket comes from: its Origin header, and whether that origin is
 * one agents work from (the server's own, AGENT_ORIGINS) or absent (not a browser's script),
 * which may use every site (the demo page, the inbox's preview).
 */
export interface PageOrigin {
  origin: string | undefined;
  trusted: boolean;
}

export interface SitesOptions {
  /** What WIDGET_* set; every field absent when none is. */
  environment?: EnvironmentWidget;
  /** ALLOWED_ORIGINS: the default site's origins while its own list is empty. */
  allowedOrigins?: readonly string[];
  /** Where a change is announced (to agents, and to the site's open widgets); none: nowhere. */
  broker?: Pick<Broker, "publish">;
  /** Whether the site's team is there, for the widgets' new config. */
  agentsOnline?: (siteId: number) => Promise<boolean>;
  /**
   * (§14) The site's faces and typical reply time, from memory (teamFaces.ts, replyTimes.ts):
   * asked on every config; none: no faces, no reply time.
   */
  faces?: (site: StoredSite) => Pick<WidgetConfig, "team" | "reply_time_seconds">;
  /** (§16) Whether Parley sends email, and when the widget asks for an address; none: off. */
  email?: () => Pick<WidgetConfig, "email_enabled" | "ask_email_after_seconds">;
}

export class Sites {
  private readonly environment: EnvironmentWidget;
  private readonly allowedOrigins: readonly string[];
  /**
   * Every site, in memory: the widget's requests and sockets, and the origin check of every
   * request, ask without a query. Read at start, after each change made here, when another node
   * says a site changed, and once a minute (a missed notice heals).
   */
  private known: {
    byKey: Map<string, StoredSite>;
    defaultSite: StoredSite | undefined;
    origins: Set<string>;
  } = {
    byKey: new Map(),
    defaultSite: undefined,
    origins: new Set(),
  };

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly options: SitesOptions = {},
  ) {
    this.environment = options.environment ?? {};
    this.allowedOrigins = options.allowedOrigins ?? [];
  }

  /** Reads every site again (see `known`). */
  async load(): Promise<void> {
    const sites = await this.store.listSites();
    const origins = new Set<string>();
    for (const site of sites)
      if (site.archivedAt === null) for (const origin of this.originsOf(site)) origins.add(origin);
    this.known = {
      byKey: new Map(sites.map((site) => [site.key, site])),
      defaultSite: sites.find((site) => site.isDefault),
      origins,
    };
  }

  /** The origins a site's widget may run on: its own, or ALLOWED_ORIGINS for a default site with none. */
  originsOf(site: StoredSite): readonly string[] {
    return site.isDefault && site.allowedOrigins.length === 0 ? this.allowedOrigins : site.allowedOrigins;
  }

  /** Whether some site's widget may run on `origin` (the HTTP and cable origin policy asks). */
  isSiteOrigin(origin: string): boolean {
    return this.known.origins.has(origin);
  }

  /** Whether the site's widget may run on that page. */
  allowsPage(site: StoredSite, page: PageOrigin): boolean {
    return page.trusted || (page.origin !== undefined && this.originsOf(site).includes(page.origin));
  }

  /**
   * The live site a widget names by key (absent: the default site, as before sites existed), from
   * memory; undefined for an unknown or archived key.
   */
  active(key: string | undefined): StoredSite | undefined {
    const site = key === undefined ? this.known.defaultSite : this.known.byKey.get(key);
    return site === undefined || site.archivedAt !== null ? undefined : site;
  }

  /** What `GET /widget/config` answers for the site, and `site_updated` carries. */
  widgetConfig(site: StoredSite, agentsOnline: boolean): WidgetConfig {
    const widget = this.widgetOf(site);
    const hours = hoursState(site.businessHours, this.now());
    const faces = this.options.faces?.(site) ?? { team: [], reply_time_seconds: null };
    const email = this.options.email?.() ?? { email_enabled: false, ask_email_after_seconds: null };
    return {
      title: widget.title,
      greeting: widget.greeting,
      color: widget.color,
      position: widget.position,
      locale: widget.locale,
      launcher_label: widget.launcher_label,
      agents_online: agentsOnline,
      site_key: site.key,
      away_message: widget.away_message,
      within_hours: hours.within_hours,
      next_open_at: hours.next_open_at,
      time_zone: site.businessHours?.time_zone ?? null,
      hours_change_at: hours.hours_change_at,
      prechat: widget.prechat,
      team: faces.team,
      reply_time_seconds: faces.reply_time_seconds,
      privacy_url: widget.privacy_url,
      email_enabled: email.email_enabled,
      ask_email_after_seconds: email.ask_email_after_seconds,
    };
  }

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
      identity_required: site.identityRequired,
      keep_query_strings: site.keepQueryStrings,
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

  async create(request: CreateSiteRequest): Promise<StoredSite> {
    const widget = { ...DEFAULT_SITE_WIDGET, ...check.widgetSettings(request.widget ?? {}) };
    const site = await this.store.createSite({
      key: newSiteKey(),
      name: check.siteName(request.name),
      allowedOrigins: check.allowedOrigins(request.allowed_origins ?? []),
      widget,
      businessHours: check.businessHours(request.business_hours ?? null),
      agentIds: await this.agentIds(request.agent_ids ?? null),
      identitySecret: newIdentitySecret(),
      identityRequired: request.identity_required ?? false,
      keepQueryStrings: request.keep_query_strings ?? false,
      at: this.now().toISOString(),
    });
    await this.load();
    await this.announce(site);
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
    if (request.identity_required !== undefined) patch.identityRequired = request.identity_required;
    if (request.keep_query_strings !== undefined) patch.keepQueryStrings = request.keep_query_strings;
    if (request.archived !== undefined) {
      if (request.archived && site.isDefault)
        throw new ChatError("conflict", "The default site cannot be archived");
      // Archiving an archived site keeps when it was archived.
      patch.archivedAt = request.archived ? (site.archivedAt ?? at) : null;
    }
    const updated = await this.store.updateSite(id, patch);
    if (updated === undefined) throw notFound("Site");
    await this.load();
    await this.announce(updated);
    return updated;
  }

  /** The site's identity secret (protocol §12): owners only, the routes check. */
  async identitySecret(id: number): Promise<string> {
    const site = await this.store.getSite(id);
    if (site === undefined) throw notFound("Site");
    // A site a server before migration 007 created during a deploy has none yet: it gets one now.
    return site.identitySecret === "" ? this.rotateIdentitySecret(id) : site.identitySecret;
  }

  /** A new identity secret: every hash made with the old one fails from now on. */
  async rotateIdentitySecret(id: number): Promise<string> {
    const secret = newIdentitySecret();
    const updated = await this.store.updateSite(id, { identitySecret: secret, at: this.now().toISOString() });
    if (updated === undefined) throw notFound("Site");
    await this.load();
    return secret;
  }

  /**
   * Agents hear the site (`site_updated` on their stream, which every node's AdminChannel scopes
   * and every node's copy of the sites follows); the site's open widgets hear their new config.
   */
  private async announce(site: StoredSite): Promise<void> {
    const { broker, agentsOnline } = this.options;
    if (broker === undefined) return;
    const online = (await agentsOnline?.(site.id)) ?? false;
    await Promise.all([
      broker.publish(AGENTS_STREAM, { type: "site_updated", site: this.toWire(site) }),
      broker.publish(siteStream(site.id), { type: "site_updated", config: this.widgetConfig(site, online) }),
    ]);
  }

  private async agentIds(ids: number[] | null): Promise<number[] | null> {
    if (ids === null) return null;
    const agents = await this.store.listAgents();
    return check.agentIds(ids, new Set(agents.map((agent) => agent.id)));
  }
}
