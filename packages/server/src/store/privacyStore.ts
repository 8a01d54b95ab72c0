/**
 * The store's part for privacy (protocol §17): what an erasure or the retention job deletes, in
 * one transaction per call, and which conversations retention finds expired.
 */
import type { StoredAttachment } from "./store.js";

/** Whose records go: the conversations, the contacts, and the visitor tokens they chatted as. */
export interface ErasureScope {
  conversationIds: number[];
  contactIds: number[];
  /** Their visitor rows (context, pages) and the uploads they never sent go too. */
  visitorTokens: string[];
  /**
   * Only visitor rows last seen before this time (retention: a visitor still browsing keeps
   * their context); absent: every one of `visitorTokens` and of the contacts.
   */
  visitorsSeenBefore?: string;
}

/** What one erasure deleted (EraseResponse's counts). */
export interface ErasedCounts {
  conversations: number;
  messages: number;
  files: number;
  contacts: number;
}

export interface PrivacyStore {
  /** The files the scope holds (sent or only uploaded): their blobs go before the rows. */
  listErasableAttachments(scope: ErasureScope): Promise<StoredAttachment[]>;
  /**
   * Deletes, in one transaction, every row of the scope: conversations, messages, notes, labels
   * on them, push throttles, attachments, email outbox/threads/inbound rows, webhook deliveries,
   * visitors and their pages, contacts. `blobKeys`: the files of the attachment rows it deleted
   * (originals and thumbnails), for a file sent since listErasableAttachments looked.
   */
  eraseRecords(scope: ErasureScope): Promise<{ counts: ErasedCounts; blobKeys: string[] }>;
  /** Tokens of the contact's visitor rows, its own session token, and its conversations' tokens. */
  listContactTokens(contactId: number): Promise<string[]>;
  /**
   * Resolved conversations whose last message (or, with none, last change) is before `cutoff`,
   * lowest ids first, at most `limit`.
   */
  listExpiredConversations(cutoff: string, limit: number): Promise<number[]>;
}
