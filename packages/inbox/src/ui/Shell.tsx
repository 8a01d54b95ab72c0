/** The frame around every signed-in page: brand, navigation, connection state, who is signed in. */
import type { ComponentChildren } from "preact";
import { useT } from "../i18n/index.js";
import { routePath, type Route } from "../state/routes.js";
import { AttentionBanner } from "./AttentionBanner.js";
import { AvailabilitySwitch } from "./AvailabilitySwitch.js";
import { Avatar } from "./Avatar.js";
import { ConnectionBanner, Notice } from "./ConnectionBanner.js";
import { onLinkClick } from "./router.js";
import { useInbox } from "./useInbox.js";

const NAV: {
  label: "navInbox" | "navContacts" | "navTeam" | "navReports" | "navSettings" | "navAccount";
  route: Route;
  ownersOnly?: boolean;
}[] = [
  { label: "navInbox", route: { page: "chats", conversationId: null } },
  { label: "navContacts", route: { page: "contacts", contactId: null } },
  { label: "navTeam", route: { page: "team" } },
  { label: "navReports", route: { page: "reports" } },
  { label: "navSettings", route: { page: "settings", section: "sites" }, ownersOnly: true },
  { label: "navAccount", route: { page: "account" } },
];

export function Shell(props: { route: Route; onLogout: () => void; children: ComponentChildren }) {
  const me = useInbox((state) => state.me);
  const status = useInbox((state) => state.status);
  const t = useT();
  return (
    <div class="shell">
      <header class="top">
        <span class="brand">Parley</span>
        <nav aria-label={t.navMain}>
          {NAV.filter((item) => !item.ownersOnly || me.role === "owner").map(({ label, route }) => (
            <a
              key={label}
              href={routePath(route)}
              onClick={onLinkClick}
              aria-current={route.page === props.route.page ? "page" : undefined}
            >
              {t[label]}
            </a>
          ))}
        </nav>
        <span class={`live ${status}`} title={status === "connected" ? t.live : t.notConnected}>
          <i aria-hidden="true" />
          <span class="sr">{status === "connected" ? t.live : t.notConnected}</span>
        </span>
        <AvailabilitySwitch />
        <a
          class="me"
          href={routePath({ page: "account" })}
          onClick={onLinkClick}
          title={`${me.name} (${me.username})`}
        >
          <Avatar name={me.name} url={me.avatar_url} size={28} />
          <span class="me-name">{me.name}</span>
        </a>
        <button type="button" class="ghost" onClick={props.onLogout}>
          {t.logOut}
        </button>
      </header>
      <ConnectionBanner />
      {/* Account has the same choices as switches. */}
      {props.route.page !== "account" && <AttentionBanner />}
      <Notice />
      {props.children}
    </div>
  );
}
