/**
 * Settings (owners): the sites, one site's editor, the server-wide settings, email, privacy and
 * the audit log. Agents answer
 * sites but do not shape them, so they get a sentence saying who can, not a page of disabled
 * fields.
 */
import type { Route } from "../../state/routes.js";
import { routePath } from "../../state/routes.js";
import { onLinkClick } from "../router.js";
import { useInbox } from "../useInbox.js";
import { AuditLog } from "./AuditLog.js";
import { EmailSettings } from "./EmailSettings.js";
import { GeneralSettings } from "./GeneralSettings.js";
import { LabelsSettings } from "./LabelsSettings.js";
import { PrivacySettings } from "./PrivacySettings.js";
import { SiteEditor } from "./SiteEditor.js";
import { SitesList } from "./SitesList.js";
import "./settings.css";
import { useT } from "../../i18n/index.js";

type SettingsRoute = Extract<Route, { page: "settings" }>;

const TABS = [
  { label: "tabSites", route: { page: "settings", section: "sites" } },
  { label: "tabLabels", route: { page: "settings", section: "labels" } },
  { label: "tabGeneral", route: { page: "settings", section: "general" } },
  { label: "tabEmail", route: { page: "settings", section: "email" } },
  { label: "tabPrivacy", route: { page: "settings", section: "privacy" } },
  { label: "tabAudit", route: { page: "settings", section: "audit" } },
] as const;

export function SettingsPage({ route }: { route: SettingsRoute }) {
  const me = useInbox((state) => state.me);
  const t = useT();
  if (me.role !== "owner") {
    return (
      <main class="page">
        <h1>{t.settingsHeading}</h1>
        <p class="muted">{t.ownersOnly}</p>
      </main>
    );
  }
  const current = route.section === "site" ? "sites" : route.section;
  return (
    <main class="page settings">
      <h1>{t.settingsHeading}</h1>
      <nav class="subnav" aria-label={t.settingsHeading}>
        {TABS.map((tab) => (
          <a
            key={tab.label}
            href={routePath(tab.route)}
            onClick={onLinkClick}
            aria-current={tab.route.section === current ? "page" : undefined}
          >
            {t[tab.label]}
          </a>
        ))}
      </nav>
      {route.section === "general" ? (
        <GeneralSettings />
      ) : route.section === "email" ? (
        <EmailSettings />
      ) : route.section === "privacy" ? (
        <PrivacySettings />
      ) : route.section === "audit" ? (
        <AuditLog />
      ) : route.section === "labels" ? (
        <LabelsSettings />
      ) : route.section === "site" ? (
        <SiteEditor key={route.siteId} siteId={route.siteId} />
      ) : (
        <SitesList />
      )}
    </main>
  );
}
