/**
 * The tag that puts this site's widget on a page, with a Copy button. The server's origin is
 * this page's: the inbox is served by the server that serves widget.js.
 */
import { useT } from "../../i18n/index.js";
import type { Site } from "@parley/protocol";
import { useRef, useState } from "preact/hooks";
import { embedSnippet } from "../../state/sites.js";

export function EmbedSnippet({ site }: { site: Site }) {
  const snippet = embedSnippet(location.origin, site.key);
  const field = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const t = useT();

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied(t.snippetCopied);
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for Ctrl+C.
      field.current?.select();
      setCopied(t.selectedCopy);
    }
  };

  return (
    <div class="card form" role="group" aria-labelledby="embed-title">
      <h3 id="embed-title">{t.embedTitle}</h3>
      <label>
        {t.snippet}
        <textarea
          ref={field}
          class="snippet"
          readOnly
          rows={2}
          value={snippet}
          onFocus={(event) => event.currentTarget.select()}
        />
      </label>
      {copied !== null && (
        <p class="ok" role="status">
          {copied}
        </p>
      )}
      <button type="button" class="primary" onClick={() => void copy()}>
        {t.copySnippet}
      </button>
    </div>
  );
}
