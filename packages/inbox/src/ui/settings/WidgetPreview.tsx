/**
 * A small copy of the site's widget as visitors will see it: the open panel (header, status,
 * greeting, reply box) above the launcher, in the site's colour (text in white or black, as the
 * widget picks) and on its side. Drawn with the inbox's own elements, since the inbox may frame
 * nothing; it follows the widget's stylesheet in miniature. Purely visual: screen readers get
 * the form's fields, which say the same.
 */
import type { PrechatSettings, SiteWidgetSettings } from "@parley/protocol";
import { useState } from "preact/hooks";
import { parseHexColor, textColorOn } from "../../state/brandColor.js";

/** The widget's own icons (packages/widget/src/ui/dom.ts). */
const CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
const CLOSE_ICON =
  "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";
const SEND_ICON = "M3 20.5 21 12 3 3.5v6.6L15 12 3 13.9z";

function Svg({ path }: { path: string }) {
  return (
    <svg viewBox="0 0 24 24" focusable="false">
      <path d={path} />
    </svg>
  );
}

export function WidgetPreview({ widget }: { widget: SiteWidgetSettings }) {
  const [away, setAway] = useState(false);
  const color = parseHexColor(widget.color) ?? "#2563eb";
  const look = { "--c": color, "--f": textColorOn(color) };
  return (
    <figure class="preview" aria-labelledby="preview-caption">
      <figcaption id="preview-caption" class="preview-caption">
        <span>Preview</span>
        <span class="preview-mode" role="group" aria-label="Show the widget as">
          <button type="button" aria-pressed={!away} onClick={() => setAway(false)}>
            Online
          </button>
          <button type="button" aria-pressed={away} onClick={() => setAway(true)}>
            Away
          </button>
        </span>
      </figcaption>
      <div
        class={`preview-page${widget.position === "left" ? " left" : ""}`}
        style={look}
        aria-hidden="true"
        data-preview
      >
        <div class="pv-panel">
          <div class={`pv-head${away ? "" : " on"}`}>
            <div class="pv-words">
              <p class="pv-title">{widget.title}</p>
              <p class="pv-status">
                <i />
                {away ? widget.away_message : "We're online"}
              </p>
            </div>
            <span class="pv-close">
              <Svg path={CLOSE_ICON} />
            </span>
          </div>
          <div class="pv-log">
            <p class="pv-bubble">{widget.greeting}</p>
            <PrechatPreview prechat={widget.prechat} />
          </div>
          <div class="pv-composer">
            <span class="pv-input">Write a message…</span>
            <span class="pv-send">
              <Svg path={SEND_ICON} />
            </span>
          </div>
        </div>
        <span class="pv-launcher">
          <Svg path={CHAT_ICON} />
          {widget.launcher_label}
        </span>
      </div>
    </figure>
  );
}

/** The pre-chat form's fields as the widget asks them, when it asks any. */
function PrechatPreview({ prechat }: { prechat: PrechatSettings | undefined }) {
  if (prechat === undefined || (prechat.name === "off" && prechat.email === "off")) return null;
  const fields = (["name", "email"] as const).filter((field) => prechat[field] !== "off");
  return (
    <div class="pv-prechat" data-preview-prechat>
      {fields.map((field) => (
        <span key={field} class="pv-field">
          {field === "name" ? "Your name" : "Your email"}
          {prechat[field] === "optional" ? " (optional)" : ""}
        </span>
      ))}
      <span class="pv-start">Start chat</span>
    </div>
  );
}
