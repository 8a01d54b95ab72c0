/**
 * A disclosure for a small panel (snooze, labels, availability): its button shows and hides it;
 * Esc (handled on the panel's wrapper, so an outer menu stays open) or a click elsewhere hides
 * it, and Esc gives focus back to the button.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export function usePopover() {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent): void => {
      if (!(event.target instanceof Node && wrapper.current?.contains(event.target))) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);
  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLElement>): void => {
    if (event.key !== "Escape" || !open) return;
    event.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };
  return {
    open,
    wrapper,
    button,
    onKeyDown,
    toggle: () => setOpen(!open),
    close: () => setOpen(false),
  };
}
