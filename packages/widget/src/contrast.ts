/**
 * The site owner picks any brand colour; text drawn on it must still meet WCAG AA (4.5:1), so
 * the widget picks white or near-black text, whichever contrasts more.
 */
const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function parseHexColor(value: string | null | undefined): string | null {
  const match = HEX.exec((value ?? "").trim());
  if (!match?.[1]) return null;
  const hex = match[1];
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex}`.toLowerCase();
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.039_28 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = channels;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Pure black: with white, one of the two always reaches 4.5:1 on any colour. */
export const DARK_TEXT = "#000000";

export function textColorOn(background: string): string {
  return contrastRatio(background, "#ffffff") >= contrastRatio(background, DARK_TEXT) ? "#ffffff" : DARK_TEXT;
}
