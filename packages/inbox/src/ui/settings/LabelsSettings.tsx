/**
 * (§15) Labels (owners): each with its chip as agents will see it, renamed or recoloured in place,
 * deleted after a confirmation saying it comes off every conversation; and a form to add one. The
 * chip's text is black or white, whichever reads on the colour.
 */
import { useT } from "../../i18n/index.js";
import { MAX_LABEL_NAME_LENGTH, MAX_LABELS, type Label } from "@parley/protocol";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { rest } from "../../api/rest.js";
import { labelNameProblem } from "../../state/labels.js";
import { ConfirmDialog } from "../ConfirmDialog.js";
import { LabelChip } from "../LabelChips.js";
import { useInbox, useStore } from "../useInbox.js";
import { SaveOutcome, useSave } from "./useSave.js";

/** A first colour that reads well with either text. */
const DEFAULT_COLOR = "#2563eb";

export function LabelsSettings() {
  const labels = useInbox((state) => state.labels);
  const t = useT();
  return (
    <section aria-labelledby="labels-title">
      <h2 id="labels-title" class="section-title">
        {t.tabLabels}
      </h2>
      <p class="muted small">{t.labelsIntro}</p>
      {labels.length === 0 ? (
        <p class="muted">{t.noLabelsYet}</p>
      ) : (
        <ul class="team labels-list">
          {labels.map((label) => (
            <LabelRow key={label.id} label={label} />
          ))}
        </ul>
      )}
      {labels.length < MAX_LABELS ? <CreateLabel /> : <p class="muted">{t.atMostLabelsTotal(MAX_LABELS)}</p>}
    </section>
  );
}

function LabelFields(props: {
  name: string;
  color: string;
  onName: (name: string) => void;
  onColor: (color: string) => void;
}) {
  const t = useT();
  return (
    <div class="label-fields">
      <label>
        {t.name}
        <input
          name="label-name"
          required
          maxLength={MAX_LABEL_NAME_LENGTH}
          value={props.name}
          onInput={(event) => props.onName(event.currentTarget.value)}
        />
      </label>
      <label>
        {t.colour}
        <input
          type="color"
          name="label-color"
          value={props.color}
          onInput={(event) => props.onColor(event.currentTarget.value)}
        />
      </label>
      <span class="label-preview" aria-hidden="true">
        <LabelChip
          label={{ id: 0, name: props.name.trim() || t.labelFilter, color: props.color, created_at: "" }}
        />
      </span>
    </div>
  );
}

function LabelRow({ label }: { label: Label }) {
  const store = useStore();
  const labels = useInbox((state) => state.labels);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState(label.color);
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = useSave();
  const t = useT();

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const problem = labelNameProblem(name, labels, MAX_LABEL_NAME_LENGTH, label.id);
    if (problem !== null) {
      save.refuse(problem);
      return;
    }
    const changes = {
      ...(name.trim() !== label.name ? { name: name.trim() } : {}),
      ...(color !== label.color ? { color } : {}),
    };
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      return;
    }
    void save
      .run(async () => {
        const { label: saved } = await rest.updateLabel(label.id, changes);
        store.labelChanged(saved);
      })
      .then((ok) => {
        if (ok) setEditing(false);
      });
  };

  const remove = async (): Promise<void> => {
    setBusy(true);
    try {
      await rest.deleteLabel(label.id);
      setConfirming(false);
      store.labelDeleted(label.id);
    } catch (caught) {
      setDeleteError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="card label-row" data-label-id={label.id}>
      {editing ? (
        <form class="label-form" onSubmit={submit} aria-label={`Edit the label ${label.name}`}>
          <LabelFields name={name} color={color} onName={setName} onColor={setColor} />
          <SaveOutcome save={save} />
          <div class="row-buttons">
            <button type="submit" class="primary" disabled={save.busy}>
              {t.save}
            </button>
            <button
              type="button"
              class="ghost"
              onClick={() => {
                setEditing(false);
                setName(label.name);
                setColor(label.color);
              }}
            >
              {t.cancel}
            </button>
          </div>
        </form>
      ) : (
        <div class="label-line">
          <LabelChip label={label} />
          <span class="muted small">{label.color}</span>
          <span class="row-buttons">
            <button
              type="button"
              class="ghost"
              aria-label={t.editNamed(label.name)}
              onClick={() => {
                setName(label.name);
                setColor(label.color);
                setEditing(true);
              }}
            >
              {t.edit}
            </button>
            <button
              type="button"
              class="ghost danger-text"
              aria-label={t.deleteNamed(label.name)}
              onClick={() => setConfirming(true)}
            >
              {t.delete}
            </button>
          </span>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={t.deleteLabelTitle(label.name)}
          confirmLabel={busy ? t.deleting : t.delete}
          danger
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            setDeleteError(null);
          }}
        >
          <p>{t.deleteLabelBody}</p>
          {deleteError !== null && (
            <p class="error" role="alert">
              {deleteError}
            </p>
          )}
        </ConfirmDialog>
      )}
    </li>
  );
}

function CreateLabel() {
  const store = useStore();
  const labels = useInbox((state) => state.labels);
  const [name, setName] = useState("");
  const [color, setColor] = useState(DEFAULT_COLOR);
  const save = useSave();
  const t = useT();

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const problem = labelNameProblem(name, labels, MAX_LABEL_NAME_LENGTH);
    if (problem !== null) {
      save.refuse(problem);
      return;
    }
    const submitted = name;
    void save
      .run(async () => {
        const { label } = await rest.createLabel({ name: name.trim(), color });
        store.labelChanged(label);
      }, t.labelAdded)
      .then((ok) => {
        // The new chip shows (labels_updated) before this runs: a name typed since stays.
        if (ok) setName((current) => (current === submitted ? "" : current));
      });
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="create-label">
      <h2 id="create-label">{t.addALabel}</h2>
      <LabelFields name={name} color={color} onName={setName} onColor={setColor} />
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.addLabel}
      </button>
    </form>
  );
}
