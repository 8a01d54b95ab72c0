/**
 * The chat panel (a dialog with header, notices, the conversation, the pre-chat chunk's forms
 * and the text box), put by the app next to the launcher the loader drew, whose state it keeps in step. The
 * view holds no chat state; the widget tells it what to show.
 */
import type { TeamMember } from "@parley/protocol";
import type { LauncherHandle } from "../app/contract.js";
import type { ChatMessage } from "../conversation.js";
import type { Strings } from "../i18n.js";
import type { LauncherWords } from "../loader/words.js";
import type { Settings } from "../settings.js";
import { teamNames } from "../team.js";
import { composer } from "./composer.js";
import { CLOSE_ICON } from "./dom.js";
import { h, icon } from "./kit.js";
import { face } from "./face.js";
import { fullScreen, type FullScreen } from "./fullScreen.js";
import { MessageList } from "./messageList.js";
import { PANEL_CSS } from "./styles.js";

/** Function-valued fields rather than methods: they are handed to DOM listeners as they are. */
export interface ViewHandlers {
  close: () => void;
  /** False keeps the text in the box (the pre-chat form asks first). */
  send: (text: string) => boolean;
  retry: (clientId: string) => void;
  typing: (active: boolean) => void;
  /** Files picked, pasted or dropped. */
  files: (files: File[]) => void;
}

export class View {
  readonly #launcher: LauncherHandle;
  readonly #panel: HTMLDivElement;
  readonly #header: HTMLDivElement;
  readonly #title: HTMLHeadingElement;
  readonly #status: HTMLSpanElement;
  readonly #back: HTMLParagraphElement;
  readonly #team: HTMLParagraphElement;
  readonly #ack: HTMLParagraphElement;
  readonly #locale: Settings["locale"];
  readonly #origin: string;
  readonly #style: HTMLStyleElement;
  readonly #reconnecting: HTMLParagraphElement;
  /** "Anna is typing…" (the expect chunk's words). */
  readonly typingLine: HTMLParagraphElement;
  /** The calm notice after sending too fast; the expect chunk counts it down. */
  readonly calm: HTMLParagraphElement;
  readonly #input: HTMLTextAreaElement;
  readonly #live: HTMLDivElement;
  readonly #fullScreen: FullScreen;
  readonly list: MessageList;
  /** Upload progress and errors; the uploads chunk fills it. */
  readonly tray: HTMLDivElement;
  /** The pre-chat form and the name ask; the pre-chat chunk fills it. */
  readonly slot: HTMLDivElement;
  /** Sends what is in the text box, as Enter does. */
  readonly submit: () => void;
  #returnFocus: HTMLElement | null = null;

  readonly #strings: Strings;

  constructor(
    launcher: LauncherHandle,
    settings: Settings,
    strings: Strings,
    words: LauncherWords,
    handlers: ViewHandlers,
    origin: string,
  ) {
    this.#launcher = launcher;
    this.#strings = strings;
    this.#locale = settings.locale;
    this.#origin = origin;
    this.#team = h("p", { class: "tm", hidden: true });
    this.#status = h("span", {}, strings.offline);
    this.#title = h("h2", { id: "pt" }, settings.title);
    this.#back = h("p", { class: "bk", hidden: true });
    this.#header = h(
      "div",
      { class: "h" },
      h(
        "div",
        {},
        this.#title,
        this.#team,
        h("p", { class: "s" }, h("i", { "aria-hidden": "true" }), this.#status),
        this.#back,
      ),
      h(
        "button",
        {
          type: "button",
          class: "x",
          "aria-label": words.close,
          title: words.close,
          onclick: handlers.close,
        },
        icon(CLOSE_ICON),
      ),
    );
    this.#reconnecting = h("p", { class: "note", role: "status", hidden: true }, strings.reconnecting);
    this.calm = h("p", { class: "note", role: "status", hidden: true });
    this.list = new MessageList(strings, settings.greeting, handlers.retry, origin);
    this.#ack = h("p", { class: "ak", role: "status" });
    this.typingLine = h("p", { class: "ty", "aria-hidden": "true" });
    this.slot = h("div");
    const box = composer(strings, handlers);
    this.tray = h("div", { class: "tr" });
    this.#input = box.input;
    this.submit = box.submit;
    this.#live = h("div", { class: "sr", "aria-live": "polite" });
    this.#panel = h(
      "div",
      // Focusable itself: on touch screens focus goes to the dialog, not to the text box.
      { class: "p", id: "pp", role: "dialog", "aria-labelledby": "pt", tabindex: "-1", hidden: true },
      this.#header,
      this.#reconnecting,
      this.calm,
      this.list.element,
      this.#ack,
      this.typingLine,
      this.slot,
      this.tray,
      box.form,
      // The site's privacy notice (§18), in a new tab that cannot reach back to this page; the
      // server lets only https URLs through (chat/siteValidation.ts). Styled as the
      // acknowledgement line is, which costs the first-message budget no new rule.
      settings.privacy &&
        h(
          "a",
          { class: "ak", href: settings.privacy, target: "_blank", rel: "noopener noreferrer" },
          strings.privacy,
        ),
    );
    // Files dropped anywhere on the panel are attached (and do not open in the page's tab).
    this.#panel.addEventListener("dragover", (event) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    });
    this.#panel.addEventListener("drop", (event) => {
      const files = [...(event.dataTransfer?.files ?? [])];
      if (!files[0]) return;
      event.preventDefault();
      handlers.files(files);
    });
    this.#panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        handlers.close();
      }
    });
    this.#fullScreen = fullScreen(this.#panel);
    this.#style = h("style", {}, PANEL_CSS);
    launcher.root.before(this.#style);
    launcher.root.append(this.#panel, this.#live);
    launcher.button.setAttribute("aria-controls", "pp");
  }

  setOpen(open: boolean): void {
    if (open === !this.#panel.hidden) return;
    this.#panel.hidden = !open;
    this.#launcher.setOpen(open);
    this.#fullScreen.update(open);
    const launcher = this.#launcher.button;
    if (open) {
      // Focus goes back where it was: the launcher, or whatever the page had focused.
      const shadow = launcher.getRootNode() as ShadowRoot;
      const active = shadow.activeElement ?? document.activeElement;
      this.#returnFocus = active instanceof HTMLElement && active !== document.body ? active : launcher;
      this.list.refreshTimes();
      this.list.scrollToEnd();
      // On a touch screen focusing the text box raises the keyboard over half the chat before
      // the visitor has read it: they tap the box when they want to write.
      if (matchMedia("(pointer: coarse)").matches) this.#panel.focus();
      else this.#input.focus();
    } else {
      const target = this.#returnFocus?.isConnected ? this.#returnFocus : launcher;
      this.#returnFocus = null;
      // On phones the launcher is hidden while the panel is open; it is back by now.
      target.focus();
    }
  }

  setMessages(messages: ChatMessage[]): void {
    this.list.render(messages);
  }

  setUnread(count: number): void {
    this.#launcher.setUnread(count);
  }

  /**
   * Online, or away (`away`: the site's away message); `line` under it: when online, the typical
   * reply time, when away and closed, when the team is back ("Back Monday at 9:00"), or empty.
   */
  setPresence(away: string | null, line: string): void {
    this.#header.classList.toggle("on", away === null);
    this.#status.textContent = away ?? this.#strings.online;
    this.#back.textContent = line;
    this.#back.hidden = !line;
  }

  /** The team's faces (five at most) and names in the header; agents' replies show their faces too. */
  setTeam(team: TeamMember[]): void {
    this.list.team = team;
    this.#team.hidden = !team[0];
    this.#team.replaceChildren(
      h(
        "span",
        { class: "fs" },
        ...team.slice(0, 5).map((member) => face(member.name, member.avatar_url, this.#origin)),
      ),
      teamNames(
        team.map((member) => member.name),
        this.#strings,
        this.#locale,
      ),
    );
  }

  /** The acknowledgement of a first message, until a reply; "" removes it. */
  setAck(text: string): void {
    if (this.#ack.textContent !== text) this.#ack.textContent = text;
  }

  setTitle(title: string): void {
    this.#title.textContent = title;
  }

  /** What the visitor has typed and not sent, kept when the panel is built anew. */
  get draft(): string {
    return this.#input.value;
  }

  set draft(text: string) {
    this.#input.value = text;
  }

  /** Takes the panel away (the app builds another one in a new language). */
  remove(): void {
    this.#fullScreen.update(false);
    this.#style.remove();
    this.#panel.remove();
    this.#live.remove();
  }

  setReconnecting(reconnecting: boolean): void {
    this.#reconnecting.hidden = !reconnecting;
  }

  /** Read out by screen readers without moving focus. */
  announce(text: string): void {
    this.#live.textContent = text;
  }

  get isOpen(): boolean {
    return !this.#panel.hidden;
  }
}
