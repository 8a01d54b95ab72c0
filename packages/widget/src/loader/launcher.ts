/**
 * The launcher: the round button in the corner, with the unread badge, drawn by widget.js before
 * the app exists. It carries the widget's root element (language, brand colours, side), in which
 * the app later puts the panel.
 */
import type { LauncherHandle } from "../app/contract.js";
import { fill } from "../locale.js";
import type { Look } from "../settings.js";
import { CHAT_ICON, CLOSE_ICON, h, icon } from "../ui/dom.js";
import { LAUNCHER_CSS } from "./styles.js";
import { WORDS, type LauncherWords } from "./words.js";

export class Launcher implements LauncherHandle {
  readonly root: HTMLDivElement;
  readonly button: HTMLButtonElement;
  readonly #badge: HTMLSpanElement;
  readonly #shape: Element;
  readonly #text = document.createTextNode("");
  words: LauncherWords = WORDS.en;
  #open = false;
  #unread = 0;

  constructor(shadow: ShadowRoot, look: Look, press: () => void) {
    this.#badge = h("span", { class: "n", "aria-hidden": "true", hidden: true });
    const svg = icon(CHAT_ICON);
    this.#shape = svg.firstChild as Element;
    this.button = h(
      "button",
      { type: "button", class: "l", "aria-expanded": "false", onclick: press },
      svg,
      this.#text,
      this.#badge,
    );
    this.root = h("div", { class: "w" }, this.button);
    this.setLook(look);
    shadow.append(h("style", {}, LAUNCHER_CSS), this.root);
  }

  /** Drawn anew when the site's settings change (the panel inside follows its colours and side). */
  setLook(look: Look): void {
    this.words = WORDS[look.locale];
    this.root.classList.toggle("left", look.position === "left");
    // `lang` so that screen readers read the widget in its own language, whatever the page's.
    this.root.lang = look.locale;
    this.root.style.setProperty("--c", look.color);
    this.root.style.setProperty("--f", look.textColor);
    this.#text.data = look.launcherLabel ?? "";
    this.#label();
  }

  setOpen(open: boolean): void {
    this.#open = open;
    this.root.classList.toggle("open", open);
    this.button.setAttribute("aria-expanded", String(open));
    this.#shape.setAttribute("d", open ? CLOSE_ICON : CHAT_ICON);
    this.#label();
  }

  setUnread(count: number): void {
    this.#unread = count;
    this.#badge.hidden = count === 0;
    this.#badge.textContent = count > 9 ? "9+" : String(count);
    this.#label();
  }

  /** The name says what a press does, and how many replies wait. */
  #label(): void {
    const words = this.words;
    const label = this.#open
      ? words.close
      : this.#unread
        ? `${words.open} (${fill(words.unread, { n: this.#unread })})`
        : words.open;
    this.button.setAttribute("aria-label", label);
  }
}
