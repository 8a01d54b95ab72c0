/**
 * A small copy of the site's widget as visitors will see it: the open panel (header, status,
 * greeting, reply box) above the launcher, in the site's colour (text in white or black, as the
 * widget picks) and on its side. Drawn with the inbox's own elements, since the inbox may frame
 * nothing; it follows the widget's stylesheet in miniature. Purely visual: screen readers get
 * the form's fields, which say the same.
 */
import type { SiteWidgetSettings } from "@parley/protocol";
import { useState } from "preact/hooks";
import { parseHexColor, textColorOn } from "../../state/brandColor.js";

/** The widget's own path for its chat icon (packages/widget/src/ui/dom.ts). */
const CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";

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
            <p class="pv-title">{widget.title}</p>
            <p class="pv-status">
              <i />
              {away ? widget.away_message : "We're online"}
            </p>
          </div>
          <div class="pv-log">
            <p class="pv-bubble">{widget.greeting}</p>
          </div>
          <div class="pv-composer">
            <span class="pv-input">Write a message…</span>
            <span class="pv-send" />
          </div>
        </div>
        <span class="pv-launcher">
          <svg viewBox="0 0 24 24" focusable="false">
            <path d={CHAT_ICON} />
          </svg>
          {widget.launcher_label}
        </span>
      </div>
    </figure>
  );
}
