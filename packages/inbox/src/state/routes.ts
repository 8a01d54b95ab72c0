/** The inbox's addresses under /admin (the seed's paths: /admin/login, /admin/chats). */
export type Route =
  | { page: "login" }
  | { page: "chats"; conversationId: number | null }
  | { page: "team" }
  /** Contacts (§12): the list, or one contact (`contactId`). */
  | { page: "contacts"; contactId: number | null }
  | { page: "account" }
  /** (§15) Canned replies: the agent's own, and the shared ones (owners change those). */
  | { page: "canned" }
  /** (§18) Reports: owners see the team's figures, an agent their own. */
  | { page: "reports" }
  /** Owners' settings: the sites, one site's editor (`siteId`), labels, general, email (§16), privacy and the audit log (§17). */
  | {
      page: "settings";
      section: "sites" | "labels" | "general" | "email" | "privacy" | "audit";
      siteId?: undefined;
    }
  | { page: "settings"; section: "site"; siteId: number };

export const BASE = "/admin";

export function parseRoute(pathname: string): Route | null {
  const path = pathname.replace(/\/+$/, "");
  if (path === `${BASE}/login`) return { page: "login" };
  if (path === `${BASE}/chats`) return { page: "chats", conversationId: null };
  const chat = /^\/admin\/chats\/(\d{1,15})$/.exec(path);
  if (chat?.[1] !== undefined) return { page: "chats", conversationId: Number(chat[1]) };
  if (path === `${BASE}/team`) return { page: "team" };
  if (path === `${BASE}/contacts`) return { page: "contacts", contactId: null };
  const contact = /^\/admin\/contacts\/(\d{1,15})$/.exec(path);
  if (contact?.[1] !== undefined) return { page: "contacts", contactId: Number(contact[1]) };
  if (path === `${BASE}/account`) return { page: "account" };
  if (path === `${BASE}/canned`) return { page: "canned" };
  if (path === `${BASE}/reports`) return { page: "reports" };
  if (path === `${BASE}/settings` || path === `${BASE}/settings/sites`)
    return { page: "settings", section: "sites" };
  if (path === `${BASE}/settings/general`) return { page: "settings", section: "general" };
  if (path === `${BASE}/settings/labels`) return { page: "settings", section: "labels" };
  if (path === `${BASE}/settings/email`) return { page: "settings", section: "email" };
  if (path === `${BASE}/settings/privacy`) return { page: "settings", section: "privacy" };
  if (path === `${BASE}/settings/audit`) return { page: "settings", section: "audit" };
  const site = /^\/admin\/settings\/sites\/(\d{1,15})$/.exec(path);
  if (site?.[1] !== undefined) return { page: "settings", section: "site", siteId: Number(site[1]) };
  return null;
}

export function routePath(route: Route): string {
  switch (route.page) {
    case "login":
      return `${BASE}/login`;
    case "chats":
      return route.conversationId === null ? `${BASE}/chats` : `${BASE}/chats/${route.conversationId}`;
    case "team":
      return `${BASE}/team`;
    case "contacts":
      return route.contactId === null ? `${BASE}/contacts` : `${BASE}/contacts/${route.contactId}`;
    case "account":
      return `${BASE}/account`;
    case "canned":
      return `${BASE}/canned`;
    case "reports":
      return `${BASE}/reports`;
    case "settings":
      return route.section === "site"
        ? `${BASE}/settings/sites/${route.siteId}`
        : `${BASE}/settings/${route.section}`;
  }
}

export const HOME: Route = { page: "chats", conversationId: null };
