/**
 * Everything behind the login: one store (and so one live connection) for the signed-in agent,
 * the tab title, sounds, and the way back to the login page when the session ends.
 */
import type { Agent } from "@parley/protocol";
import { useEffect, useMemo } from "preact/hooks";
import { onUnauthorized } from "../api/http.js";
import { rest } from "../api/rest.js";
import { soundEnabled } from "../attention/preferences.js";
import { removePushOnSignOut } from "../attention/push.js";
import { chime } from "../attention/sound.js";
import { cableUrl } from "../live/adminLink.js";
import { totalUnread } from "../state/conversationList.js";
import type { Route } from "../state/routes.js";
import { tabTitle } from "../state/title.js";
import { messages, useT } from "../i18n/index.js";
import { InboxStore, SESSION_ENDED } from "../store/inboxStore.js";
import { AccountPage } from "./AccountPage.js";
import { CannedRepliesPage } from "./CannedRepliesPage.js";
import { ContactsPage } from "./contacts/ContactsPage.js";
import { InboxPage } from "./InboxPage.js";
import { ReportsRoute } from "./reports/ReportsRoute.js";
import { navigate } from "./router.js";
import { SettingsPage } from "./settings/SettingsPage.js";
import { Shell } from "./Shell.js";
import { TeamPage } from "./TeamPage.js";
import { StoreContext, useInbox } from "./useInbox.js";
import { useMentioned } from "./useNotes.js";

const pageVisible = (): boolean => document.visibilityState === "visible";

export function SignedIn(props: { me: Agent; route: Route; onEnded: (notice: string) => void }) {
  const { onEnded } = props;
  const store = useMemo(
    () =>
      new InboxStore(props.me, {
        cableUrl: cableUrl(location),
        sessionEnded: onEnded,
        openDeleted: () => {
          navigate("/admin/chats", { replace: true });
          store.notify(messages().conversationDeleted);
        },
        visitorMessage: (conversationId) => {
          const looking = pageVisible() && store.state.openId === conversationId && document.hasFocus();
          if (soundEnabled() && !looking) chime();
        },
        pageVisible,
        mentioned: (note) => {
          // (§15) A note that mentions this agent: a chime (when on), a notice, and push from the server.
          const looking = pageVisible() && store.state.openId === note.conversation_id && document.hasFocus();
          if (soundEnabled() && !looking) chime();
          if (!looking) store.notify(messages().mentionedYou(note.agent.name));
        },
      }),
    // One store per signed-in agent: a new login is a new session.
    [props.me.id],
  );

  useEffect(() => {
    store.start();
    const stopListening = onUnauthorized(() => onEnded(SESSION_ENDED));
    const shown = (): void => {
      if (pageVisible()) store.pageShown();
    };
    // (§15) Keys and the pointer say the agent is here; the store sends it at most every 30 s.
    const active = (): void => store.activity();
    document.addEventListener("visibilitychange", shown);
    addEventListener("focus", shown);
    addEventListener("keydown", active, { capture: true, passive: true });
    addEventListener("pointerdown", active, { capture: true, passive: true });
    return () => {
      stopListening();
      document.removeEventListener("visibilitychange", shown);
      removeEventListener("focus", shown);
      removeEventListener("keydown", active, { capture: true });
      removeEventListener("pointerdown", active, { capture: true });
      store.stop();
    };
  }, [store, onEnded]);

  const route = props.route;
  useEffect(() => store.open(route.page === "chats" ? route.conversationId : null), [store, route]);

  const logout = (): void => {
    // Push first: removing the subscription from the server needs the session. The cookie is
    // cleared by the server; even if that request fails, this page forgets the session.
    void removePushOnSignOut()
      .then(() => rest.logout())
      .catch(() => undefined)
      .then(() => onEnded(messages().loggedOut));
  };

  return (
    <StoreContext.Provider value={store}>
      <TabTitle />
      <Shell route={route} onLogout={logout}>
        {route.page === "team" ? (
          <TeamPage />
        ) : route.page === "contacts" ? (
          <ContactsPage contactId={route.contactId} />
        ) : route.page === "settings" ? (
          <SettingsPage route={route} />
        ) : route.page === "reports" ? (
          <ReportsRoute />
        ) : route.page === "canned" ? (
          <CannedRepliesPage />
        ) : route.page === "account" ? (
          <AccountPage onPasswordChanged={() => onEnded(messages().passwordChanged)} />
        ) : (
          <InboxPage conversationId={route.page === "chats" ? route.conversationId : null} />
        )}
      </Shell>
    </StoreContext.Provider>
  );
}

function TabTitle() {
  const conversations = useInbox((state) => state.conversations);
  const mentioned = useMentioned();
  const t = useT();
  useEffect(() => {
    document.title = tabTitle(totalUnread(conversations), mentioned, t.appTitle);
  }, [conversations, mentioned, t]);
  return null;
}
