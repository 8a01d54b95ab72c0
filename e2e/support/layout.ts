/**
 * What an agent sees of the page's geometry, measured in the browser: whatever sticks out past
 * the right edge of the screen (so the page scrolls sideways and things go off-screen), and
 * whether a focus ring is drawn whole.
 */
import type { Locator, Page } from "playwright-core";

export interface SidewaysOverflow {
  viewportWidth: number;
  /** The page's own scrollable width: more than the viewport means it scrolls sideways. */
  scrollWidth: number;
  /** Elements whose right edge is past the viewport's, described as tag.class → right edge. */
  wider: string[];
}

export async function sidewaysOverflow(page: Page): Promise<SidewaysOverflow> {
  return page.evaluate(() => {
    const viewportWidth = window.innerWidth;
    const wider: string[] = [];
    for (const element of document.body.querySelectorAll("*")) {
      const right = element.getBoundingClientRect().right;
      // Half a pixel of rounding, no more.
      if (right > viewportWidth + 0.5) {
        const classes =
          typeof element.className === "string" && element.className
            ? `.${element.className.trim().split(/\s+/).join(".")}`
            : "";
        wider.push(`${element.tagName.toLowerCase()}${classes} → ${Math.round(right)} px`);
      }
    }
    return { viewportWidth, scrollWidth: document.scrollingElement?.scrollWidth ?? 0, wider };
  });
}

export interface FocusRing {
  /** How it is drawn, for messages: outline style, width and offset, or the box-shadow. */
  drawn: string;
  /** An outline at least 2 px wide, or an inset box-shadow. */
  visible: boolean;
  /** All of it lies inside the element's scrolling ancestor, which would otherwise clip it. */
  unclipped: boolean;
  /** Its colour against the background behind it (WCAG asks 3:1 of a focus indicator). */
  contrast: number;
}

/** A CSS colour as the browser computes it ("rgb(…)" or "rgba(…)") to its relative luminance. */
function luminance(color: string): number {
  const [r = 0, g = 0, b = 0] = (color.match(/[\d.]+/g) ?? []).map(Number);
  const [lr = 0, lg = 0, lb = 0] = [r, g, b].map((value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}

function contrast(one: string, other: string): number {
  const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The focus ring of `target` (which has focus), measured against what would clip it. */
export async function focusRing(target: Locator): Promise<FocusRing> {
  // Inner functions stay out of the page function: the test's compiler would name them with a
  // helper that the page does not have.
  const measured = await target.evaluate((element) => {
    const style = getComputedStyle(element);
    const width = parseFloat(style.outlineWidth) || 0;
    const offset = parseFloat(style.outlineOffset) || 0;
    const outlined = style.outlineStyle !== "none" && width >= 2;
    const insetShadow = /inset/.test(style.boxShadow);
    // How far the ring reaches beyond the element's border box.
    const reach = outlined ? Math.max(0, offset + width) : 0;
    const box = element.getBoundingClientRect();
    let clipper: Element | null = element.parentElement;
    while (clipper && !/(auto|scroll|hidden|clip)/.test(getComputedStyle(clipper).overflow))
      clipper = clipper.parentElement;
    let unclipped = true;
    if (clipper) {
      const clip = clipper.getBoundingClientRect();
      const left = clip.left + clipper.clientLeft;
      const top = clip.top + clipper.clientTop;
      unclipped =
        box.left - reach >= left - 0.5 &&
        box.right + reach <= left + clipper.clientWidth + 0.5 &&
        box.top - reach >= top - 0.5 &&
        box.bottom + reach <= top + clipper.clientHeight + 0.5;
    }
    // The first opaque background at or above the element is what the ring is seen against.
    let background = "rgb(255, 255, 255)";
    for (let at: Element | null = element; at; at = at.parentElement) {
      const color = getComputedStyle(at).backgroundColor;
      if (color !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(color)) {
        background = color;
        break;
      }
    }
    return {
      drawn: `outline ${style.outlineStyle} ${style.outlineWidth} offset ${style.outlineOffset} ${style.outlineColor}; box-shadow ${style.boxShadow}`,
      visible: outlined || insetShadow,
      unclipped,
      ring: outlined ? style.outlineColor : (/rgba?\([^)]*\)/.exec(style.boxShadow)?.[0] ?? background),
      background,
    };
  });
  const { ring, background, ...rest } = measured;
  return { ...rest, contrast: contrast(ring, background) };
}
