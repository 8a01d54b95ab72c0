/**
 * How the site's widget looks and what it says, with a preview beside the form that follows
 * every keystroke. Fields the environment fixes are shown, read-only, with the variable's name.
 */
import { useT } from "../../i18n/index.js";
import type { PrechatField, PrechatSettings, Site, SiteWidgetSettings } from "@parley/protocol";
import { cloneElement, isValidElement, type ComponentChildren, type JSX, type VNode } from "preact";
import { useState } from "preact/hooks";
import { parseHexColor } from "../../state/brandColor.js";
import {
  draftWidget,
  PRECHAT_CHOICES,
  WIDGET_ENV,
  widgetChanges,
  widgetDraft,
  type WidgetDraft,
  type WidgetTextKey,
} from "../../state/siteDraft.js";
import { useSiteUpdate } from "./useSiteUpdate.js";
import { SaveOutcome, useSave } from "./useSave.js";
import { WidgetPreview } from "./WidgetPreview.js";

/** Languages the widget speaks (its own texts), offered as suggestions; any BCP 47 tag is accepted. */
const LOCALE_SUGGESTIONS = ["en", "fr", "ja"];

export function WidgetForm({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const [draft, setDraft] = useState<WidgetDraft>(() => widgetDraft(site.widget));
  const save = useSave();
  const t = useT();
  const fixed = (key: keyof SiteWidgetSettings): string | null =>
    site.fixed_by_environment.includes(key) ? (WIDGET_ENV[key] ?? "the environment") : null;
  const set =
    (key: WidgetTextKey) =>
    (event: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>): void =>
      setDraft((current) => ({ ...current, [key]: event.currentTarget.value }));

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (parseHexColor(draft.color) === null && fixed("color") === null) {
      save.refuse(t.colourFormat);
      return;
    }
    const changes = widgetChanges(site, draft);
    if (Object.keys(changes).length === 0) {
      save.refuse(t.nothingChanged);
      return;
    }
    void save.run(() => update({ widget: changes }));
  };

  const swatch = parseHexColor(draft.color) ?? "#000000";
  return (
    <form class="card form widget-form" onSubmit={submit} aria-labelledby="widget-title">
      <h3 id="widget-title">{t.widget}</h3>
      <div class="widget-layout">
        <div class="widget-fields">
          <Field label={t.wTitle} env={fixed("title")} hintId="w-title-hint">
            <input
              name="title"
              required
              maxLength={80}
              readOnly={fixed("title") !== null}
              value={draft.title}
              onInput={set("title")}
            />
          </Field>
          <Field label={t.wGreeting} env={fixed("greeting")} hintId="w-greeting-hint">
            <textarea
              name="greeting"
              required
              maxLength={500}
              rows={2}
              readOnly={fixed("greeting") !== null}
              value={draft.greeting}
              onInput={set("greeting")}
            />
          </Field>
          <div class="field-row">
            <Field label={t.colour} env={fixed("color")} hintId="w-color-hint">
              <input
                name="color"
                required
                pattern="#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})"
                readOnly={fixed("color") !== null}
                value={draft.color}
                onInput={set("color")}
              />
            </Field>
            <label class="swatch">
              <span class="sr">{t.pickColour}</span>
              <input
                type="color"
                name="color-picker"
                disabled={fixed("color") !== null}
                value={swatch}
                onInput={set("color")}
              />
            </label>
          </div>
          <Field label={t.wPosition} env={fixed("position")} hintId="w-position-hint">
            <select
              name="position"
              disabled={fixed("position") !== null}
              value={draft.position}
              onChange={set("position")}
            >
              <option value="right">{t.bottomRight}</option>
              <option value="left">{t.bottomLeft}</option>
            </select>
          </Field>
          <Field label={t.launcherLabel} hint={t.launcherHint} hintId="w-label-hint">
            <input
              name="launcher_label"
              maxLength={40}
              value={draft.launcher_label}
              onInput={set("launcher_label")}
            />
          </Field>
          <Field label={t.defaultLanguage} hint={t.defaultLanguageHint} hintId="w-locale-hint">
            <input name="locale" list="widget-locales" value={draft.locale} onInput={set("locale")} />
          </Field>
          <datalist id="widget-locales">
            {LOCALE_SUGGESTIONS.map((locale) => (
              <option key={locale} value={locale} />
            ))}
          </datalist>
          <Field label={t.awayMessage} hint={t.awayMessageHint} hintId="w-away-hint">
            <textarea
              name="away_message"
              required
              maxLength={500}
              rows={2}
              value={draft.away_message}
              onInput={set("away_message")}
            />
          </Field>
          <PrechatFields
            prechat={draft.prechat}
            onChange={(prechat) => setDraft((current) => ({ ...current, prechat }))}
          />
          <Field label={t.privacyUrl} hint={t.privacyUrlHint} hintId="w-privacy-hint">
            <input
              type="url"
              name="privacy_url"
              inputMode="url"
              placeholder="https://"
              pattern="https://.+"
              maxLength={2000}
              value={draft.privacy_url}
              onInput={set("privacy_url")}
            />
          </Field>
          <label class="switch">
            <input
              type="checkbox"
              name="ask_rating"
              checked={draft.ask_rating}
              aria-describedby="w-rating-hint"
              onChange={(event) => {
                const ask = event.currentTarget.checked;
                setDraft((current) => ({ ...current, ask_rating: ask }));
              }}
            />
            {t.askRating}
          </label>
          <p class="muted small" id="w-rating-hint">
            {t.askRatingHint}
          </p>
        </div>
        <WidgetPreview widget={draftWidget(draft)} />
      </div>
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveWidget}
      </button>
    </form>
  );
}

const PRECHAT_LABELS = {
  off: "prechatOff",
  optional: "prechatOptional",
  required: "prechatRequired",
} as const satisfies Record<PrechatField, string>;

/** The pre-chat form (§12): what the widget asks before the first message; verified contacts skip it. */
function PrechatFields(props: { prechat: PrechatSettings; onChange: (prechat: PrechatSettings) => void }) {
  const choose =
    (field: keyof PrechatSettings) =>
    (event: JSX.TargetedEvent<HTMLSelectElement>): void =>
      props.onChange({ ...props.prechat, [field]: event.currentTarget.value as PrechatField });
  const t = useT();
  return (
    <fieldset class="prechat-fields" aria-describedby="w-prechat-hint">
      <legend>{t.prechatForm}</legend>
      <p class="muted small" id="w-prechat-hint">
        {t.prechatIntro}
      </p>
      <div class="field-row">
        {(["name", "email"] as const).map((field) => (
          <label key={field} class="field">
            {field === "name" ? t.name : t.email}
            <select
              name={`prechat_${field}`}
              aria-label={field === "name" ? t.prechatName : t.prechatEmail}
              value={props.prechat[field]}
              onChange={choose(field)}
            >
              {PRECHAT_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {t[PRECHAT_LABELS[choice]]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * A labelled field with its hint, or the environment variable that fixes it, tied to the input
 * by aria-describedby (the one child is cloned with it).
 */
function Field(props: {
  label: string;
  env?: string | null;
  hint?: string;
  hintId: string;
  children: ComponentChildren;
}) {
  const t = useT();
  const note = props.env ? t.setByEnvironmentNamed(props.env) : props.hint;
  return (
    <div class="field">
      <label>
        {props.label}
        <DescribedBy id={note === undefined ? undefined : props.hintId}>{props.children}</DescribedBy>
      </label>
      {note !== undefined && (
        <p class={`muted small${props.env ? " env-fixed" : ""}`} id={props.hintId}>
          {note}
        </p>
      )}
    </div>
  );
}

function DescribedBy({ id, children }: { id: string | undefined; children: ComponentChildren }) {
  if (id === undefined || !isValidElement(children)) return <>{children}</>;
  return cloneElement(children as VNode<{ "aria-describedby"?: string }>, { "aria-describedby": id });
}
