/**
 * The visitor's side of the conversation: stored messages by id, and the visitor's own sends
 * by `client_id` until the server's echo confirms them. Every message is held once, whatever
 * replays, retries and tabs deliver (PROTOCOL.md §6: clients drop ids they already hold).
 */
import type { AgentRef, Attachment, Message, Sender } from "@parley/protocol";

export type Delivery = "pending" | "sent" | "failed";

export interface ChatMessage {
  /** Stable across pending → sent, so the view keeps one node per message. */
  key: string;
  id?: number;
  clientId?: string;
  sender: Sender;
  content: string;
  createdAt: string;
  agent?: AgentRef;
  /** Uploaded files (§9); a pending send already has them, from the upload's answer. */
  attachments?: Attachment[];
  delivery: Delivery;
  /** Creation order of unsent messages, which have no id to sort by. */
  order: number;
}

/** What receiving a stored message did: added it, confirmed one of our sends, or nothing. */
export type Received = "added" | "confirmed" | "duplicate";

export class Conversation {
  readonly #byKey = new Map<string, ChatMessage>();
  readonly #ids = new Set<number>();
  #counter = 0;
  highestId = 0;

  addPending(content: string, clientId: string, now: Date, attachments?: Attachment[]): ChatMessage {
    const message: ChatMessage = {
      key: `c${clientId}`,
      clientId,
      sender: "visitor",
      content,
      attachments,
      createdAt: now.toISOString(),
      delivery: "pending",
      order: this.#counter++,
    };
    this.#byKey.set(message.key, message);
    return message;
  }

  receive(stored: Message): { how: Received; held?: ChatMessage } {
    if (this.#ids.has(stored.id)) return { how: "duplicate" };
    this.#ids.add(stored.id);
    this.highestId = Math.max(this.highestId, stored.id);
    const key = stored.client_id ? `c${stored.client_id}` : `m${stored.id}`;
    const ours = this.#byKey.get(key);
    const held: ChatMessage = {
      key,
      id: stored.id,
      clientId: stored.client_id,
      sender: stored.sender,
      content: stored.content,
      createdAt: stored.created_at,
      agent: stored.agent,
      attachments: stored.attachments,
      delivery: "sent",
      order: ours?.order ?? this.#counter++,
    };
    this.#byKey.set(key, held);
    return { how: ours ? "confirmed" : "added", held };
  }

  setDelivery(clientId: string, delivery: "pending" | "failed"): ChatMessage | undefined {
    const message = this.#byKey.get(`c${clientId}`);
    if (!message || message.delivery === "sent") return undefined;
    message.delivery = delivery;
    return message;
  }

  /** Stored messages in id order, then unsent ones in the order they were written. */
  list(): ChatMessage[] {
    return [...this.#byKey.values()].sort((a, b) => {
      if (a.id !== undefined && b.id !== undefined) return a.id - b.id;
      if (a.id !== undefined) return -1;
      if (b.id !== undefined) return 1;
      return a.order - b.order;
    });
  }

  unsent(): ChatMessage[] {
    return this.list().filter((message) => message.delivery !== "sent");
  }

  /** Agent messages the visitor has not seen: those after the highest id seen with the panel open. */
  unreadAfter(seenId: number): number {
    let count = 0;
    for (const message of this.#byKey.values()) {
      if (message.sender === "admin" && (message.id ?? 0) > seenId) count++;
    }
    return count;
  }
}
