/**
 * The Reports page's place in the main bundle: only this loader and the page's styles. The page
 * itself, with its charts (uPlot is most of its weight), is a chunk fetched the first time an
 * agent opens Reports, so the inbox everyone loads does not carry it.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useT } from "../../i18n/index.js";
import "./reports.css";

type PageModule = { ReportsPage: ComponentType };
let loading: Promise<PageModule> | null = null;

export function ReportsRoute() {
  const t = useT();
  const [Page, setPage] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    loading ??= import("./ReportsPage.js");
    loading.then(
      (module) => {
        if (current) setPage(() => module.ReportsPage);
      },
      () => {
        loading = null;
        if (current) setFailed(true);
      },
    );
    return () => {
      current = false;
    };
  }, []);

  if (Page !== null) return <Page />;
  return (
    <main class="page reports">
      <h1>{t.reportsHeading}</h1>
      {failed ? (
        <>
          <p class="error" role="alert">
            {t.reportsPageFailed}
          </p>
          {/* A deploy since this page loaded renames the chunk (its name is its hash), and a
              browser keeps a failed import's answer: loading the page again fetches both anew. */}
          <button type="button" class="primary" onClick={() => location.reload()}>
            {t.tryAgain}
          </button>
        </>
      ) : (
        <p class="muted" role="status">
          {t.loading}
        </p>
      )}
    </main>
  );
}
