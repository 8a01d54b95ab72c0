/**
 * Send transcript (§16): the whole conversation by email, to the visitor's address or another
 * one typed here. A visitor without an email (422) is asked for an address, with the field
 * focused; email off (409) and a bad address (400) say so in words.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/http.js";
import { email } from "../api/email.js";
import { useT } from "../i18n/index.js";
import { emailRefusal } from "../state/email.js";
import { SaveOutcome, useSave } from "./settings/useSave.js";

export function TranscriptDialog(props: { conversationId: number; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [address, setAddress] = useState("");
  const [sent, setSent] = useState(false);
  const save = useSave();
  const t = useT();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const to = address.trim();
    void save
      .run(
        async () => {
          try {
            await email.transcript(props.conversationId, to === "" ? {} : { email: to });
          } catch (caught) {
            const refusal = caught instanceof ApiError ? emailRefusal(caught.status) : null;
            if (refusal === "noAddress") {
              field.current?.focus();
              throw new Error(t.transcriptNoAddress, { cause: caught });
            }
            if (refusal === "off") throw new Error(t.emailIsOff, { cause: caught });
            if (refusal === "badAddress") throw new Error(t.emailBadAddress, { cause: caught });
            throw caught;
          }
        },
        to === "" ? t.transcriptSentToContact : t.transcriptSentTo(to),
      )
      .then(setSent);
  };

  return (
    <dialog ref={ref} class="dialog" onCancel={props.onClose} aria-labelledby="transcript-title">
      <form onSubmit={submit} noValidate>
        <h2 id="transcript-title">{t.transcriptTitle}</h2>
        <p class="muted small">{t.transcriptIntro}</p>
        <label>
          {t.emailAddress}
          <input
            ref={field}
            type="email"
            name="transcript_email"
            autoComplete="email"
            value={address}
            aria-describedby="transcript-hint"
            onInput={(event) => setAddress(event.currentTarget.value)}
          />
        </label>
        <p class="muted small" id="transcript-hint">
          {t.transcriptAddressHint}
        </p>
        <SaveOutcome save={save} />
        <div class="actions">
          <button type="button" class="ghost" onClick={props.onClose}>
            {sent ? t.close : t.cancel}
          </button>
          <button type="submit" class="primary" disabled={save.busy}>
            {save.busy ? t.sending : t.send}
          </button>
        </div>
      </form>
    </dialog>
  );
}
