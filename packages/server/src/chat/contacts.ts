/**
 * Contacts (protocol §12): who a site's visitors are. A token becomes a contact when the site
 * identifies it (verified with the site's HMAC, or only claimed) or the visitor leaves a name or
 * an email. A verified contact is one per (site, id): a second browser identified as them adopts
 * the contact's token, so all their devices share one conversation. Unverified claims are kept
 * on the token's own contact and never merged by the server; agents merge by hand.
 */
import { randomBytes } from "node:crypto";
import {
  MAX_CONTACT_ATTRIBUTES,
  MAX_VISITOR_NAME_LENGTH,
  type Contact,
  type ContactAttributeValue,
  type ContactDetailResponse,
  type Conversation,
  type ConversationContextResponse,
  type IdentifyResponse,
} from "@parley/protocol";
import { UniqueViolationError } from "../store/errors.js";
import type { ContactPatch, StoredContact, StoredConversation, StoredVisitor } from "../store/store.js";
import type { ChatContext } from "./context.js";
import * as check from "./contactValidation.js";
import { ChatError, invalid, notFound, TooManyError } from "./errors.js";
import { isIdentityHashFor } from "./identityHash.js";
import type { Answerer } from "./siteScope.js";
import { toWireConversation } from "./toWire.js";
import { isVisitorToken } from "./validate.js";
import { visitorNameBeside } from "./visitorNames.js";
import { toWireContext } from "./visitorContext.js";

export const DEFAULT_CONTACTS_PAGE = 50;
export const MAX_CONTACTS_PAGE = 100;
/** The contact's other conversations shown beside one (ConversationContextResponse). */
const PAST_CONVERSATIONS = 20;
/** A contact's conversations on its page, newest first. */
const CONTACT_CONVERSATIONS = 100;
/** Conversations moved by a merge that agents are told about, one `conversation_updated` each. */
const ANNOUNCED_MOVES = 1000;

export interface IdentifyInput {
  token: unknown;
  id?: unknown;
  hash?: unknown;
  email?: unknown;
  name?: unknown;
  attributes?: unknown;
}

export interface ContactDetailsInput {
  token: unknown;
  name?: unknown;
  email?: unknown;
  /** (§16) The widget's language, for the contact's emails. */
  locale?: unknown;
}

export interface ContactUpdate {
  name?: unknown;
  email?: unknown;
  attributes?: unknown;
}

export interface ContactQuery {
  siteId?: number;
  search?: string;
  beforeId?: number;
  limit?: number;
}

/** What identify and contact details claim, checked. undefined: not given. */
interface Claims {
  name: string | null | undefined;
  email: string | null | undefined;
  attributes: Record<string, ContactAttributeValue | null>;
}

const identityFailed = () => new ChatError("forbidden", "Identity verification failed");
const identityRequired = () => new ChatError("forbidden", "Identity verification required");

/** 32 characters of [A-Za-z0-9_-] (VISITOR_TOKEN_PATTERN), 192 random bits. */
function newVisitorToken(): string {
  return randomBytes(24).toString("base64url");
}

function token(value: unknown): string {
  if (!isVisitorToken(value)) throw invalid("token must be 16-128 of A-Z, a-z, 0-9, _ and -");
  return value;
}

export class Contacts {
  constructor(private readonly chat: ChatContext) {}

  toWire(contact: StoredContact): Contact {
    return {
      id: contact.id,
      site_id: contact.siteId,
      external_id: contact.externalId,
      verified: contact.verified,
      name: contact.name,
      email: contact.email,
      attributes: contact.attributes,
      locale: contact.locale,
      email_unsubscribed_at: contact.emailUnsubscribedAt,
      first_seen_at: contact.firstSeenAt,
      last_seen_at: contact.lastSeenAt,
      created_at: contact.createdAt,
      updated_at: contact.updatedAt,
    };
  }

  /** Counts one identify or contact-details call per token and per address; 429 past either. */
  async admitWrite(visitorToken: unknown, address: string): Promise<void> {
    const { limits } = this.chat;
    const checks = [limits.contactWritesPerAddress.take(address)];
    if (isVisitorToken(visitorToken)) checks.push(limits.contactWritesPerToken.take(visitorToken));
    for (const result of await Promise.all(checks)) {
      if (!result.ok) {
        const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        throw new TooManyError(`Too many requests, try again in ${seconds} s`, result.retryAfterMs);
      }
    }
  }

  /**
   * `POST /widget/identify` on a live site whose origins the caller passed. Every check comes
   * before the first write: a refused identify stores nothing.
   */
  async identify(siteId: number, input: IdentifyInput): Promise<IdentifyResponse> {
    const visitorToken = token(input.token);
    const externalId = input.id === undefined ? undefined : check.externalId(input.id);
    const claims = this.claims(input);
    // Read now, not from memory: a rotation on another node counts at once.
    const site = await this.chat.store.getSite(siteId);
    if (site === undefined) throw notFound("Site");
    if (input.hash !== undefined) {
      if (externalId === undefined) throw invalid("hash needs the id it signs");
      // An empty secret (a site a server before migration 007 created mid-deploy) signs nothing.
      if (
        typeof input.hash !== "string" ||
        site.identitySecret === "" ||
        !isIdentityHashFor(site.identitySecret, externalId, input.hash)
      )
        throw identityFailed();
      return this.identifyVerified(siteId, visitorToken, externalId, claims);
    }
    if (externalId !== undefined && site.identityRequired) throw identityRequired();
    return this.identifyClaimed(siteId, visitorToken, externalId, claims);
  }

  /** `POST /widget/contact`: the token's contact, made (unverified) or with its blanks filled. */
  async details(siteId: number, input: ContactDetailsInput): Promise<void> {
    const visitorToken = token(input.token);
    const name = input.name === undefined ? undefined : check.contactName(input.name);
    const email = input.email === undefined ? undefined : check.email(input.email);
    const locale = input.locale === undefined ? undefined : check.locale(input.locale);
    const at = this.now();
    const visitor = await this.chat.store.ensureVisitor(siteId, visitorToken, at);
    const own = visitor.contactId === null ? undefined : await this.chat.store.getContact(visitor.contactId);
    let contact: StoredContact;
    if (own === undefined) {
      if ((name ?? null) === null && (email ?? null) === null) return;
      contact = await this.chat.store.createContact({
        siteId,
        externalId: null,
        verified: false,
        name: name ?? null,
        email: email ?? null,
        attributes: {},
        sessionToken: visitorToken,
        locale: locale ?? null,
        at,
      });
    } else {
      const patch: ContactPatch = { at, lastSeenAt: at };
      if (own.name === null && name) patch.name = name;
      if (own.email === null && email) patch.email = email;
      // The widget's language now: the emails follow the browser the visitor uses.
      if (locale !== undefined && locale !== own.locale) patch.locale = locale;
      contact = (await this.chat.store.updateContact(own.id, patch)) ?? own;
    }
    await this.attach(siteId, visitor, contact, name ?? undefined);
  }

  async list(
    agent: Answerer,
    query: ContactQuery,
  ): Promise<{ contacts: Contact[]; nextCursor: number | null }> {
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_CONTACTS_PAGE, 1), MAX_CONTACTS_PAGE);
    const siteIds = (await this.chat.teams.scopeOf(agent.id)).filter(query.siteId);
    const search = query.search?.trim();
    const rows = await this.chat.store.listContacts({
      limit,
      ...(siteIds === undefined ? {} : { siteIds }),
      ...(search ? { search: search.slice(0, 200) } : {}),
      ...(query.beforeId === undefined ? {} : { beforeId: query.beforeId }),
    });
    const last = rows[rows.length - 1];
    return {
      contacts: rows.map((row) => this.toWire(row)),
      nextCursor: rows.length === limit && last !== undefined ? last.id : null,
    };
  }

  /** The contact, if the agent answers its site; "Contact not found" otherwise. */
  async find(agent: Answerer, id: number): Promise<StoredContact> {
    const [contact, scope] = await Promise.all([
      this.chat.store.getContact(id),
      this.chat.teams.scopeOf(agent.id),
    ]);
    if (contact === undefined || !scope.covers(contact.siteId)) throw notFound("Contact");
    return contact;
  }

  async get(agent: Answerer, id: number): Promise<ContactDetailResponse> {
    const contact = await this.find(agent, id);
    const conversations = await this.chat.store.listConversations({
      contactId: contact.id,
      limit: CONTACT_CONVERSATIONS,
    });
    return { contact: this.toWire(contact), conversations: await this.wireConversations(conversations) };
  }

  /** `PATCH /contacts/:id`: present fields change; attributes merge, null removes. */
  async update(agent: Answerer, id: number, request: ContactUpdate): Promise<Contact> {
    const contact = await this.find(agent, id);
    const patch: ContactPatch = { at: this.now() };
    if (request.name !== undefined) patch.name = check.contactName(request.name);
    if (request.email !== undefined) patch.email = check.email(request.email);
    if (request.attributes !== undefined)
      patch.attributes = check.withAttributes(contact.attributes, check.attributePatch(request.attributes));
    const updated = await this.chat.store.updateContact(contact.id, patch);
    if (updated === undefined) throw notFound("Contact");
    return this.toWire(updated);
  }

  /**
   * `POST /contacts/:id/merge`: `otherId`'s conversations and tokens become `id`'s, its details
   * fill `id`'s blanks, and it is deleted. Messages are not touched.
   */
  async merge(agent: Answerer, id: number, otherId: number): Promise<Contact> {
    if (id === otherId) throw invalid("A contact cannot be merged with itself");
    const [into, from] = await Promise.all([this.find(agent, id), this.find(agent, otherId)]);
    if (into.siteId !== from.siteId)
      throw new ChatError("conflict", "Contacts of different sites cannot be merged");
    if (into.verified && from.verified)
      throw new ChatError(
        "conflict",
        "Both contacts are verified with different ids: they are two users of the site",
      );
    const patch: ContactPatch = {
      at: this.now(),
      firstSeenAt: into.firstSeenAt < from.firstSeenAt ? into.firstSeenAt : from.firstSeenAt,
      lastSeenAt: into.lastSeenAt > from.lastSeenAt ? into.lastSeenAt : from.lastSeenAt,
      attributes: joinedAttributes(into.attributes, from.attributes),
    };
    if (into.name === null && from.name !== null) patch.name = from.name;
    if (into.email === null && from.email !== null) patch.email = from.email;
    if (into.locale === null && from.locale !== null) patch.locale = from.locale;
    // (§16) An address unsubscribed stays so when the merged contact keeps that address.
    if (
      into.emailUnsubscribedAt === null &&
      from.emailUnsubscribedAt !== null &&
      (into.email === null || into.email.toLowerCase() === from.email?.toLowerCase())
    )
      patch.emailUnsubscribedAt = from.emailUnsubscribedAt;
    if (from.verified) {
      // The verified identity is the one to keep, with the token its browsers adopt.
      patch.externalId = from.externalId;
      patch.verified = true;
      patch.sessionToken = from.sessionToken;
    } else if (into.externalId === null && from.externalId !== null) patch.externalId = from.externalId;
    const moved = await this.chat.store.listConversations({ contactId: from.id, limit: ANNOUNCED_MOVES });
    const merged = await this.chat.store.mergeContacts(into.id, from.id, patch);
    if (merged === undefined) throw notFound("Contact");
    for (const conversation of moved) {
      await this.chat.events.conversationChanged({ ...conversation, contactId: merged.id });
    }
    return this.toWire(merged);
  }

  /** `GET /conversations/:id/context`: the visitor's context, contact and other conversations. */
  async context(
    conversation: StoredConversation,
    options: { withAddress: boolean },
  ): Promise<ConversationContextResponse> {
    const { store } = this.chat;
    const visitor = await store.findVisitor(conversation.siteId, conversation.visitorToken);
    const [pages, contact] = await Promise.all([
      visitor === undefined ? [] : store.listPageViews(visitor.id),
      conversation.contactId === null ? undefined : store.getContact(conversation.contactId),
    ]);
    const past =
      contact === undefined
        ? []
        : (await store.listConversations({ contactId: contact.id, limit: PAST_CONVERSATIONS + 1 }))
            .filter((other) => other.id !== conversation.id)
            .slice(0, PAST_CONVERSATIONS);
    return {
      conversation_id: conversation.id,
      context: toWireContext(visitor, pages, options.withAddress),
      contact: contact === undefined ? null : this.toWire(contact),
      past_conversations: await this.wireConversations(past),
    };
  }

  private claims(input: IdentifyInput): Claims {
    return {
      name: input.name === undefined ? undefined : check.contactName(input.name),
      email: input.email === undefined ? undefined : check.email(input.email),
      attributes: check.attributePatch(input.attributes),
    };
  }

  private async identifyVerified(
    siteId: number,
    visitorToken: string,
    externalId: string,
    claims: Claims,
  ): Promise<IdentifyResponse> {
    const { store } = this.chat;
    const at = this.now();
    const visitor = await store.ensureVisitor(siteId, visitorToken, at);
    // Twice at most: a concurrent identify of the same new id may create the contact first.
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = await store.findVerifiedContact(siteId, externalId);
        let contact: StoredContact;
        let answerToken = visitorToken;
        let joins = true;
        if (existing !== undefined) {
          const patch = this.claimPatch(existing, claims, at, "overwrite");
          // Identified again from a token that is already theirs: nothing new to tell.
          joins = visitor.contactId !== existing.id;
          answerToken = existing.sessionToken;
          if (
            existing.sessionToken !== visitorToken &&
            (await this.adoptsThisToken(siteId, existing, visitorToken))
          ) {
            patch.sessionToken = visitorToken;
            answerToken = visitorToken;
          }
          contact = (await store.updateContact(existing.id, patch)) ?? existing;
        } else {
          const own = visitor.contactId === null ? undefined : await store.getContact(visitor.contactId);
          if (
            own !== undefined &&
            !own.verified &&
            (own.externalId === null || own.externalId === externalId)
          ) {
            // The token's own claims become verified: it is the same browser, now signed for.
            const patch = this.claimPatch(own, claims, at, "overwrite");
            patch.externalId = externalId;
            patch.verified = true;
            contact = (await store.updateContact(own.id, patch)) ?? own;
          } else {
            // A browser whose token is another verified user's (a shared device, a new login):
            // the new user starts on a token of their own and never sees that user's conversation.
            const otherUsers = own?.verified === true;
            contact = await store.createContact({
              siteId,
              externalId,
              verified: true,
              name: claims.name ?? null,
              email: claims.email ?? null,
              attributes: check.withAttributes({}, claims.attributes),
              sessionToken: otherUsers ? newVisitorToken() : visitorToken,
              at,
            });
            if (otherUsers) {
              // The fresh token is the contact's from its first page: its conversation carries them.
              const fresh = await store.ensureVisitor(siteId, contact.sessionToken, at);
              await this.attach(siteId, fresh, contact, undefined);
              await this.announceIdentified(siteId, contact, contact.sessionToken);
              return { token: contact.sessionToken, verified: true };
            }
          }
        }
        await this.attach(siteId, visitor, contact, undefined);
        if (joins) await this.announceIdentified(siteId, contact, answerToken);
        return { token: answerToken, verified: true };
      } catch (error) {
        if (!(error instanceof UniqueViolationError) || attempt >= 2) throw error;
      }
    }
  }

  /**
   * Tells webhooks (§13 `contact.identified`) that a token became this verified contact: a new
   * contact, a token's claims now verified, or another browser joining them. The conversation
   * is the one the answered token chats in on this site.
   */
  private async announceIdentified(
    siteId: number,
    contact: StoredContact,
    answerToken: string,
  ): Promise<void> {
    const conversation = await this.chat.store.findConversationByToken(answerToken);
    this.chat.events.contactIdentified(
      this.toWire(contact),
      conversation !== undefined && conversation.siteId === siteId ? conversation : null,
    );
  }

  /**
   * A contact's token is the one their browsers share. It moves to this token only when the
   * contact's has no conversation and this one has: the conversation is what they share.
   */
  private async adoptsThisToken(
    siteId: number,
    contact: StoredContact,
    visitorToken: string,
  ): Promise<boolean> {
    const [theirs, mine] = await Promise.all([
      this.chat.store.findConversationByToken(contact.sessionToken),
      this.chat.store.findConversationByToken(visitorToken),
    ]);
    if (theirs !== undefined && theirs.siteId === siteId) return false;
    if (mine === undefined || mine.siteId !== siteId) return false;
    if (mine.contactId === null || mine.contactId === contact.id) return true;
    // Another verified user's conversation is never handed to this one's browsers.
    return (await this.chat.store.getContact(mine.contactId))?.verified !== true;
  }

  private async identifyClaimed(
    siteId: number,
    visitorToken: string,
    externalId: string | undefined,
    claims: Claims,
  ): Promise<IdentifyResponse> {
    const { store } = this.chat;
    const at = this.now();
    const visitor = await store.ensureVisitor(siteId, visitorToken, at);
    const own = visitor.contactId === null ? undefined : await store.getContact(visitor.contactId);
    let contact: StoredContact;
    if (own === undefined) {
      contact = await store.createContact({
        siteId,
        externalId: externalId ?? null,
        verified: false,
        name: claims.name ?? null,
        email: claims.email ?? null,
        attributes: check.withAttributes({}, claims.attributes),
        sessionToken: visitorToken,
        at,
      });
    } else if (own.verified) {
      // A claim never changes a verified contact's identity; it may fill in blanks.
      contact = (await store.updateContact(own.id, this.claimPatch(own, claims, at, "fill"))) ?? own;
    } else {
      const patch = this.claimPatch(own, claims, at, "overwrite");
      if (externalId !== undefined) patch.externalId = externalId;
      contact = (await store.updateContact(own.id, patch)) ?? own;
    }
    await this.attach(siteId, visitor, contact, undefined);
    return { token: visitorToken, verified: contact.verified };
  }

  private claimPatch(
    contact: StoredContact,
    claims: Claims,
    at: string,
    mode: "overwrite" | "fill",
  ): ContactPatch {
    const patch: ContactPatch = { at, lastSeenAt: at };
    if (claims.name !== undefined && (mode === "overwrite" || contact.name === null))
      patch.name = claims.name;
    if (claims.email !== undefined && (mode === "overwrite" || contact.email === null))
      patch.email = claims.email;
    if (Object.keys(claims.attributes).length > 0) {
      const attributes =
        mode === "overwrite"
          ? claims.attributes
          : Object.fromEntries(
              Object.entries(claims.attributes).filter(([key]) => !(key in contact.attributes)),
            );
      patch.attributes = check.withAttributes(contact.attributes, attributes);
    }
    return patch;
  }

  /**
   * The token's visitor and conversation (on this site) become the contact's; agents hear a
   * conversation that changed. `name` (contact details) also becomes its visitor name.
   */
  private async attach(
    siteId: number,
    visitor: StoredVisitor,
    contact: StoredContact,
    name: string | undefined,
  ): Promise<void> {
    const { store } = this.chat;
    if (visitor.contactId !== contact.id) await store.setVisitorContact(visitor.id, contact.id);
    const conversation = await store.findConversationByToken(visitor.token);
    if (conversation === undefined || conversation.siteId !== siteId) return;
    if (conversation.contactId !== null && conversation.contactId !== contact.id) {
      // Another verified user's conversation stays theirs, whoever uses the browser now.
      const current = await store.getContact(conversation.contactId);
      if (current?.verified === true) return;
    }
    const visitorName = name === undefined ? undefined : await this.visitorNameOf(name);
    const renamed = visitorName !== undefined && visitorName !== conversation.visitorName;
    if (conversation.contactId === contact.id && !renamed) return;
    const updated = await store.updateConversation(conversation.id, {
      contactId: contact.id,
      ...(renamed ? { visitorName } : {}),
    });
    if (updated !== undefined) await this.chat.events.conversationChanged(updated);
  }

  /** A contact's name as a conversation's visitor name: within its length, never an agent's. */
  private async visitorNameOf(name: string): Promise<string | undefined> {
    const agents = await this.chat.store.listAgents();
    const short = [...name].slice(0, MAX_VISITOR_NAME_LENGTH).join("").trimEnd();
    return visitorNameBeside(
      short,
      agents.map((agent) => agent.name),
    );
  }

  private async wireConversations(rows: StoredConversation[]): Promise<Conversation[]> {
    const online = await this.chat.presence.onlineVisitors(rows.map((row) => row.visitorToken));
    return rows.map((row) => toWireConversation(row, online.has(row.visitorToken)));
  }

  private now(): string {
    return this.chat.now().toISOString();
  }
}

/** `into`'s attributes win; `from`'s fill in, as many as the cap leaves room for. */
function joinedAttributes(
  into: Record<string, ContactAttributeValue>,
  from: Record<string, ContactAttributeValue>,
): Record<string, ContactAttributeValue> {
  const joined = new Map(Object.entries(into));
  for (const [key, value] of Object.entries(from)) {
    if (joined.size >= MAX_CONTACT_ATTRIBUTES) break;
    if (!joined.has(key)) joined.set(key, value);
  }
  return Object.fromEntries(joined);
}
