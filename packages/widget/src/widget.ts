/**
 * The chat app's controller: it owns the visitor's identity (token and name in storage), starts
 * the session when there is something to talk about, and keeps the view, the launcher's unread
 * badge and the site's `Parley.on` listeners in step with the conversation.
 */
import type { CableState } from "@parley/protocol";
import type { ApiTarget } from "./api.js";
import type { AppContext } from "./app/contract.js";
import { Availability } from "./availability.js";
import type { ChatMessage, Received } from "./conversation.js";
import { STRINGS } from "./i18n.js";
import { newToken } from "./ids.js";
import { Session } from "./session.js";
import { cableUrl, resolveSettings, type Settings } from "./settings.js";
import { KEYS } from "./storage.js";
import { View } from "./ui/view.js";
import type { Uploads } from "./uploads/contract.js";
import { loadUploads } from "./uploads/loader.js";

const TIME_REFRESH_MS = 30_000;

export class Widget implements ApiTarget {
  readonly #view: View;
  readonly #availability: Availability;
  #session: Session | undefined;
  #name: string | null;
  #clock: ReturnType<typeof setInterval> | undefined;
  #uploads: Promise<Uploads> | undefined;

  readonly #deps: AppContext;
  readonly #settings: Settings;

  constructor(deps: AppContext) {
    this.#deps = deps;
    const settings = resolveSettings(deps.page, deps.config, deps.look);
    this.#settings = settings;
    const strings = STRINGS[settings.locale];
    this.#name = deps.storage.get(KEYS.name);
    this.#view = new View(
      deps.launcher,
      settings,
      strings,
      deps.words,
      {
        close: () => this.close(),
        send: (text) => this.#startSession().send(text),
        retry: (clientId) => this.#session?.retry(clientId),
        typing: (active) => this.#session?.typing(active),
        files: (files) => this.#attach(files),
        saveName: (name) => this.identify({ name }),
        dismissName: () => {
          deps.storage.set(KEYS.nameAsked, "1");
          this.#view.showNameAsk(false);
        },
      },
      deps.origin,
    );
    this.#availability = new Availability(deps.config?.agents_online === true, (online) =>
      this.#view.setAvailability(online),
    );
    // A returning visitor reconnects at once, for replies that came while they were away.
    if (deps.storage.get(KEYS.token)) this.#startSession();
    // Another tab read the replies: clear this tab's badge too.
    addEventListener("storage", (event) => {
      if (event.key === KEYS.seenId) this.#refresh();
    });
  }

  open(): void {
    if (this.#view.isOpen) return;
    this.#startSession();
    this.#view.setOpen(true);
    this.#clock = setInterval(() => this.#view.list.refreshTimes(), TIME_REFRESH_MS);
    this.#refresh();
    this.#deps.emitter.emit("open");
  }

  close(): void {
    if (!this.#view.isOpen) return;
    clearInterval(this.#clock);
    this.#session?.typing(false);
    this.#view.setOpen(false);
    this.#deps.emitter.emit("close");
  }

  toggle(): void {
    if (this.#view.isOpen) this.close();
    else this.open();
  }

  identify(visitor: { name?: string }): void {
    const name = typeof visitor.name === "string" ? visitor.name.trim().slice(0, 50) : "";
    if (!name) return;
    this.#name = name;
    this.#deps.storage.set(KEYS.name, name);
    this.#deps.storage.set(KEYS.nameAsked, "1");
    this.#view.showNameAsk(false);
  }

  /** Uploads with the code fetched on first use; each batch is sent as messages of files. */
  #attach(files: File[]): void {
    const session = this.#startSession();
    const { origin } = this.#deps;
    const settings = this.#settings;
    this.#uploads ??= loadUploads(origin).then((create) =>
      create({
        origin,
        token: session.token,
        locale: settings.locale,
        slot: this.#view.tray,
        send: (attachments) => session.send("", attachments),
      }),
    );
    this.#uploads.then(
      (uploads) => uploads.add(files),
      () => {
        // Not loaded (offline?): say so; the next attach asks for the chunk again.
        this.#uploads = undefined;
        this.#view.tray.textContent = STRINGS[settings.locale].failed;
      },
    );
  }

  #startSession(): Session {
    if (this.#session) return this.#session;
    const { storage } = this.#deps;
    let token = storage.get(KEYS.token);
    if (!token) {
      token = newToken();
      storage.set(KEYS.token, token);
    }
    this.#session = new Session(cableUrl(this.#deps.origin), token, () => this.#name, {
      changed: () => this.#refresh(),
      arrived: (message, how) => this.#arrived(message, how),
      availability: (online) => this.#availability.report(online),
      typing: (agent) => this.#view.setTyping(agent?.name),
      connection: (state: CableState) => this.#view.setReconnecting(state === "reconnecting"),
      disconnected: () => this.#availability.connectionLost(),
      tooFast: (ms) => this.#view.showTooFast(ms),
      visitorName: (name) => {
        if (name && !this.#name) this.identify({ name });
      },
    });
    this.#session.start();
    return this.#session;
  }

  /** Redraws the conversation and the badge; an open panel counts as having seen everything. */
  #refresh(): void {
    const conversation = this.#session?.conversation;
    if (!conversation) return;
    const { storage } = this.#deps;
    const messages = conversation.list();
    this.#view.setMessages(messages);
    if (this.#view.isOpen && conversation.highestId > Number(storage.get(KEYS.seenId) ?? 0)) {
      storage.set(KEYS.seenId, String(conversation.highestId));
    }
    this.#view.setUnread(
      this.#view.isOpen ? 0 : conversation.unreadAfter(Number(storage.get(KEYS.seenId) ?? 0)),
    );
    const sentOne = messages.some((m) => m.sender === "visitor" && m.delivery === "sent");
    this.#view.showNameAsk(sentOne && !this.#name && !storage.get(KEYS.nameAsked));
  }

  #arrived(message: ChatMessage, how: Received): void {
    if (message.id === undefined) return;
    this.#deps.emitter.emit("message", {
      id: message.id,
      sender: message.sender,
      content: message.content,
      created_at: message.createdAt,
      ...(message.agent ? { agent_name: message.agent.name } : {}),
    });
    if (message.sender === "admin" && how === "added") {
      this.#view.announce(
        `${message.agent?.name || STRINGS[this.#settings.locale].agent}: ${message.content || message.attachments?.map((file) => file.filename).join(", ")}`,
      );
    }
  }
}
