/**
 * A contact (§12): name, email, the site's user id marked verified or only claimed, typed
 * attributes, first and last seen, whether they unsubscribed from emails (§16); and, on Edit, a form for name, email and attributes saved with
 * PATCH /contacts/:id. The server's refusal (a bad email, an attribute it will not take) is shown
 * in the form, which keeps what was typed. Used beside a conversation and on the Contacts page.
 */
import { useT } from "../../i18n/index.js";
import type { Contact } from "@parley/protocol";
import { MAX_CONTACT_NAME_LENGTH, MAX_EMAIL_LENGTH } from "@parley/protocol";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import {
  attributeChanges,
  attributeRows,
  formatAttribute,
  textChange,
  type AttributeKind,
  type AttributeRow,
} from "../../state/contactDraft.js";
import { fullTime, sinceText } from "../../state/relativeTime.js";
import { routePath } from "../../state/routes.js";
import { onLinkClick } from "../router.js";
import { SaveOutcome, useSave } from "../settings/useSave.js";
import { useNow, useStore } from "../useInbox.js";

export function ContactCard(props: {
  contact: Contact;
  headingLevel?: 2 | 3;
  /** Beside a conversation: a link to the contact's own page (their conversations, merging). */
  linked?: boolean;
  onSaved?: (contact: Contact) => void;
}) {
  const { contact } = props;
  const [editing, setEditing] = useState(false);
  const now = useNow(30_000);
  const t = useT();
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  const attributes = Object.entries(contact.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="contact-card" aria-labelledby={`contact-${contact.id}-title`}>
      <div class="contact-head">
        <Heading id={`contact-${contact.id}-title`}>{t.contact}</Heading>
        {!editing && (
          <span class="contact-tools">
            {props.linked && (
              <a
                class="small"
                href={routePath({ page: "contacts", contactId: contact.id })}
                onClick={onLinkClick}
              >
                {t.contactPage}
              </a>
            )}
            <button type="button" class="ghost small-button" onClick={() => setEditing(true)}>
              {t.edit}
            </button>
          </span>
        )}
      </div>
      {editing ? (
        <ContactForm
          contact={contact}
          onDone={(saved) => {
            setEditing(false);
            if (saved) props.onSaved?.(saved);
          }}
        />
      ) : (
        <dl>
          <dt>{t.name}</dt>
          <dd>{contact.name ?? <span class="muted">{t.notGiven}</span>}</dd>
          <dt>{t.email}</dt>
          <dd>
            {contact.email ?? <span class="muted">{t.notGiven}</span>}
            {contact.email_unsubscribed_at != null && (
              <span
                class="tag unsubscribed"
                title={t.unsubscribedTitle(fullTime(contact.email_unsubscribed_at))}
              >
                {t.unsubscribed}
              </span>
            )}
          </dd>
          {contact.external_id !== null && (
            <>
              <dt>{t.userId}</dt>
              <dd class="external-id">
                <span>{contact.external_id}</span>
                {contact.verified ? (
                  <span class="tag verified" title={t.verifiedTitle}>
                    {t.verified}
                  </span>
                ) : (
                  <span class="tag unverified" title={t.unverifiedTitle}>
                    {t.unverifiedClaim}
                  </span>
                )}
              </dd>
            </>
          )}
          {attributes.map(([key, value]) => (
            <div class="attribute" key={key}>
              <dt>{key}</dt>
              <dd>{formatAttribute(value)}</dd>
            </div>
          ))}
          <dt>{t.firstSeen}</dt>
          <dd>{fullTime(contact.first_seen_at)}</dd>
          <dt>{t.lastSeenTerm}</dt>
          <dd>
            <time dateTime={contact.last_seen_at} title={fullTime(contact.last_seen_at)}>
              {sinceText(contact.last_seen_at, now)}
            </time>
          </dd>
        </dl>
      )}
    </section>
  );
}

const KIND_LABELS = {
  text: "kindText",
  number: "kindNumber",
  boolean: "kindBoolean",
  date: "kindDate",
} as const satisfies Record<AttributeKind, string>;

function ContactForm(props: { contact: Contact; onDone: (saved: Contact | null) => void }) {
  const { contact } = props;
  const store = useStore();
  const [name, setName] = useState(contact.name ?? "");
  const [email, setEmail] = useState(contact.email ?? "");
  const [rows, setRows] = useState<AttributeRow[]>(() => attributeRows(contact.attributes));
  const save = useSave();
  const t = useT();
  const formId = `contact-${contact.id}-form`;

  const setRow = (index: number, patch: Partial<AttributeRow>): void =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const attributes = attributeChanges(contact.attributes, rows);
    if ("error" in attributes) {
      save.refuse(attributes.error);
      return;
    }
    const patch = {
      ...(textChange(contact.name, name) === undefined ? {} : { name: textChange(contact.name, name) }),
      ...(textChange(contact.email, email) === undefined ? {} : { email: textChange(contact.email, email) }),
      ...(Object.keys(attributes.changes).length === 0 ? {} : { attributes: attributes.changes }),
    };
    if (Object.keys(patch).length === 0) {
      props.onDone(null);
      return;
    }
    const result: { saved?: Contact } = {};
    void save
      .run(async () => {
        result.saved = await store.updateContact(contact.id, patch);
      })
      .then((ok) => {
        if (ok) props.onDone(result.saved ?? null);
      });
  };

  return (
    <form class="contact-form" id={formId} onSubmit={submit} aria-label={t.editContact}>
      <label>
        {t.name}
        <input
          name="name"
          maxLength={MAX_CONTACT_NAME_LENGTH}
          value={name}
          autoComplete="off"
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <label>
        {t.email}
        <input
          name="email"
          type="email"
          maxLength={MAX_EMAIL_LENGTH}
          value={email}
          autoComplete="off"
          spellcheck={false}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
      </label>
      <fieldset class="attribute-rows">
        <legend>{t.attributes}</legend>
        {rows.length === 0 && <p class="muted small">{t.noneYet}</p>}
        {rows.map((row, index) => (
          <div class="attribute-row" key={index} role="group" aria-label={t.attributeN(index + 1)}>
            <input
              aria-label={t.attributeName(index + 1)}
              placeholder={t.attributeNamePlaceholder}
              value={row.key}
              spellcheck={false}
              autoCapitalize="off"
              onInput={(event) => setRow(index, { key: event.currentTarget.value })}
            />
            <select
              aria-label={t.attributeType(index + 1)}
              value={row.kind}
              onChange={(event) => {
                const kind = event.currentTarget.value as AttributeKind;
                setRow(index, {
                  kind,
                  value: kind === "boolean" ? "true" : kind === row.kind ? row.value : "",
                });
              }}
            >
              {(Object.keys(KIND_LABELS) as AttributeKind[]).map((kind) => (
                <option key={kind} value={kind}>
                  {t[KIND_LABELS[kind]]}
                </option>
              ))}
            </select>
            <AttributeValue row={row} index={index} onChange={(value) => setRow(index, { value })} />
            <button
              type="button"
              class="ghost small-button"
              aria-label={t.removeAttribute(row.key || String(index + 1))}
              onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          class="ghost small-button add-attribute"
          onClick={() => setRows((current) => [...current, { key: "", kind: "text", value: "" }])}
        >
          {t.addAttribute}
        </button>
      </fieldset>
      <SaveOutcome save={save} />
      <div class="actions">
        <button type="button" class="ghost" onClick={() => props.onDone(null)}>
          {t.cancel}
        </button>
        <button type="submit" class="primary" disabled={save.busy}>
          {t.saveContact}
        </button>
      </div>
    </form>
  );
}

function AttributeValue(props: { row: AttributeRow; index: number; onChange: (value: string) => void }) {
  const t = useT();
  const label = t.attributeValue(props.index + 1);
  const { row } = props;
  if (row.kind === "boolean")
    return (
      <select
        aria-label={label}
        value={row.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        <option value="true">{t.yes}</option>
        <option value="false">{t.no}</option>
      </select>
    );
  return (
    <input
      aria-label={label}
      type={row.kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(row.value || "0000-00-00") ? "date" : "text"}
      inputMode={row.kind === "number" ? "decimal" : undefined}
      value={row.value}
      onInput={(event) => props.onChange(event.currentTarget.value)}
    />
  );
}
