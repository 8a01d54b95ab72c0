/**
 * "Merge with…": pick another contact of the same site by search, confirm, and POST
 * /contacts/:id/merge. This contact stays; the other one's conversations and details move into it
 * and it is deleted. The server's refusal (two contacts verified as different users: 409) is
 * shown in the dialog, word for word.
 */
import { useT } from "../../i18n/index.js";
import type { Contact } from "@parley/protocol";
import { useEffect, useState } from "preact/hooks";
import { ApiError, messageOf } from "../../api/http.js";
import { rest } from "../../api/rest.js";
import { contactLabel } from "../../state/contactDraft.js";
import { ConfirmDialog } from "../ConfirmDialog.js";
import { useStore } from "../useInbox.js";

const SEARCH_DELAY_MS = 250;

export function MergeContacts(props: { contact: Contact; onMerged: (survivor: Contact) => void }) {
  const { contact } = props;
  const store = useStore();
  const [picking, setPicking] = useState(false);
  const [typed, setTyped] = useState("");
  const [found, setFound] = useState<Contact[]>([]);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Contact | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [merged, setMerged] = useState<string | null>(null);
  const t = useT();

  useEffect(() => {
    if (!picking) return;
    let current = true;
    const timer = setTimeout(() => {
      const q = typed.trim();
      rest.contacts({ site_id: contact.site_id, ...(q === "" ? {} : { q }) }).then(
        (page) => {
          if (!current) return;
          setFound(page.contacts.filter((other) => other.id !== contact.id));
          setSearchError(null);
        },
        (caught: unknown) => {
          if (current) setSearchError(messageOf(caught));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [picking, typed, contact.id, contact.site_id]);

  const merge = async (other: Contact): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const survivor = await store.mergeContacts(contact.id, other.id);
      setChosen(null);
      setPicking(false);
      setTyped("");
      setMerged(t.mergedInto(contactLabel(other), contactLabel(survivor)));
      props.onMerged(survivor);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 409
          ? t.cannotMerge(caught.message)
          : messageOf(caught),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="merge" aria-labelledby="merge-title">
      <h2 id="merge-title" class="card-title">
        {t.merge}
      </h2>
      {merged !== null && (
        <p class="ok" role="status">
          {merged}
        </p>
      )}
      {!picking ? (
        <button
          type="button"
          class="ghost"
          onClick={() => {
            setMerged(null);
            setPicking(true);
          }}
        >
          {t.mergeWith}
        </button>
      ) : (
        <div class="merge-picker">
          <label>
            {t.findOtherContact}
            <input
              type="search"
              placeholder={t.nameOrEmail}
              value={typed}
              onInput={(event) => setTyped(event.currentTarget.value)}
            />
          </label>
          {searchError !== null && (
            <p class="error small" role="alert">
              {searchError}
            </p>
          )}
          <ul class="plain merge-results" aria-label={t.contactsToMerge}>
            {found.map((other) => (
              <li key={other.id}>
                <button
                  type="button"
                  onClick={() => {
                    setError(null);
                    setChosen(other);
                  }}
                >
                  {contactLabel(other)}
                  {other.email !== null && other.email !== contactLabel(other) && (
                    <span class="muted"> · {other.email}</span>
                  )}
                  {other.verified && <span class="tag verified">{t.verified}</span>}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" class="ghost small-button" onClick={() => setPicking(false)}>
            {t.cancel}
          </button>
        </div>
      )}
      {chosen !== null && (
        <ConfirmDialog
          title={t.mergeTitle(contactLabel(chosen), contactLabel(contact))}
          confirmLabel={t.mergeContacts}
          danger
          busy={busy}
          onConfirm={() => void merge(chosen)}
          onCancel={() => setChosen(null)}
        >
          <p>{t.mergeBody(contactLabel(chosen), contactLabel(contact))}</p>
          {error !== null && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
