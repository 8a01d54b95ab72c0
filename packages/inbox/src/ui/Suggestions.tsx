/**
 * The list that opens over the reply box (canned replies after `/`, agents after `@`): a
 * listbox whose active option the text box names with aria-activedescendant, so focus stays in
 * the box while arrows move, Enter or Tab picks and Esc closes. A pointer picks too.
 */
import type { ComponentChildren } from "preact";

export interface SuggestionsProps<T> {
  id: string;
  label: string;
  items: readonly T[];
  active: number;
  keyOf: (item: T) => string | number;
  render: (item: T) => ComponentChildren;
  onPick: (item: T) => void;
  /** Shown when nothing matches. */
  empty: string;
}

export function optionId(listId: string, index: number): string {
  return `${listId}-option-${index}`;
}

export function Suggestions<T>(props: SuggestionsProps<T>) {
  return (
    <div class="suggestions">
      {props.items.length === 0 ? (
        <p class="suggest-empty" role="status">
          {props.empty}
        </p>
      ) : (
        <ul id={props.id} role="listbox" aria-label={props.label}>
          {props.items.map((item, index) => (
            <li
              key={props.keyOf(item)}
              id={optionId(props.id, index)}
              role="option"
              aria-selected={index === props.active}
              class={index === props.active ? "active" : undefined}
              // Keep focus in the text box.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => props.onPick(item)}
            >
              {props.render(item)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Arrow keys, Enter/Tab and Esc for an open list; true when the key was the list's. */
export function listKey(
  key: string,
  count: number,
  active: number,
  handlers: { move: (index: number) => void; pick: () => void; close: () => void },
): boolean {
  switch (key) {
    case "ArrowDown":
      if (count > 0) handlers.move((active + 1) % count);
      return true;
    case "ArrowUp":
      if (count > 0) handlers.move((active - 1 + count) % count);
      return true;
    case "Enter":
    case "Tab":
      if (count === 0) return false;
      handlers.pick();
      return true;
    case "Escape":
      handlers.close();
      return true;
    default:
      return false;
  }
}
