/** (§15) A conversation's labels as chips in their colours, the text black or white for contrast. */
import { useT } from "../i18n/index.js";
import type { Conversation, Label } from "@parley/protocol";
import { Fragment } from "preact";
import { chipText, labelsOf } from "../state/labels.js";
import { useInbox } from "./useInbox.js";

export function LabelChip({ label }: { label: Label }) {
  return (
    <span class="label-chip" style={{ background: label.color, color: chipText(label.color) }}>
      {label.name}
    </span>
  );
}

export function LabelChips({ conversation }: { conversation: Conversation }) {
  const labels = useInbox((state) => state.labels);
  const shown = labelsOf(conversation, labels);
  const t = useT();
  if (shown.length === 0) return null;
  return (
    <span class="label-chips">
      <span class="sr">{t.labelsSr}</span>
      {shown.map((label, index) => (
        <Fragment key={label.id}>
          <LabelChip label={label} />
          {index < shown.length - 1 && <span class="sr">, </span>}
        </Fragment>
      ))}
    </span>
  );
}
