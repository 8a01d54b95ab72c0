/**
 * Private notes (§15) beside the inbox store: asked for with `get_notes` when a conversation is
 * opened (and again after a reconnect, since notes are not replayed with `since`), kept live by
 * `note_created`, written with `add_note` (shown at once as *Sending…*, settled by the echo of
 * its `client_id`, or *Not sent* with a retry that reuses it).
 */
import { messages } from "../i18n/index.js";
import { MAX_NOTE_LENGTH, type AdminAction, type AdminEvent, type Note } from "@parley/protocol";
import { newClientId } from "../state/ids.js";
import {
  addNotes,
  addPendingNote,
  EMPTY_NOTES,
  mentionsMe,
  setPendingNote,
  type NoteThread,
} from "../state/notes.js";

const SEND_TIMEOUT_MS = 10_000;

export interface NotesDeps {
  perform(action: AdminAction): boolean;
  meId(): number;
  /** Someone else's note mentions this agent (live). */
  mentioned(note: Note): void;
  /** The agent has this conversation on screen now. */
  looking(conversationId: number): boolean;
  notify(text: string): void;
}

export interface NotesState {
  threads: ReadonlyMap<number, NoteThread>;
  /** Conversations with a note that mentions this agent, not looked at since. */
  mentionedIn: ReadonlySet<number>;
}

export class NotesStore {
  state: NotesState = { threads: new Map(), mentionedIn: new Set() };
  readonly #deps: NotesDeps;
  readonly #listeners = new Set<() => void>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #asked = new Set<number>();
  #stopped = false;

  constructor(deps: NotesDeps) {
    this.#deps = deps;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  thread(conversationId: number): NoteThread {
    return this.state.threads.get(conversationId) ?? EMPTY_NOTES;
  }

  /** Asks for a conversation's notes unless they are held (or asked for already). */
  load(conversationId: number, again = false): void {
    if (!again && (this.thread(conversationId).loaded || this.#asked.has(conversationId))) return;
    if (this.#deps.perform({ action: "get_notes", conversation_id: conversationId }))
      this.#asked.add(conversationId);
  }

  /** The link is back: notes written meanwhile are not replayed, so ask again; resend pending. */
  connected(openId: number | null): void {
    this.#asked.clear();
    if (openId !== null) this.load(openId, true);
    for (const [conversationId, thread] of this.state.threads)
      for (const pending of thread.pending)
        if (pending.state === "sending") this.#dispatch(conversationId, pending.client_id);
  }

  /** The agent looks at the conversation: its mentions are seen. */
  seen(conversationId: number): void {
    if (!this.state.mentionedIn.has(conversationId)) return;
    const mentionedIn = new Set(this.state.mentionedIn);
    mentionedIn.delete(conversationId);
    this.#set({ mentionedIn });
  }

  add(conversationId: number, text: string): boolean {
    const content = text.trim();
    if (content === "") return false;
    if (content.length > MAX_NOTE_LENGTH) {
      this.#deps.notify(messages().notesLimited(MAX_NOTE_LENGTH));
      return false;
    }
    const clientId = newClientId();
    this.#setThread(
      conversationId,
      addPendingNote(this.thread(conversationId), {
        client_id: clientId,
        content,
        created_at: new Date().toISOString(),
        state: "sending",
        error: null,
      }),
    );
    this.#dispatch(conversationId, clientId);
    return true;
  }

  retry(conversationId: number, clientId: string): void {
    this.#setThread(conversationId, setPendingNote(this.thread(conversationId), clientId, "sending"));
    this.#dispatch(conversationId, clientId);
  }

  onEvent(event: AdminEvent): void {
    switch (event.type) {
      case "notes":
        this.#asked.delete(event.conversation_id);
        this.#setThread(
          event.conversation_id,
          addNotes(this.thread(event.conversation_id), event.notes, true),
        );
        return;
      case "note_created": {
        const { note } = event;
        if (note.client_id !== undefined) this.#clearTimer(note.client_id);
        this.#setThread(note.conversation_id, addNotes(this.thread(note.conversation_id), [note]));
        if (mentionsMe(note, this.#deps.meId())) {
          if (!this.#deps.looking(note.conversation_id))
            this.#set({ mentionedIn: new Set(this.state.mentionedIn).add(note.conversation_id) });
          this.#deps.mentioned(note);
        }
        return;
      }
      case "error":
        if (event.client_id !== undefined) this.#failed(event.client_id, event.error);
        return;
      case "conversation_deleted": {
        const threads = new Map(this.state.threads);
        threads.delete(event.conversation_id);
        this.#set({ threads });
        return;
      }
      default:
        return;
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#listeners.clear();
  }

  #dispatch(conversationId: number, clientId: string): void {
    const pending = this.thread(conversationId).pending.find((p) => p.client_id === clientId);
    if (!pending) return;
    const sent = this.#deps.perform({
      action: "add_note",
      conversation_id: conversationId,
      content: pending.content,
      client_id: clientId,
    });
    // Offline: it stays "sending" and goes out on reconnect.
    if (!sent) return;
    this.#clearTimer(clientId);
    this.#timers.set(
      clientId,
      setTimeout(() => {
        this.#timers.delete(clientId);
        this.#failed(clientId, messages().noAnswer);
      }, SEND_TIMEOUT_MS),
    );
  }

  #failed(clientId: string, error: string): void {
    this.#clearTimer(clientId);
    for (const [conversationId, thread] of this.state.threads) {
      if (thread.pending.some((p) => p.client_id === clientId && p.state === "sending"))
        this.#setThread(conversationId, setPendingNote(thread, clientId, "failed", error));
    }
  }

  #clearTimer(clientId: string): void {
    clearTimeout(this.#timers.get(clientId));
    this.#timers.delete(clientId);
  }

  #setThread(conversationId: number, thread: NoteThread): void {
    this.#set({ threads: new Map(this.state.threads).set(conversationId, thread) });
  }

  #set(patch: Partial<NotesState>): void {
    if (this.#stopped) return;
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener();
  }
}
