/**
 * Canned replies (§15): every agent keeps personal ones; owners also keep shared ones, for every
 * site or one. The list shows the replies usable on the chosen site (a choice when there are
 * several); each can be changed or deleted by whoever may. `{{visitor.name}}`, `{{agent.name}}`
 * and `{{site.name}}` are filled in when a reply is picked in the composer.
 */
import { messages, useT } from "../i18n/index.js";
import {
  CANNED_SHORTCUT_PATTERN,
  MAX_CANNED_CONTENT_LENGTH,
  MAX_CANNED_SHORTCUT_LENGTH,
  type CannedReply,
  type Site,
} from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { cannedApi } from "../api/canned.js";
import { messageOf } from "../api/http.js";
import { canEdit, filterCanned } from "../state/canned.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { useInbox } from "./useInbox.js";
import "./workflow.css";

type Scope = CannedReply["scope"];

interface Draft {
  shortcut: string;
  content: string;
  scope: Scope;
  /** Shared ones: "" for every site. */
  siteId: string;
}

const EMPTY: Draft = { shortcut: "", content: "", scope: "personal", siteId: "" };

export function CannedRepliesPage() {
  const me = useInbox((state) => state.me);
  const sites = useInbox((state) => state.sites);
  const sitesLoaded = useInbox((state) => state.sitesLoaded);
  const t = useT();
  const live = sites.filter((site) => site.archived_at === null);
  const [siteId, setSiteId] = useState<number | null>(null);
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shownSite = siteId ?? live[0]?.id ?? null;

  const load = async (): Promise<void> => {
    if (shownSite === null) return;
    try {
      const { canned_replies } = await cannedApi.list(shownSite);
      setReplies(filterCanned(canned_replies, ""));
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  useEffect(() => {
    void load();
  }, [shownSite]);

  return (
    <main class="page canned-page">
      <h1>{t.cannedReplies}</h1>
      <p class="muted">
        {t.cannedTypeSlash} <code>{"{{visitor.name}}"}</code>, <code>{"{{agent.name}}"}</code> {t.and}{" "}
        <code>{"{{site.name}}"}</code> {t.cannedFilledIn}
      </p>
      <CannedForm
        sites={live}
        owner={me.role === "owner"}
        initial={{ ...EMPTY, siteId: "" }}
        title={t.newCanned}
        submitLabel={t.addCanned}
        onSave={async (draft) => {
          await cannedApi.create({
            scope: draft.scope,
            shortcut: draft.shortcut.trim(),
            content: draft.content,
            ...(draft.scope === "shared"
              ? { site_id: draft.siteId === "" ? null : Number(draft.siteId) }
              : {}),
          });
          await load();
        }}
      />
      <section class="card form" aria-labelledby="canned-list-title">
        <h2 id="canned-list-title">{t.cannedYouCanUse}</h2>
        {live.length > 1 && (
          <label>
            {t.usableOn}
            <select
              value={shownSite === null ? "" : String(shownSite)}
              onChange={(event) => setSiteId(Number(event.currentTarget.value))}
            >
              {live.map((site) => (
                <option key={site.id} value={String(site.id)}>
                  {site.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {replies === null ? (
          <p class="muted">{sitesLoaded ? t.loading : t.loadingSites}</p>
        ) : replies.length === 0 ? (
          <p class="muted">{t.noneYet}</p>
        ) : (
          <ul class="canned-list">
            {replies.map((reply) => (
              <CannedRow
                key={reply.id}
                reply={reply}
                sites={live}
                editable={canEdit(reply, me)}
                owner={me.role === "owner"}
                onChanged={load}
              />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function siteName(sites: readonly Site[], id: number | null): string {
  if (id === null) return messages().everySiteLower;
  return sites.find((site) => site.id === id)?.name ?? messages().siteNumber(id);
}

function CannedRow(props: {
  reply: CannedReply;
  sites: readonly Site[];
  editable: boolean;
  owner: boolean;
  onChanged: () => Promise<void>;
}) {
  const { reply } = props;
  const [editing, setEditing] = useState(false);
  const t = useT();
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <li class="canned-item" data-shortcut={reply.shortcut}>
      <div class="canned-head">
        <strong>/{reply.shortcut}</strong>
        <span class="tag">
          {reply.scope === "personal" ? t.personal : t.sharedOn(siteName(props.sites, reply.site_id))}
        </span>
      </div>
      {editing ? (
        <CannedForm
          sites={props.sites}
          owner={props.owner}
          fixedScope
          initial={{
            shortcut: reply.shortcut,
            content: reply.content,
            scope: reply.scope,
            siteId: reply.site_id === null ? "" : String(reply.site_id),
          }}
          title={t.editShortcut(reply.shortcut)}
          submitLabel={t.save}
          onCancel={() => setEditing(false)}
          onSave={async (draft) => {
            await cannedApi.update(reply.id, {
              shortcut: draft.shortcut.trim(),
              content: draft.content,
              ...(reply.scope === "shared"
                ? { site_id: draft.siteId === "" ? null : Number(draft.siteId) }
                : {}),
            });
            setEditing(false);
            await props.onChanged();
          }}
        />
      ) : (
        <p class="canned-content">{reply.content}</p>
      )}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {props.editable && !editing && (
        <div class="actions">
          <button type="button" class="ghost" onClick={() => setEditing(true)}>
            {t.edit}
            <span class="sr"> /{reply.shortcut}</span>
          </button>
          <button type="button" class="ghost danger-text" onClick={() => setRemoving(true)}>
            {t.delete}
            <span class="sr"> /{reply.shortcut}</span>
          </button>
        </div>
      )}
      {removing && (
        <ConfirmDialog
          title={t.deleteShortcut(reply.shortcut)}
          confirmLabel={t.delete}
          danger
          busy={busy}
          onCancel={() => setRemoving(false)}
          onConfirm={() => {
            setBusy(true);
            cannedApi
              .remove(reply.id)
              .then(props.onChanged, (caught: unknown) => setError(messageOf(caught)))
              .finally(() => {
                setBusy(false);
                setRemoving(false);
              });
          }}
        >
          <p>{t.cannedDeleteBody}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}

function CannedForm(props: {
  sites: readonly Site[];
  owner: boolean;
  initial: Draft;
  title: string;
  submitLabel: string;
  fixedScope?: boolean;
  onSave: (draft: Draft) => Promise<void>;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(props.initial);
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idBase = props.fixedScope ? `edit-${props.initial.shortcut}` : "new-canned";

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const shortcut = draft.shortcut.trim();
    if (!CANNED_SHORTCUT_PATTERN.test(shortcut)) {
      setError(t.shortcutRule);
      return;
    }
    if (draft.content.trim() === "") {
      setError(t.writeReplyText);
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await props.onSave(draft);
      if (!props.fixedScope) {
        setDraft({ ...EMPTY, scope: draft.scope, siteId: draft.siteId });
        setDone(t.addedShortcut(shortcut));
      }
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class={props.fixedScope ? "canned-edit" : "card form"}>
      <form class="form-fields" onSubmit={(event) => void submit(event)} aria-labelledby={`${idBase}-title`}>
        <h2 id={`${idBase}-title`} class={props.fixedScope ? "sr" : undefined}>
          {props.title}
        </h2>
        <label>
          {t.shortcut}
          <input
            name="shortcut"
            required
            maxLength={MAX_CANNED_SHORTCUT_LENGTH}
            autoCapitalize="none"
            spellcheck={false}
            value={draft.shortcut}
            onInput={(e) => setDraft({ ...draft, shortcut: e.currentTarget.value })}
          />
        </label>
        <label>
          {t.text}
          <textarea
            name="content"
            required
            rows={4}
            maxLength={MAX_CANNED_CONTENT_LENGTH}
            value={draft.content}
            onInput={(e) => setDraft({ ...draft, content: e.currentTarget.value })}
          />
        </label>
        {props.owner && !props.fixedScope && (
          <fieldset class="canned-scope">
            <legend>{t.whoCanUse}</legend>
            <label class="inline">
              <input
                type="radio"
                name={`${idBase}-scope`}
                checked={draft.scope === "personal"}
                onChange={() => setDraft({ ...draft, scope: "personal" })}
              />
              {t.onlyMe}
            </label>
            <label class="inline">
              <input
                type="radio"
                name={`${idBase}-scope`}
                checked={draft.scope === "shared"}
                onChange={() => setDraft({ ...draft, scope: "shared" })}
              />
              {t.theTeamShared}
            </label>
          </fieldset>
        )}
        {props.owner && draft.scope === "shared" && (
          <label>
            {t.siteFilter}
            <select
              value={draft.siteId}
              onChange={(e) => setDraft({ ...draft, siteId: e.currentTarget.value })}
            >
              <option value="">{t.everySite}</option>
              {props.sites.map((site) => (
                <option key={site.id} value={String(site.id)}>
                  {site.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {done !== null && (
          <p class="ok" role="status">
            {done}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {props.submitLabel}
          </button>
          {props.onCancel && (
            <button type="button" class="ghost" onClick={props.onCancel}>
              {t.cancel}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
