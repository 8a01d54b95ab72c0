/**
 * Contacts (§12): everyone the sites' agents talk to, searched by name or email (the server's
 * `q`), narrowed to a site, fetched a page at a time with the server's cursor; and one contact
 * with their conversations and "Merge with…".
 */
import { useT } from "../../i18n/index.js";
import type { Contact, ContactDetailResponse, Site } from "@parley/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { rest } from "../../api/rest.js";
import { contactLabel } from "../../state/contactDraft.js";
import { relativeTime } from "../../state/relativeTime.js";
import { routePath } from "../../state/routes.js";
import { severalSites } from "../../state/sites.js";
import { onLinkClick } from "../router.js";
import { useInbox, useNow } from "../useInbox.js";
import { ContactCard } from "./ContactCard.js";
import { MergeContacts } from "./MergeContacts.js";
import { PrivacySection } from "../PrivacyActions.js";
import { ConversationLink } from "./VisitorContextView.js";
import "./contacts.css";

/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 250;

export function ContactsPage({ contactId }: { contactId: number | null }) {
  return (
    <main class="page contacts">
      {contactId === null ? <ContactsList /> : <ContactDetail key={contactId} contactId={contactId} />}
    </main>
  );
}

interface ListState {
  contacts: Contact[];
  next: number | null;
  loading: boolean;
  error: string | null;
}

function ContactsList() {
  const sites = useInbox((state) => state.sites);
  const now = useNow(60_000);
  const t = useT();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [siteId, setSiteId] = useState<number | undefined>(undefined);
  const [list, setList] = useState<ListState>({ contacts: [], next: null, loading: true, error: null });

  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  // Each load is numbered: an answer for an older search (or its page) is dropped.
  const generation = useRef(0);
  const load = (before: number | undefined, current: Contact[]): void => {
    const asked = ++generation.current;
    const isCurrent = (): boolean => generation.current === asked;
    setList({ contacts: current, next: null, loading: true, error: null });
    rest
      .contacts({ ...(siteId === undefined ? {} : { site_id: siteId }), ...(q === "" ? {} : { q }), before })
      .then(
        (page) => {
          if (isCurrent())
            setList({
              contacts: [...current, ...page.contacts],
              next: page.next_cursor,
              loading: false,
              error: null,
            });
        },
        (error: unknown) => {
          if (isCurrent())
            setList({ contacts: current, next: before ?? null, loading: false, error: messageOf(error) });
        },
      );
  };

  // load reads q and siteId, the only things that start a new list.
  useEffect(() => load(undefined, []), [q, siteId]);
  useEffect(
    () => () => {
      generation.current += 1;
    },
    [],
  );

  return (
    <>
      <h1>{t.navContacts}</h1>
      <form class="contacts-search" role="search" onSubmit={(event) => event.preventDefault()}>
        <label class="sr" for="contacts-q">
          {t.searchContacts}
        </label>
        <input
          id="contacts-q"
          type="search"
          placeholder={t.searchContactsPlaceholder}
          value={typed}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
        {severalSites(sites) && (
          <select
            aria-label={t.siteFilter}
            value={siteId === undefined ? "" : String(siteId)}
            onChange={(event) =>
              setSiteId(event.currentTarget.value === "" ? undefined : Number(event.currentTarget.value))
            }
          >
            <option value="">{t.allSites}</option>
            {sites.map((site) => (
              <option key={site.id} value={String(site.id)}>
                {site.name}
              </option>
            ))}
          </select>
        )}
      </form>
      {list.error !== null && (
        <p class="error" role="alert">
          {list.error}
        </p>
      )}
      {list.contacts.length === 0 && !list.loading && list.error === null && (
        <p class="muted">{q === "" ? t.noContactsYet : t.noContactMatch}</p>
      )}
      <ul class="contact-rows" aria-label={t.navContacts}>
        {list.contacts.map((contact) => (
          <li key={contact.id}>
            <ContactRow contact={contact} now={now} siteName={siteName(sites, contact.site_id)} />
          </li>
        ))}
      </ul>
      {list.loading ? (
        <p class="muted" role="status">
          {t.loading}
        </p>
      ) : (
        list.next !== null && (
          <button type="button" class="ghost" onClick={() => load(list.next ?? undefined, list.contacts)}>
            {t.loadMore}
          </button>
        )
      )}
    </>
  );
}

function siteName(sites: readonly Site[], id: number): string | null {
  return severalSites(sites) ? (sites.find((site) => site.id === id)?.name ?? null) : null;
}

export function ContactRow(props: { contact: Contact; now: number; siteName: string | null }) {
  const { contact } = props;
  const t = useT();
  return (
    <a
      class="card contact-row"
      href={routePath({ page: "contacts", contactId: contact.id })}
      onClick={onLinkClick}
    >
      <span>
        <span class="contact-row-name">{contactLabel(contact)}</span>
        {contact.verified && <span class="tag verified">{t.verified}</span>}
        <span class="muted small contact-row-more">
          {[contact.email !== contactLabel(contact) ? contact.email : null, props.siteName]
            .filter(Boolean)
            .join(" · ")}
        </span>
      </span>
      <span class="muted small">{relativeTime(contact.last_seen_at, props.now)}</span>
    </a>
  );
}

function ContactDetail({ contactId }: { contactId: number }) {
  const now = useNow(60_000);
  const t = useT();
  const [detail, setDetail] = useState<ContactDetailResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    rest.contact(contactId).then(
      (answer) => {
        if (current) {
          setDetail(answer);
          setError(null);
        }
      },
      (caught: unknown) => {
        if (current) setError(messageOf(caught));
      },
    );
    return () => {
      current = false;
    };
  }, [contactId, version]);

  const back = (
    <a class="back-link" href={routePath({ page: "contacts", contactId: null })} onClick={onLinkClick}>
      ← All contacts
    </a>
  );
  if (detail === null)
    return (
      <>
        {back}
        {error !== null ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p class="muted">{t.loading}</p>
        )}
      </>
    );
  const { contact, conversations } = detail;
  return (
    <>
      {back}
      <h1>{contactLabel(contact)}</h1>
      <div class="contact-detail">
        <div class="card">
          <ContactCard
            contact={contact}
            headingLevel={2}
            onSaved={(saved) => setDetail({ ...detail, contact: saved })}
          />
        </div>
        <div class="card">
          <section aria-labelledby="contact-conversations">
            <h2 id="contact-conversations" class="card-title">
              {t.conversationsTitle} <span class="muted">({conversations.length})</span>
            </h2>
            {conversations.length === 0 ? (
              <p class="muted small">{t.none}</p>
            ) : (
              <ul class="plain contact-conversations">
                {conversations.map((conversation) => (
                  <li key={conversation.id}>
                    <ConversationLink conversation={conversation} now={now} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <MergeContacts contact={contact} onMerged={() => setVersion(version + 1)} />
          <PrivacySection
            subject={{ kind: "contact", id: contact.id }}
            name={contactLabel(contact)}
            leaveTo={routePath({ page: "contacts", contactId: null })}
            headingLevel={2}
          />
        </div>
      </div>
    </>
  );
}
