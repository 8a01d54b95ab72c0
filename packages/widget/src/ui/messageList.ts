/**
 * The conversation as a list, kept in step with the store by key: a message's node is built once
 * and only its status line changes (pending → sent, failed → retry), so screen readers and
 * scroll position are not disturbed by re-renders.
 */
import type { TeamMember } from "@parley/protocol";
import type { ChatMessage } from "../conversation.js";
import type { Strings } from "../i18n.js";
import { attachmentList } from "./attachments.js";
import { h } from "./kit.js";
import { face } from "./face.js";

interface Row {
  item: HTMLLIElement;
  status: HTMLElement;
  delivery: string;
  createdAt: string;
}

export class MessageList {
  readonly element: HTMLOListElement;
  readonly #greeting: HTMLLIElement;
  readonly #rows = new Map<string, Row>();
  #messages: ChatMessage[] = [];
  /** The site's team (protocol §14), whose faces head agents' replies. */
  team: TeamMember[] = [];
  /** Says a message's time ("5 min"); the expect chunk's, so times show once it is here. */
  when: ((iso: string) => string) | undefined;
  /** A message's text with its links; the expect chunk's too, so links show once it is here. */
  rich: ((content: string) => Node) | undefined;

  readonly #strings: Strings;
  readonly #onRetry: (clientId: string) => void;
  readonly #origin: string;

  constructor(strings: Strings, greeting: string, onRetry: (clientId: string) => void, origin: string) {
    this.#origin = origin;
    this.#strings = strings;
    this.#onRetry = onRetry;
    this.#greeting = h("li", { class: "m" }, h("div", { class: "b" }, greeting));
    this.element = h("ol", { class: "log", "aria-label": strings.title, tabindex: "0" }, this.#greeting);
  }

  setGreeting(greeting: string): void {
    this.#greeting.firstChild!.textContent = greeting;
  }

  render(messages: ChatMessage[]): void {
    const stick = this.#nearBottom() || messages.at(-1)?.sender === "visitor";
    const wanted: Node[] = [this.#greeting];
    let previous: ChatMessage | undefined;
    for (const message of messages) {
      wanted.push(this.#row(message, previous).item);
      previous = message;
    }
    const current = Array.from(this.element.children);
    if (current.length !== wanted.length || current.some((node, i) => node !== wanted[i])) {
      this.element.replaceChildren(...wanted);
    }
    this.#messages = messages;
    if (stick) this.scrollToEnd();
  }

  /** The expect chunk came: the messages shown are drawn again, with their times and links. */
  expect(when: (iso: string) => string, rich: (content: string) => Node): void {
    this.when = when;
    this.rich = rich;
    this.#rows.clear();
    this.render(this.#messages);
  }

  refreshTimes(): void {
    for (const message of this.#messages) {
      const row = this.#rows.get(message.key);
      if (row) this.#fillStatus(row, message);
    }
  }

  scrollToEnd(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }

  #nearBottom(): boolean {
    const { scrollTop, scrollHeight, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight < 60;
  }

  #row(message: ChatMessage, previous: ChatMessage | undefined): Row {
    let row = this.#rows.get(message.key);
    if (!row) {
      const fromAgent = message.sender === "admin";
      const name = fromAgent ? message.agent?.name || this.#strings.agent : this.#strings.you;
      // The agent's name heads each run of messages from the same agent. Screen readers, which
      // do not see which side a bubble is on, hear who wrote every message ("You" for the visitor).
      const sameAgent = previous?.sender === "admin" && previous.agent?.id === message.agent?.id;
      const heads = fromAgent && !sameAgent;
      const who = h(
        "p",
        { class: heads ? "who" : "sr" },
        heads &&
          face(name, this.team.find((member) => member.id === message.agent?.id)?.avatar_url, this.#origin),
        name,
      );
      const status = h("p", { class: "t" });
      const item = h(
        "li",
        { class: fromAgent ? "m a" : "m v" },
        who,
        h(
          "div",
          { class: "b" },
          this.rich?.(message.content) ?? message.content,
          message.attachments?.[0] && attachmentList(message.attachments, this.#origin),
        ),
        status,
      );
      row = { item, status, delivery: "", createdAt: "" };
      this.#rows.set(message.key, row);
    }
    if (row.delivery !== message.delivery || row.createdAt !== message.createdAt)
      this.#fillStatus(row, message);
    return row;
  }

  #fillStatus(row: Row, message: ChatMessage): void {
    const strings = this.#strings;
    row.delivery = message.delivery;
    row.createdAt = message.createdAt;
    row.item.classList.toggle("failed", message.delivery === "failed");
    const time = h("time", { datetime: message.createdAt }, this.when?.(message.createdAt));
    const clientId = message.clientId;
    if (message.delivery === "pending") row.status.replaceChildren(strings.sending);
    else if (message.delivery === "failed" && clientId) {
      row.status.replaceChildren(
        strings.failed,
        " ",
        h("button", { type: "button", class: "r", onclick: () => this.#onRetry(clientId) }, strings.retry),
      );
    } else row.status.replaceChildren(time);
  }
}
