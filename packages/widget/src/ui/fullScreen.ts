/**
 * On a phone (the stylesheet's 640 px breakpoint) the open panel covers the screen, so it is a
 * modal dialog there, and only there: on a desktop it is a small panel beside a page that stays
 * usable. While it is modal:
 * - it says so (`aria-modal`), so screen readers leave the hidden page alone;
 * - Tab and Shift+Tab go round inside it instead of walking into the page behind;
 * - the page behind does not scroll (its own overflow styles are put back on close);
 * - it fits the visual viewport, the part of the screen the on-screen keyboard leaves: iOS and
 *   Android's Chrome shrink only that one for the keyboard, not the layout viewport that
 *   `position: fixed` uses, so without this the text box and the header end up out of sight.
 */
const PHONE = "(max-width: 640px)";

const FOCUSABLE = "a[href],button,input,textarea,select,[tabindex]:not([tabindex='-1'])";

export interface FullScreen {
  /** The panel opened or closed. */
  update(open: boolean): void;
}

export function fullScreen(panel: HTMLElement): FullScreen {
  const media = matchMedia(PHONE);
  let open = false;
  let release: (() => void) | undefined;
  const apply = (): void => {
    const modal = open && media.matches;
    if (modal === (release !== undefined)) return;
    if (modal) release = holdPage(panel);
    else {
      release?.();
      release = undefined;
    }
  };
  // Turning a tablet, or resizing a window, across the breakpoint while the panel is open.
  media.addEventListener("change", apply);
  panel.addEventListener("keydown", (event) => {
    if (release && event.key === "Tab") keepFocusIn(panel, event);
  });
  return {
    update(isOpen) {
      open = isOpen;
      apply();
    },
  };
}

/** Makes the panel modal over the page; returns what undoes it. */
function holdPage(panel: HTMLElement): () => void {
  panel.setAttribute("aria-modal", "true");
  const unlock = [document.documentElement, document.body].map((element) => {
    const { style } = element;
    const value = style.getPropertyValue("overflow");
    const priority = style.getPropertyPriority("overflow");
    // !important: a page's own `html { overflow: auto !important }` must not undo the lock.
    style.setProperty("overflow", "hidden", "important");
    return () => {
      if (value) style.setProperty("overflow", value, priority);
      else style.removeProperty("overflow");
    };
  });
  const viewport = window.visualViewport;
  const fit = (): void => {
    if (!viewport) return;
    const { style } = panel;
    style.top = `${viewport.offsetTop}px`;
    style.left = `${viewport.offsetLeft}px`;
    style.width = `${viewport.width}px`;
    style.height = `${viewport.height}px`;
    style.right = style.bottom = "auto";
  };
  fit();
  viewport?.addEventListener("resize", fit);
  viewport?.addEventListener("scroll", fit);
  return () => {
    panel.removeAttribute("aria-modal");
    for (const undo of unlock) undo();
    viewport?.removeEventListener("resize", fit);
    viewport?.removeEventListener("scroll", fit);
    for (const side of ["top", "left", "width", "height", "right", "bottom"])
      panel.style.removeProperty(side);
  };
}

/** Tab from the last control goes to the first, Shift+Tab from the first (or the dialog) to the last. */
function keepFocusIn(panel: HTMLElement, event: KeyboardEvent): void {
  const controls = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !element.matches(":disabled") && element.getClientRects().length > 0,
  );
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  const active = (panel.getRootNode() as ShadowRoot).activeElement;
  const outOfLine = !active || !controls.includes(active as HTMLElement);
  if (event.shiftKey && (active === first || outOfLine)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || outOfLine)) {
    event.preventDefault();
    first.focus();
  }
}
