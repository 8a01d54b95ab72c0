/** The top: find out whether we are signed in, then show the login page or the inbox. */
import type { Agent } from "@parley/protocol";
import { SESSION_ENDED } from "../store/inboxStore.js";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";
import { forgetPushSubscription } from "../attention/push.js";
import { HOME, parseRoute, routePath } from "../state/routes.js";
import { LoginPage } from "./LoginPage.js";
import { navigate, usePath } from "./router.js";
import { SignedIn } from "./SignedIn.js";
import {
  adoptAgentLocale,
  LocaleContext,
  locale as currentLocale,
  messages,
  onLocaleChange,
  useT,
} from "../i18n/index.js";

type Session =
  | { kind: "checking" }
  | { kind: "failed"; error: string }
  | { kind: "out"; notice: string | null }
  | { kind: "in"; me: Agent };

export function App() {
  const [locale, setLocale] = useState(currentLocale);
  useEffect(() => onLocaleChange(setLocale), []);
  return (
    <LocaleContext.Provider value={locale}>
      <Session />
    </LocaleContext.Provider>
  );
}

function Session() {
  const t = useT();
  const path = usePath();
  const [session, setSession] = useState<Session>({ kind: "checking" });

  const check = useCallback(() => {
    setSession({ kind: "checking" });
    rest.me().then(
      ({ agent }) => {
        adoptAgentLocale(agent.id);
        setSession({ kind: "in", me: agent });
      },
      (error: unknown) =>
        setSession(
          error instanceof ApiError && error.status === 401
            ? { kind: "out", notice: null }
            : { kind: "failed", error: messageOf(error) },
        ),
    );
  }, []);
  useEffect(check, [check]);

  const ended = useCallback((notice: string) => {
    document.title = messages().appTitle;
    // However the session ended, this browser stops getting pushes for an agent not signed in.
    void forgetPushSubscription();
    setSession({ kind: "out", notice });
  }, []);

  const route = parseRoute(path);
  const wanted = session.kind === "out" ? "login" : session.kind === "in" ? "app" : null;
  useEffect(() => {
    if (wanted === "login" && route?.page !== "login")
      navigate(routePath({ page: "login" }), { replace: true });
    if (wanted === "app" && (route === null || route.page === "login"))
      navigate(routePath(HOME), { replace: true });
  }, [wanted, route]);

  switch (session.kind) {
    case "checking":
      return <p class="splash muted">{t.loading}</p>;
    case "failed":
      return (
        <main class="splash">
          <h1 class="sr">{t.appTitle}</h1>
          <p class="error">{session.error}</p>
          <button type="button" class="primary" onClick={check}>
            {t.tryAgain}
          </button>
        </main>
      );
    case "out":
      return (
        <LoginPage
          notice={session.notice === SESSION_ENDED ? t.sessionEnded : session.notice}
          onLoggedIn={(me) => {
            adoptAgentLocale(me.id);
            setSession({ kind: "in", me });
          }}
        />
      );
    case "in":
      return route === null || route.page === "login" ? null : (
        <SignedIn me={session.me} route={route} onEnded={ended} />
      );
  }
}
