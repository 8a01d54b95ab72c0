/**
 * Labels (§15): the set the owners define, and how a chip in a label's colour stays readable —
 * its text is black or white, whichever contrasts more with the colour (WCAG contrast ratio).
 */
import { messages } from "../i18n/index.js";
import type { Conversation, Label } from "@parley/protocol";

/** The relative luminance of `#rrggbb` (or `#rgb`), per WCAG 2. */
export function luminance(color: string): number {
  let hex = color.replace(/^#/, "");
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  const channel = (offset: number): number => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The chip's text colour on `color`: black or white, whichever reads better (always ≥ 4.5:1). */
export function chipText(color: string): "#000000" | "#ffffff" {
  return contrastRatio(color, "#000000") >= contrastRatio(color, "#ffffff") ? "#000000" : "#ffffff";
}

/** By name, ignoring case, as the settings list and the picker show them. */
export function sortLabels(labels: readonly Label[]): Label[] {
  return [...labels].sort(
    (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.id - b.id,
  );
}

/** A label saved in the settings, before (or instead of) its `labels_updated`. */
export function upsertLabel(labels: readonly Label[], label: Label): Label[] {
  return sortLabels([...labels.filter((known) => known.id !== label.id), label]);
}

export function removeLabel(labels: readonly Label[], id: number): Label[] {
  return labels.filter((label) => label.id !== id);
}

/** The conversation's labels that we know of, in the set's order (an unknown id is skipped). */
export function labelsOf(conversation: Conversation, labels: readonly Label[]): Label[] {
  const ids = new Set(conversation.label_ids ?? []);
  return labels.filter((label) => ids.has(label.id));
}

/** The conversation's label ids with `id` put on or taken off. */
export function toggleLabel(conversation: Conversation, id: number, on: boolean): number[] {
  const ids = (conversation.label_ids ?? []).filter((known) => known !== id);
  return on ? [...ids, id] : ids;
}

/** A name the owner typed: trimmed, 1–max characters, not another label's (ignoring case). */
export function labelNameProblem(
  name: string,
  labels: readonly Label[],
  max: number,
  exceptId: number | null = null,
): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return messages().labelNeedsName;
  if (trimmed.length > max) return messages().labelNameTooLong(max);
  const taken = labels.some(
    (label) => label.id !== exceptId && label.name.toLowerCase() === trimmed.toLowerCase(),
  );
  return taken ? messages().labelTaken(trimmed) : null;
}
