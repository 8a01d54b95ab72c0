/**
 * A contact's or a lone conversation's privacy actions (owners, §17): *Download data* (a plain
 * link: the browser downloads the archive with the session cookie) and *Erase…*, a dialog that
 * says what goes and asks the owner to type the word of their language. The request always
 * says `"erase"`. After the erasure it shows the counts; closing it leaves what was erased
 * (the server also sends `conversation_deleted` for each conversation). Beside an open
 * conversation it leaves at once and the counts show in the notice bar.
 */
import type { EraseResponse } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { privacy, type PrivacySubject } from "../api/privacy.js";
import { useT } from "../i18n/index.js";
import { eraseConfirmed } from "../state/privacy.js";
import { navigate } from "./router.js";
import { useInbox, useStore } from "./useInbox.js";
import "./privacy.css";

export function PrivacyActions(props: {
  subject: PrivacySubject;
  /** Who it is about, as the inbox names them. */
  name: string;
  /** Where to go once erased. */
  leaveTo: string;
  /** Leave as soon as it is erased (the open conversation goes), the counts in the notice bar. */
  leaveAtOnce?: boolean;
  /** Called when an action starts (a menu closes). */
  onAction?: () => void;
  /** Where the dialog must live outside a menu that hides: the owner of the menu shows it. */
  onErase?: () => void;
}) {
  const me = useInbox((state) => state.me);
  const [erasing, setErasing] = useState(false);
  const t = useT();
  if (me.role !== "owner") return null;
  return (
    <>
      <a
        class="button ghost"
        href={privacy.exportUrl(props.subject)}
        download
        onClick={() => props.onAction?.()}
      >
        {t.downloadData}
      </a>
      <button
        type="button"
        class="ghost danger-text"
        onClick={() => {
          props.onAction?.();
          if (props.onErase) props.onErase();
          else setErasing(true);
        }}
      >
        {t.eraseAction}
      </button>
      {erasing && (
        <EraseDialog
          subject={props.subject}
          name={props.name}
          {...(props.leaveAtOnce ? { leaveAtOnce: props.leaveTo } : {})}
          onClose={(erased) => {
            setErasing(false);
            if (erased) navigate(props.leaveTo);
          }}
        />
      )}
    </>
  );
}

/** The actions under their own heading, for a contact's card or page; nothing for agents. */
export function PrivacySection(props: {
  subject: PrivacySubject;
  name: string;
  leaveTo: string;
  leaveAtOnce?: boolean;
  headingLevel: 2 | 3;
}) {
  const me = useInbox((state) => state.me);
  const t = useT();
  if (me.role !== "owner") return null;
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  const id = `privacy-${props.subject.kind}-${props.subject.id}`;
  return (
    <section class="privacy" aria-labelledby={id}>
      <Heading id={id} class="card-title">
        {t.privacyHeading}
      </Heading>
      <div class="privacy-actions">
        <PrivacyActions
          subject={props.subject}
          name={props.name}
          leaveTo={props.leaveTo}
          leaveAtOnce={props.leaveAtOnce ?? false}
        />
      </div>
    </section>
  );
}

/**
 * The confirmation, then the counts. Erasing the open conversation takes the page (and this
 * dialog) away when `conversation_deleted` arrives, before or after the answer: then the dialog
 * leaves at once (`leaveAtOnce`), closes the conversation in the store (so an event after the
 * answer no longer finds it open) and the counts go to the notice bar, last, so they stay.
 */
export function EraseDialog(props: {
  subject: PrivacySubject;
  name: string;
  leaveAtOnce?: string;
  onClose: (erased: boolean) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const store = useStore();
  const t = useT();
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<EraseResponse | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!eraseConfirmed(typed, t.eraseWord)) {
      setError(t.eraseMismatch(t.eraseWord));
      return;
    }
    setBusy(true);
    setError(null);
    privacy.erase(props.subject).then(
      (answer) => {
        if (props.leaveAtOnce !== undefined) {
          navigate(props.leaveAtOnce);
          // Closed now, not when the route's effect runs a frame later: a `conversation_deleted`
          // arriving in between found it still open and put its own notice over the counts.
          store.open(null);
          store.notify(t.erasedCounts(answer.conversations, answer.messages, answer.files, answer.contacts));
          props.onClose(true);
          return;
        }
        setDone(answer);
        setBusy(false);
      },
      (caught: unknown) => {
        setError(messageOf(caught));
        setBusy(false);
      },
    );
  };
  const close = (): void => props.onClose(done !== null);
  const contact = props.subject.kind === "contact";

  return (
    <dialog
      ref={ref}
      class="dialog erase-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) close();
      }}
      aria-labelledby="erase-title"
    >
      {done !== null ? (
        <>
          <h2 id="erase-title">{t.erasedTitle}</h2>
          <p role="status">{t.erasedCounts(done.conversations, done.messages, done.files, done.contacts)}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={close}>
              {t.close}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <h2 id="erase-title">{contact ? t.eraseContactTitle : t.eraseConversationTitle}</h2>
          <p>{contact ? t.eraseContactBody(props.name) : t.eraseConversationBody(props.name)}</p>
          <label>
            {t.eraseTypePrompt(t.eraseWord)}
            <input
              type="text"
              name="confirm"
              autoComplete="off"
              value={typed}
              onInput={(event) => setTyped(event.currentTarget.value)}
            />
          </label>
          {error !== null && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="button" class="ghost" onClick={close} disabled={busy}>
              {t.cancel}
            </button>
            <button type="submit" class="danger" disabled={busy}>
              {busy ? t.erasing : t.erase}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
