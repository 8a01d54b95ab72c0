/**
 * The chat app's controller: it owns the visitor's identity (token and name in storage, the
 * token the site's back end may swap for its contact's: identify), starts the session when there
 * is something to talk about, asks who the visitor is when the site wants to know (the pre-chat
 * chunk), and keeps the view, the launcher's unread badge and the site's `Parley.on` listeners in
 * step with the conversation.
 */
import { MAX_VISITOR_NAME_LENGTH, type AgentRef, type CableState, type WidgetConfig } from "@parley/protocol";
import type { ApiTarget, Visitor } from "./api.js";
import type { AppContext } from "./app/contract.js";
import { Availability } from "./availability.js";
import type { ChunkLoader } from "./chunks.js";
import type { ChatMessage, Received } from "./conversation.js";
import type { ExpectChunk } from "./expect/contract.js";
import { loadExpect } from "./expect/loader.js";
import { STRINGS } from "./i18n.js";
import { hoursWait, RETRY_MS } from "./hours.js";
import { loadIdentify } from "./identify/loader.js";
import { newToken } from "./ids.js";
import { loadMail } from "./mail/loader.js";
import type { ContactContext } from "./prechat/contract.js";
import { loadPrechat } from "./prechat/loader.js";
import { loadRating } from "./rating/loader.js";
import { Session, type SessionListener } from "./session.js";
import { cableUrl, resolveSettings, type Settings } from "./settings.js";
import { KEYS } from "./storage.js";
import { replyLine } from "./team.js";
import { View } from "./ui/view.js";
import type { Uploads } from "./uploads/contract.js";
import { loadUploads } from "./uploads/loader.js";

const TIME_REFRESH_MS = 30_000;

export class Widget implements ApiTarget {
  #view!: View;
  readonly #availability: Availability;
  #session: Session | undefined;
  #name: string | null;
  #clock: ReturnType<typeof setInterval> | undefined;
  #uploads: Promise<Uploads> | undefined;
  /** The name ask was shown in this panel. */
  #askedName = false;

  readonly #deps: AppContext;
  #settings: Settings;
  /** The server's latest word on the site: its hours and away message (§10). */
  #config: Partial<WidgetConfig>;
  #online = false;
  #reconnecting = false;
  #hoursTimer: ReturnType<typeof setTimeout> | undefined;
  /** The expect chunk, once loaded (expect/contract.ts): "Back …", message times, the acknowledgement. */
  #expect: ExpectChunk | undefined;
  /** The agent typing, if one is. */
  #typing: AgentRef | undefined;

  constructor(deps: AppContext) {
    this.#deps = deps;
    this.#config = deps.config ?? {};
    this.#settings = resolveSettings(deps.page, deps.config, deps.look);
    this.#name = deps.storage.get(KEYS.name);
    this.#mount();
    this.#availability = new Availability(this.#config.agents_online === true, (online) => {
      this.#online = online;
      this.#showPresence();
    });
    this.#watchHours();
    // A page opened from a reply email's link (#parley=…) goes on with that conversation: the
    // link is exchanged for its token before anything subscribes (mail/resume.ts).
    if (location.hash.includes("parley="))
      loadMail(deps.load)
        .then((mail) => mail.resume(deps))
        .then(
          (token) => {
            this.#adopt(token);
            if (token) this.open();
          },
          () => this.#follow(),
        );
    // A returning visitor reconnects at once, for replies that came while they were away.
    else if (deps.storage.get(KEYS.token)) this.#startSession();
    addEventListener("storage", (event) => {
      // Another tab read the replies: clear this tab's badge too.
      if (event.key?.startsWith(KEYS.seenId)) this.#refresh();
      // Another tab was identified as a contact who chats elsewhere: this one follows too.
      else this.#follow();
    });
  }

  /** Builds the panel; again, in the new language, when the site's changes (rare enough to redraw). */
  #mount(): void {
    const old = this.#view as View | undefined;
    const draft = old?.draft ?? "";
    const open = old?.isOpen ?? false;
    old?.remove();
    const { launcher, origin } = this.#deps;
    const settings = this.#settings;
    this.#view = new View(
      launcher,
      settings,
      STRINGS[settings.locale],
      launcher.words,
      {
        close: () => this.close(),
        send: (text) => this.#send(text),
        retry: (clientId) => this.#session?.retry(clientId),
        typing: (active) => this.#session?.typing(active),
        files: (files) => this.#attach(files),
      },
      origin,
    );
    this.#view.setTeam(this.#config.team ?? []);
    if (!old) return;
    // The upload code kept the old panel's tray and words: the next attach loads them anew.
    this.#uploads = undefined;
    this.#askedName = false;
    this.#view.draft = draft;
    this.#view.setReconnecting(this.#reconnecting);
    this.#showPresence();
    this.#refresh();
    if (open) this.#view.setOpen(true);
  }

  /** New settings for the site, live (`site_updated`) or fetched when the hours changed. */
  #apply(config: Partial<WidgetConfig>): void {
    this.#config = config;
    const was = this.#settings;
    this.#settings = resolveSettings(this.#deps.page, config, this.#deps.restyle(config));
    // A new language or privacy link redraws the panel (rare: an owner's change).
    if (this.#settings.locale !== was.locale || this.#settings.privacy !== was.privacy) this.#mount();
    else {
      this.#view.setTitle(this.#settings.title);
      this.#view.list.setGreeting(this.#settings.greeting);
      this.#view.setTeam(config.team ?? []);
    }
    if (typeof config.agents_online === "boolean") this.#availability.report(config.agents_online);
    this.#showPresence();
    this.#watchHours();
  }

  /**
   * Online and the typical reply time, or the away message and, while closed, when the team is
   * back. After a first message and until a reply, the acknowledgement says the same.
   */
  #showPresence(): void {
    const config = this.#config;
    const { locale, awayMessage } = this.#settings;
    const closed = config.within_hours === false;
    const away = this.#online && !closed ? null : awayMessage;
    const messages = this.#session?.conversation.list() ?? [];
    const waiting =
      messages.some((m) => m.sender === "visitor" && m.delivery === "sent") &&
      !messages.some((m) => m.sender === "admin");
    // Message times, typing, the acknowledgement: the chunk is there once there are messages.
    const expect = (closed && config.next_open_at) || messages[0] ? this.#loadExpect() : undefined;
    const { list } = this.#view;
    if (expect && !list.when) list.expect((iso) => expect.time(iso, Date.now(), locale), expect.rich);
    const back =
      (closed &&
        config.next_open_at &&
        expect?.back(config.next_open_at, config.time_zone, Date.now(), locale)) ||
      "";
    const line = away === null ? replyLine(config.reply_time_seconds, STRINGS[locale]) : back;
    this.#view.setPresence(away, line);
    this.#view.setAck((waiting && expect?.ack(locale, away === null ? [line] : [away, back])) || "");
    // "Get the reply by email" (the mail chunk says when), on a site that sends email.
    if (config.email_enabled && messages[0])
      this.#chunk(loadMail, (mail, context) => mail.ask(context, messages, away !== null, config), true);
  }

  /** Runs `use` with the expect chunk, fetched on first need; offline, it does nothing. */
  #afterwards(use: (expect: ExpectChunk, locale: Settings["locale"]) => void): void {
    loadExpect(this.#deps.load).then(
      (expect) => use(expect, this.#settings.locale),
      // Offline? Said without it; the next need asks again.
      () => {},
    );
  }

  /** The expect chunk if it is here; else it is fetched, and the presence shown again with it. */
  #loadExpect(): ExpectChunk | undefined {
    if (!this.#expect)
      this.#afterwards((expect) => {
        this.#expect = expect;
        this.#showPresence();
      });
    return this.#expect;
  }

  /** At the hours' next change the config is fetched again; a failed fetch keeps what is shown. */
  #watchHours(wait = hoursWait(this.#config.hours_change_at, Date.now())): void {
    clearTimeout(this.#hoursTimer);
    if (wait === undefined) return;
    this.#hoursTimer = setTimeout(() => {
      const retry = (): void => this.#watchHours(RETRY_MS);
      this.#deps.refetch().then((config) => (config ? this.#apply(config) : retry()), retry);
    }, wait);
  }

  open(): void {
    if (this.#view.isOpen) return;
    this.#startSession();
    this.#view.setOpen(true);
    // "Back today at 14:00" turns stale at midnight as "5 min" does in a minute.
    this.#clock = setInterval(() => {
      this.#view.list.refreshTimes();
      this.#showPresence();
    }, TIME_REFRESH_MS);
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

  /** Nothing changes until the server accepts (identify/post.ts says why it did not). */
  identify(visitor: Visitor): void {
    const { origin, page, storage } = this.#deps;
    const token = this.#token();
    loadIdentify(this.#deps.load)
      .then((identify) => identify(origin, page.site, token, visitor, storage))
      .then(
        (answer) => {
          if (!answer) return;
          if (typeof visitor.name === "string") this.#setName(visitor.name);
          if (answer.verified) storage.set(KEYS.verified, answer.token);
          if (answer.token !== token) this.#adopt(answer.token);
        },
        () => console.error("Parley: identify failed (network error)"),
      );
  }

  /** A token the server gave (identify, or a reply email's link): this browser goes on with it. */
  #adopt(token: string | undefined): void {
    if (token) this.#deps.storage.set(KEYS.token, token);
    this.#follow();
  }

  /** The stored token changed (identify, here or in another tab): the session goes on with it. */
  #follow(): void {
    const token = this.#deps.storage.get(KEYS.token);
    if (!token || token === this.#session?.token) return;
    this.#session?.stop();
    this.#session = undefined;
    // The upload code holds the old token.
    this.#uploads = undefined;
    this.#startSession();
    this.#refresh();
  }

  #setName(name: string): void {
    name = name.trim().slice(0, MAX_VISITOR_NAME_LENGTH);
    if (!name) return;
    this.#name = name;
    this.#deps.storage.set(KEYS.name, name);
    this.#deps.storage.set(KEYS.nameAsked, "1");
    this.#view.slot.querySelector(".ask")?.remove();
  }

  /** The visitor's token, made on first need. */
  #token(): string {
    const { storage } = this.#deps;
    let token = storage.get(KEYS.token);
    if (!token) {
      token = newToken();
      storage.set(KEYS.token, token);
    }
    return token;
  }

  /** Sends, unless the pre-chat form asks first: false keeps the text in the box until then. */
  #send(text: string): boolean {
    if (this.#asking()) return false;
    this.#startSession().send(text);
    return true;
  }

  /**
   * Whether the site's pre-chat form must be filled in before anything is sent (then it shows):
   * only before a first message, and never for a contact the site's back end verified.
   */
  #asking(): boolean {
    const { storage } = this.#deps;
    const fields = this.#config.prechat;
    if (
      !fields ||
      (fields.name === "off" && fields.email === "off") ||
      storage.get(KEYS.prechat) ||
      storage.get(KEYS.verified) === this.#token() ||
      this.#session?.conversation.highestId
    )
      return false;
    this.#chunk(loadPrechat, (chunk, context) =>
      chunk.prechat(context, fields, this.#name, (name) => {
        storage.set(KEYS.prechat, "1");
        storage.set(KEYS.nameAsked, "1");
        if (name) this.#setName(name);
        this.#view.submit();
      }),
    );
    return true;
  }

  /**
   * Runs `show` with a chunk that talks to the server for the visitor's contact (pre-chat, mail),
   * fetched on first use; `quiet`: a failure says nothing.
   */
  #chunk<T>(
    load: (loader: ChunkLoader) => Promise<T>,
    show: (chunk: T, context: ContactContext) => void,
    quiet = false,
  ): void {
    const { origin, page, storage } = this.#deps;
    const { locale } = this.#settings;
    load(this.#deps.load).then(
      (chunk) =>
        show(chunk, {
          origin,
          token: this.#token(),
          site: page.site,
          locale,
          slot: this.#view.slot,
          storage,
        }),
      () => {
        if (!quiet) this.#view.tray.textContent = STRINGS[locale].failed;
      },
    );
  }

  /** Uploads with the code fetched on first use; each batch is sent as messages of files. */
  #attach(files: File[]): void {
    // Files are a first message too: the visitor attaches them again once the form is done.
    if (this.#asking()) return;
    const session = this.#startSession();
    const { origin } = this.#deps;
    const settings = this.#settings;
    this.#uploads ??= loadUploads(this.#deps.load).then((create) =>
      create({
        origin,
        token: session.token,
        site: this.#deps.page.site,
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
    const listener: SessionListener = {
      changed: () => this.#refresh(),
      arrived: (message, how) => this.#arrived(message, how),
      availability: (online) => this.#availability.report(online),
      typing: (agent) => {
        this.#typing = agent;
        // Words from the expect chunk: an agent types only in a conversation, never before it.
        if (!agent) this.#view.typingLine.textContent = "";
        else
          this.#afterwards((expect, locale) => {
            const name = this.#typing?.name;
            this.#view.typingLine.textContent =
              name === undefined ? "" : expect.typing(locale, name || STRINGS[locale].agent);
          });
      },
      connection: (state: CableState) => {
        this.#reconnecting = state === "reconnecting";
        this.#view.setReconnecting(this.#reconnecting);
      },
      disconnected: () => this.#availability.connectionLost(),
      tooFast: (ms) => this.#afterwards((expect, locale) => expect.tooFast(this.#view.calm, ms, locale)),
      visitorName: (name) => {
        if (name && !this.#name) this.#setName(name);
      },
      siteUpdated: (config) => this.#apply(config),
      // (§18) The card comes with its chunk, fetched only now.
      rating: (event, send) => this.#chunk(loadRating, (show, context) => show(context, event, send), true),
    };
    this.#session = new Session(cableUrl(this.#deps.origin), this.#token(), () => this.#name, listener, {
      site: this.#deps.page.site,
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
    this.#showPresence();
    if (this.#view.isOpen && conversation.highestId > Number(storage.get(KEYS.seenId) ?? 0)) {
      storage.set(KEYS.seenId, String(conversation.highestId));
    }
    this.#view.setUnread(
      this.#view.isOpen ? 0 : conversation.unreadAfter(Number(storage.get(KEYS.seenId) ?? 0)),
    );
    const sentOne = messages.some((m) => m.sender === "visitor" && m.delivery === "sent");
    if (sentOne && !this.#name && !storage.get(KEYS.nameAsked) && !this.#askedName) {
      this.#askedName = true;
      this.#chunk(
        loadPrechat,
        (chunk, context) =>
          chunk.askName(context, (name) => (name ? this.#setName(name) : storage.set(KEYS.nameAsked, "1"))),
        true,
      );
    }
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
