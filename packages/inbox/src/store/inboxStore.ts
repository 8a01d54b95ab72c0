/**
 * The inbox's state and everything that changes it: REST pages, the AdminChannel link, and the
 * agent's own actions. Components read snapshots through useInbox() and call these methods; the
 * pure steps live in ../state so they can be tested without a browser.
 */
import { messages } from "../i18n/index.js";
import {
  ACTIVITY_INTERVAL_MS,
  MAX_MESSAGE_LENGTH,
  type AdminAction,
  type AgentAvailability,
  type ConversationState,
  type Label,
  type AdminEvent,
  type Agent,
  type Contact,
  type CreateSocket,
  type Message,
  type Note,
  type Site,
  type UpdateContactRequest,
} from "@parley/protocol";
import { ApiError, messageOf } from "../api/http.js";
import { PAGE_SIZE, rest } from "../api/rest.js";
import { AdminLink, type LinkStatus, type Refusal } from "../live/adminLink.js";
import { addPage, emptyList } from "../state/conversationList.js";
import { filterQuery, type ListFilter } from "../state/filters.js";
import { newClientId } from "../state/ids.js";
import { applyEvent, forgetConversation, upsertConversation } from "../state/live.js";
import {
  addPending,
  EMPTY_THREAD,
  findPending,
  oldestId,
  setPendingState,
  type Thread,
} from "../state/thread.js";
import { upsertSite } from "../state/sites.js";
import { applyAvailability, shouldSendActivity } from "../state/availability.js";
import { removeLabel, sortLabels, upsertLabel } from "../state/labels.js";
import { applyCounts } from "../state/viewCounts.js";
import type { ContextEntry } from "../state/visitorContext.js";
import { nextLapse, pruneTyping } from "../state/typing.js";
import { initialState, type InboxState } from "./inboxState.js";
import { NotesStore } from "./notesStore.js";
import { PendingUploads } from "./pendingUploads.js";

/** A send with no answer this long is shown as failed, with a retry (same client_id: never twice). */
const SEND_TIMEOUT_MS = 10_000;
/** `typing: true` is renewed at most this often; the server lets it lapse after 3 s. */
const TYPING_RENEW_MS = 2000;
const REJECTED_RETRY_MS = 3000;

export interface StoreDeps {
  cableUrl: string;
  /** The session is over (revoked, expired, logged out elsewhere): back to the login page. */
  sessionEnded(message: string): void;
  /** The open conversation was deleted (by anyone). */
  openDeleted(): void;
  /** A visitor wrote, live (not a catch-up replay). */
  visitorMessage(conversationId: number, message: Message): void;
  /** Whether the agent can see the page now (tab visible). */
  pageVisible(): boolean;
  /** (§15) Someone else's note mentions this agent (live). */
  mentioned?(note: Note): void;
  /** Tests put a scripted socket here; the browser's WebSocket otherwise. */
  createSocket?: CreateSocket;
}

export const SESSION_ENDED = "Your session has ended. Please log in again.";

export class InboxStore {
  state: InboxState;
  readonly #listeners = new Set<() => void>();
  readonly #deps: StoreDeps;
  readonly #link: AdminLink;
  readonly #sendTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #typingSentAt = new Map<number, number>();
  readonly #fetching = new Set<number>();
  readonly #uploads = new PendingUploads({
    thread: (id) => this.state.threads.get(id) ?? EMPTY_THREAD,
    setThread: (id, thread) => this.#setThread(id, thread),
    notify: (text) => this.notify(text),
    send: (id, clientId) => this.#dispatchSend(id, clientId),
    stopped: () => this.#stopped,
  });
  /** Private notes (§15), a store of their own beside this one. */
  readonly notes: NotesStore;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #activitySentAt: number | null = null;
  #everConnected = false;
  #catchingUp = false;
  #stopped = false;

  constructor(me: Agent, deps: StoreDeps) {
    this.state = initialState(me);
    this.#deps = deps;
    this.notes = new NotesStore({
      perform: (action) => this.#link.perform(action),
      meId: () => this.state.me.id,
      mentioned: (note) => this.#deps.mentioned?.(note),
      looking: (id) => this.state.openId === id && this.#deps.pageVisible(),
      notify: (text) => this.notify(text),
    });
    this.#link = new AdminLink(
      {
        event: (event) => this.#onEvent(event),
        connected: () => this.#onConnected(),
        status: (status) => this.#onStatus(status),
        refused: (why) => this.#onRefused(why),
      },
      { url: deps.cableUrl, ...(deps.createSocket === undefined ? {} : { createSocket: deps.createSocket }) },
    );
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#link.start();
    void this.#fetchList(true);
    void this.refreshAgents();
    void this.refreshSites();
    void this.refreshLabels();
    void this.refreshCounts();
  }

  stop(): void {
    this.#stopped = true;
    this.#link.stop();
    this.notes.stop();
    for (const timer of this.#sendTimers.values()) clearTimeout(timer);
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#noticeTimer);
    this.#listeners.clear();
  }

  reconnectNow(): void {
    this.#link.reconnectNow();
  }

  // --- the list -------------------------------------------------------------------------------

  setFilter(filter: ListFilter): void {
    this.#set({ list: emptyList(filter) });
    void this.#fetchList(true);
  }

  loadMore(): void {
    const { list } = this.state;
    if (list.loading || list.nextBefore === undefined) return;
    this.#set({ list: { ...list, loading: true } });
    void this.#fetchList(false);
  }

  /** `fresh`: the first page (again); otherwise the page after the list's cursor. */
  async #fetchList(fresh: boolean): Promise<void> {
    const asked = this.state.list;
    try {
      const page = await rest.conversations(filterQuery(asked.filter), fresh ? undefined : asked.nextBefore);
      if (this.#stopped || this.state.list.filter !== asked.filter) return;
      let next = this.state;
      for (const conversation of page.conversations)
        next = upsertConversation(next, conversation, next.me.id);
      this.#set({
        conversations: next.conversations,
        list: addPage(next.list, page, next.conversations, { fresh }),
      });
    } catch (error) {
      if (this.#stopped || this.state.list.filter !== asked.filter) return;
      this.#set({ list: { ...this.state.list, loading: false, error: messageOf(error) } });
    }
  }

  async refreshAgents(): Promise<void> {
    try {
      const { agents } = await rest.agents();
      const me = agents.find((agent) => agent.id === this.state.me.id) ?? this.state.me;
      if (!this.#stopped) this.#set({ agents, me });
    } catch {
      /* the team list is a nicety for names; the inbox works without it */
    }
  }

  async refreshSites(): Promise<void> {
    try {
      const { sites } = await rest.sites();
      if (!this.#stopped)
        this.#set({ sites: sites.reduce(upsertSite, [] as readonly Site[]), sitesLoaded: true });
    } catch {
      // Names and the site filter are niceties: the list works without them.
      if (!this.#stopped) this.#set({ sitesLoaded: true });
    }
  }

  /** (§15) GET /labels; labels_updated keeps them live. */
  async refreshLabels(): Promise<void> {
    try {
      const { labels } = await rest.labels();
      if (!this.#stopped) this.#set({ labels: sortLabels(labels) });
    } catch {
      /* chips and the label filter are niceties: the list works without them */
    }
  }

  /** (§15) GET /conversations/counts; view_counts keeps them live. */
  async refreshCounts(): Promise<void> {
    try {
      const counts = await rest.counts();
      if (!this.#stopped) this.#set({ viewCounts: applyCounts(this.state.viewCounts, counts) });
    } catch {
      /* the tabs show no numbers until view_counts says */
    }
  }

  /** A label saved or deleted in the settings, before (or instead of) its `labels_updated`. */
  labelChanged(label: Label): void {
    this.#set({ labels: upsertLabel(this.state.labels, label) });
  }

  labelDeleted(id: number): void {
    this.#set({ labels: removeLabel(this.state.labels, id) });
  }

  /** (§15) Open, pending, snoozed (until a time, or null: the visitor's reply) or resolved. */
  setState(conversationId: number, state: ConversationState, snoozedUntil: string | null = null): boolean {
    return this.act({
      action: "set_state",
      conversation_id: conversationId,
      state,
      ...(state === "snoozed" ? { snoozed_until: snoozedUntil } : {}),
    });
  }

  /** (§15) The conversation's whole set of labels. */
  setLabels(conversationId: number, labelIds: number[]): boolean {
    return this.act({ action: "set_labels", conversation_id: conversationId, label_ids: labelIds });
  }

  /** (§15) What I chose; shown at once, the server's agent_availability confirms it. */
  setAvailability(availability: AgentAvailability): boolean {
    const sent = this.#link.perform({ action: "set_availability", availability });
    if (!sent) {
      this.notify(messages().youAreOffline);
      return false;
    }
    // Others see what I chose while this inbox is connected and in use.
    this.#applyAvailability({ agent_id: this.state.me.id, availability, chosen_availability: availability });
    return true;
  }

  /** The agent pressed a key or the pointer: tell the server, at most every ACTIVITY_INTERVAL_MS. */
  activity(): void {
    const now = Date.now();
    if (!shouldSendActivity(now, this.#activitySentAt, this.#deps.pageVisible(), ACTIVITY_INTERVAL_MS))
      return;
    if (this.#link.perform({ action: "activity" })) this.#activitySentAt = now;
  }

  #applyAvailability(change: {
    agent_id: number;
    availability: AgentAvailability;
    chosen_availability: AgentAvailability;
  }): void {
    const { me, agents } = this.state;
    this.#set({
      agents: applyAvailability(agents, change),
      me: me.id === change.agent_id ? (applyAvailability([me], change)[0] ?? me) : me,
    });
  }

  /** A site saved in the settings pages, before (or instead of) its `site_updated`. */
  siteChanged(site: Site): void {
    this.#set({ sites: upsertSite(this.state.sites, site) });
  }

  setMe(me: Agent): void {
    this.#set({ me, agents: this.state.agents.map((agent) => (agent.id === me.id ? me : agent)) });
  }

  // --- one conversation -----------------------------------------------------------------------

  open(conversationId: number | null): void {
    const previous = this.state.openId;
    if (previous === conversationId) return;
    if (previous !== null) this.typing(previous, false);
    this.#set({ openId: conversationId });
    if (conversationId === null) return;
    if (!this.state.conversations.has(conversationId)) void this.#fetchConversation(conversationId, true);
    const thread = this.state.threads.get(conversationId);
    if (thread === undefined || !thread.loaded) this.#requestHistory(conversationId);
    this.notes.load(conversationId);
    if (this.#deps.pageVisible()) this.notes.seen(conversationId);
    this.markRead(conversationId);
  }

  /** The agent looks at the page again: what is on screen is read. */
  pageShown(): void {
    if (this.state.openId !== null) this.markRead(this.state.openId);
    if (this.state.openId !== null) this.notes.seen(this.state.openId);
  }

  markRead(conversationId: number): void {
    const conversation = this.state.conversations.get(conversationId);
    if (!conversation || conversation.unread_count === 0 || !this.#deps.pageVisible()) return;
    if (this.#link.perform({ action: "mark_read", conversation_id: conversationId })) {
      // Shown as read now; the server's conversation_updated confirms it for every agent.
      this.#set(upsertConversation(this.state, { ...conversation, unread_count: 0 }, this.state.me.id));
    }
  }

  loadOlder(conversationId: number): void {
    const thread = this.state.threads.get(conversationId);
    const before = thread && oldestId(thread);
    if (!thread || !thread.loaded || !thread.hasMore || thread.loadingOlder || before === undefined) return;
    const action: AdminAction = {
      action: "get_history",
      conversation_id: conversationId,
      before_id: before,
      limit: PAGE_SIZE,
    };
    if (this.#link.perform(action)) this.#setThread(conversationId, { ...thread, loadingOlder: true });
  }

  send(conversationId: number, text: string): boolean {
    const content = text.trim();
    if (content === "") return false;
    if (content.length > MAX_MESSAGE_LENGTH) {
      this.notify(messages().messagesLimited(MAX_MESSAGE_LENGTH));
      return false;
    }
    const clientId = newClientId();
    const thread = this.state.threads.get(conversationId) ?? EMPTY_THREAD;
    this.#setThread(
      conversationId,
      addPending(thread, {
        client_id: clientId,
        content,
        created_at: new Date().toISOString(),
        state: "sending",
        error: null,
      }),
    );
    // The server ends our typing when the message is stored.
    this.#typingSentAt.delete(conversationId);
    this.#dispatchSend(conversationId, clientId);
    return true;
  }

  /** Files picked, pasted or dropped: each message of files is sent once they are uploaded. */
  attach(conversationId: number, files: readonly File[]): void {
    this.#uploads.attach(conversationId, files);
  }

  retry(conversationId: number, clientId: string): void {
    const thread = this.state.threads.get(conversationId);
    if (!thread || this.#uploads.retry(conversationId, clientId)) return;
    this.#setThread(conversationId, setPendingState(thread, clientId, "sending"));
    this.#dispatchSend(conversationId, clientId);
  }

  /** The agent's composer has text (or not): tell the visitor and the team, without flooding. */
  typing(conversationId: number, hasText: boolean): void {
    const sentAt = this.#typingSentAt.get(conversationId);
    const now = Date.now();
    if (hasText && (sentAt === undefined || now - sentAt >= TYPING_RENEW_MS)) {
      if (this.#link.perform({ action: "typing", conversation_id: conversationId, typing: true })) {
        this.#typingSentAt.set(conversationId, now);
      }
    } else if (!hasText && sentAt !== undefined) {
      this.#typingSentAt.delete(conversationId);
      this.#link.perform({ action: "typing", conversation_id: conversationId, typing: false });
    }
  }

  /** close, reopen, assign, states, labels: false (with a notice) when offline, so nothing looks done that is not. */
  act(
    action: Extract<AdminAction, { action: "close" | "reopen" | "assign" | "set_state" | "set_labels" }>,
  ): boolean {
    const sent = this.#link.perform(action);
    if (!sent) this.notify(messages().youAreOffline);
    return sent;
  }

  async remove(conversationId: number): Promise<void> {
    await rest.deleteConversation(conversationId);
    this.#set(forgetConversation(this.state, conversationId));
  }

  notify(notice: string | null): void {
    clearTimeout(this.#noticeTimer);
    this.#set({ notice });
    if (notice !== null) this.#noticeTimer = setTimeout(() => this.#set({ notice: null }), 6000);
  }

  // --- the visitor's context and contacts (§12) ---------------------------------------------

  /** GET /conversations/:id/context; the answer shown before stays while it loads again. */
  async loadContext(conversationId: number): Promise<void> {
    const before = this.state.contexts.get(conversationId);
    this.#setContext(conversationId, { data: before?.data ?? null, loading: true, error: null });
    try {
      const data = await rest.context(conversationId);
      if (!this.#stopped) this.#setContext(conversationId, { data, loading: false, error: null });
    } catch (error) {
      if (!this.#stopped)
        this.#setContext(conversationId, {
          data: before?.data ?? null,
          loading: false,
          error: messageOf(error),
        });
    }
  }

  /** PATCH /contacts/:id; the saved contact replaces its copies in every loaded context. */
  async updateContact(contactId: number, patch: UpdateContactRequest): Promise<Contact> {
    const { contact } = await rest.updateContact(contactId, patch);
    this.contactChanged(contact);
    return contact;
  }

  contactChanged(contact: Contact): void {
    let contexts: Map<number, ContextEntry> | null = null;
    for (const [id, entry] of this.state.contexts) {
      if (entry.data?.contact?.id !== contact.id) continue;
      contexts ??= new Map(this.state.contexts);
      contexts.set(id, { ...entry, data: { ...entry.data, contact } });
    }
    if (contexts !== null) this.#set({ contexts });
  }

  /**
   * POST /contacts/:id/merge: `otherId` is gone afterwards, and every context that showed either
   * contact is stale (past conversations, joined fields): those are fetched again.
   */
  async mergeContacts(survivorId: number, otherId: number): Promise<Contact> {
    const { contact } = await rest.mergeContacts(survivorId, { contact_id: otherId });
    for (const [id, entry] of this.state.contexts) {
      const shown = entry.data?.contact?.id;
      if (shown === survivorId || shown === otherId) void this.loadContext(id);
    }
    return contact;
  }

  #setContext(conversationId: number, entry: ContextEntry): void {
    this.#set({ contexts: new Map(this.state.contexts).set(conversationId, entry) });
  }

  /** A conversation that became another contact's (identified, merged): its context is stale. */
  #refreshContactsOf(before: InboxState["conversations"]): void {
    const after = this.state.conversations;
    if (after === before) return;
    for (const id of this.state.contexts.keys()) {
      const was = before.get(id);
      const now = after.get(id);
      if (was !== undefined && now !== undefined && was.contact_id !== now.contact_id)
        void this.loadContext(id);
    }
  }

  // --- the live link --------------------------------------------------------------------------

  #onEvent(event: AdminEvent): void {
    const { me, openId } = this.state;
    const readingId = openId !== null && this.#deps.pageVisible() ? openId : null;
    const conversationsBefore = this.state.conversations;
    this.#set(applyEvent(this.state, event, { meId: me.id, nowMs: Date.now(), readingId }));
    this.#refreshContactsOf(conversationsBefore);
    this.notes.onEvent(event);
    switch (event.type) {
      case "caught_up":
        // The replay is over: what follows is news. Its last_id is where a reconnect resumes,
        // also after a first subscribe, which replays nothing.
        this.#catchingUp = false;
        this.#link.seen(event.last_id);
        return;
      case "new_message": {
        this.#link.seen(event.message.id);
        this.#settleSend(event.message);
        const id = event.conversation_id;
        if (!this.state.conversations.has(id)) void this.#fetchConversation(id, false);
        if (event.message.sender === "visitor") {
          if (readingId === id) this.#link.perform({ action: "mark_read", conversation_id: id });
          if (!this.#catchingUp) this.#deps.visitorMessage(id, event.message);
        }
        return;
      }
      case "history":
        for (const message of event.messages) this.#link.seen(message.id);
        return;
      case "typing":
        this.#scheduleTypingPrune();
        return;
      case "conversation_deleted":
        if (event.conversation_id === openId) this.#deps.openDeleted();
        return;
      case "error":
        if (event.client_id === undefined) this.notify(event.error);
        else this.#clearSendTimer(event.client_id);
        return;
      case "site_updated":
        this.siteChanged(event.site);
        return;
      case "labels_updated":
        this.#set({ labels: sortLabels(event.labels) });
        return;
      case "view_counts":
        this.#set({ viewCounts: applyCounts(this.state.viewCounts, event.counts) });
        return;
      case "agent_availability":
        this.#applyAvailability(event);
        return;
      case "note_created":
      case "notes":
      case "conversations":
      case "conversation_updated":
      case "visitor_page":
        return;
    }
  }

  #onConnected(): void {
    const reconnected = this.#everConnected;
    this.#everConnected = true;
    // A resubscribe with `since` replays what was missed between the confirmation and
    // `caught_up`; those are not news worth a sound.
    this.#catchingUp = this.#link.since > 0;
    for (const [conversationId, thread] of this.state.threads) {
      for (const pending of thread.pending)
        if (pending.state === "sending") this.#dispatchSend(conversationId, pending.client_id);
    }
    const { openId } = this.state;
    this.notes.connected(openId);
    if (openId !== null) {
      const thread = this.state.threads.get(openId);
      if (!thread?.loaded) this.#requestHistory(openId);
      this.markRead(openId);
    }
    if (reconnected) {
      // Changes other than messages (status, assignee, deletions) are not replayed: refetch.
      void this.#fetchList(true);
      void this.refreshSites();
      void this.refreshLabels();
      void this.refreshAgents();
      if (openId !== null) void this.#fetchConversation(openId, true);
    }
  }

  #onStatus(status: LinkStatus): void {
    if (status !== this.state.status) this.#set({ status });
  }

  #onRefused(why: Refusal): void {
    if (this.#stopped) return;
    if (why === "unauthorized") {
      this.#deps.sessionEnded(SESSION_ENDED);
      return;
    }
    if (why === "closed") {
      this.notify(messages().liveClosed);
      return;
    }
    // Rejected: a session that lapsed while we were away, or a server hiccup. Ask which.
    rest.me().then(
      () => setTimeout(() => this.#link.resubscribe(), REJECTED_RETRY_MS),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) this.#deps.sessionEnded(SESSION_ENDED);
        else setTimeout(() => this.#link.resubscribe(), REJECTED_RETRY_MS);
      },
    );
  }

  // --- helpers --------------------------------------------------------------------------------

  #requestHistory(conversationId: number): void {
    if (!this.state.threads.has(conversationId)) this.#setThread(conversationId, EMPTY_THREAD);
    // When offline, #onConnected asks again for the open conversation.
    this.#link.perform({ action: "get_history", conversation_id: conversationId, limit: PAGE_SIZE });
  }

  async #fetchConversation(conversationId: number, opened: boolean): Promise<void> {
    if (this.#fetching.has(conversationId)) return;
    this.#fetching.add(conversationId);
    try {
      const { conversation } = await rest.conversation(conversationId);
      if (!this.#stopped) this.#set(upsertConversation(this.state, conversation, this.state.me.id));
    } catch (error) {
      if (
        opened &&
        error instanceof ApiError &&
        error.status === 404 &&
        this.state.openId === conversationId
      ) {
        this.#deps.openDeleted();
      }
    } finally {
      this.#fetching.delete(conversationId);
    }
  }

  #dispatchSend(conversationId: number, clientId: string): void {
    const pending = findPending(this.state.threads.get(conversationId) ?? EMPTY_THREAD, clientId);
    if (!pending) return;
    const ids = pending.attachments?.map((attachment) => attachment.id) ?? [];
    const sent = this.#link.perform({
      action: "send_message",
      conversation_id: conversationId,
      content: pending.content,
      client_id: clientId,
      ...(ids.length > 0 ? { attachment_ids: ids } : {}),
    });
    // Unsent (offline) stays "sending" and goes out on reconnect; sent waits for its echo.
    if (!sent) return;
    this.#clearSendTimer(clientId);
    this.#sendTimers.set(
      clientId,
      setTimeout(() => {
        this.#sendTimers.delete(clientId);
        const thread = this.state.threads.get(conversationId);
        if (thread && findPending(thread, clientId)?.state === "sending") {
          this.#setThread(conversationId, setPendingState(thread, clientId, "failed", messages().noAnswer));
        }
      }, SEND_TIMEOUT_MS),
    );
  }

  #settleSend(message: Message): void {
    if (message.client_id !== undefined) this.#clearSendTimer(message.client_id);
  }

  #clearSendTimer(clientId: string): void {
    clearTimeout(this.#sendTimers.get(clientId));
    this.#sendTimers.delete(clientId);
  }

  #scheduleTypingPrune(): void {
    clearTimeout(this.#typingTimer);
    const lapse = nextLapse(this.state.typing);
    if (lapse === undefined) return;
    this.#typingTimer = setTimeout(
      () => {
        this.#set({ typing: pruneTyping(this.state.typing, Date.now()) });
        this.#scheduleTypingPrune();
      },
      Math.max(50, lapse - Date.now() + 10),
    );
  }

  #setThread(conversationId: number, thread: Thread): void {
    this.#set({ threads: new Map(this.state.threads).set(conversationId, thread) });
  }

  #set(patch: Partial<InboxState>): void {
    if (this.#stopped) return;
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener();
  }
}
