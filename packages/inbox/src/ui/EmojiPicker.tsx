/**
 * The composer's emoji button and its grid: a small built-in set, no dependency. The grid is one
 * tab stop; arrows move, Home/End go to a row's ends, Enter or Space inserts at the caret, Esc
 * closes and returns to the button.
 */
import { useT } from "../i18n/index.js";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { EMOJI, gridMove } from "../state/emoji.js";
import { Icon } from "./Icon.js";

export function EmojiPicker(props: { onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  const t = useT();
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const grid = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!open) return;
    grid.current?.querySelectorAll<HTMLButtonElement>("button")[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent): void => {
      const target = event.target as Node;
      if (!grid.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);

  const close = (): void => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    // Esc closes from the button too (before focus has moved into the grid).
    <div
      class="emoji"
      onKeyDown={(event) => {
        if (open && event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        class="ghost emoji-button"
        aria-label={t.insertEmoji}
        title={t.insertEmoji}
        aria-expanded={open}
        aria-controls="emoji-grid"
        onClick={() => {
          setActive(0);
          setOpen(!open);
        }}
      >
        <Icon name="smile" />
      </button>
      {open && (
        <div
          ref={grid}
          id="emoji-grid"
          class="emoji-grid"
          role="group"
          aria-label={t.emoji}
          onKeyDown={(event) => {
            const next = gridMove(event.key, active, EMOJI.length);
            if (next !== null) {
              event.preventDefault();
              setActive(next);
            }
          }}
        >
          {EMOJI.map(([emoji, name], index) => (
            <button
              key={emoji}
              type="button"
              tabIndex={index === active ? 0 : -1}
              aria-label={name}
              title={name}
              onClick={() => {
                setOpen(false);
                props.onPick(emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
