/**
 * Visitors' unsubscribe links (protocol §16, RFC 8058): `PUBLIC_URL/email/unsubscribe?t=<token>`,
 * the token signed for the "unsubscribe" purpose with the contact, its site and the address the
 * email went to, valid a year (an old email's link still works). Using it marks the contact
 * `email_unsubscribed_at`: no more reply emails to them on that site.
 */
import type { Store, StoredContact } from "../store/store.js";
import type { SignedTokens } from "./signedTokens.js";

/** How long an unsubscribe link works. */
export const UNSUBSCRIBE_LINK_DAYS = 365;
export const UNSUBSCRIBE_PATH = "/email/unsubscribe";

export interface UnsubscribeClaims {
  contact_id: number;
  site_id: number;
  email: string;
}

export type UnsubscribeCheck =
  | { kind: "valid"; contact: StoredContact; email: string }
  /** Forged, altered, expired, or naming a contact that is gone. */
  | { kind: "invalid" };

export class Unsubscribes {
  constructor(
    private readonly tokens: SignedTokens,
    private readonly store: Pick<Store, "getContact" | "updateContact">,
    /** PUBLIC_URL; undefined while sending is off (no links are made then). */
    private readonly publicUrl: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The link for emails to this contact's address (its email must be set). */
  url(contact: Pick<StoredContact, "id" | "siteId" | "email">): string {
    if (this.publicUrl === undefined) throw new Error("unsubscribe links need PUBLIC_URL");
    if (contact.email === null) throw new Error(`contact ${contact.id} has no email to unsubscribe`);
    const expires = new Date(this.now().getTime() + UNSUBSCRIBE_LINK_DAYS * 24 * 3600 * 1000);
    const token = this.tokens.sign<UnsubscribeClaims>(
      "unsubscribe",
      { contact_id: contact.id, site_id: contact.siteId, email: contact.email },
      expires,
    );
    return `${this.publicUrl}${UNSUBSCRIBE_PATH}?t=${token}`;
  }

  async check(token: unknown): Promise<UnsubscribeCheck> {
    const verified = this.tokens.verify<UnsubscribeClaims>("unsubscribe", token);
    if (verified.kind !== "valid") return { kind: "invalid" };
    const { contact_id: contactId, site_id: siteId, email } = verified.claims;
    if (!Number.isSafeInteger(contactId) || typeof email !== "string") return { kind: "invalid" };
    const contact = await this.store.getContact(contactId);
    if (contact?.siteId !== siteId) return { kind: "invalid" };
    return { kind: "valid", contact, email };
  }

  /**
   * Unsubscribes the link's contact. An address the contact no longer has gets no reply emails
   * anyway: nothing changes, and the visitor still reads that they are unsubscribed.
   */
  async unsubscribe(token: unknown): Promise<UnsubscribeCheck> {
    const checked = await this.check(token);
    if (checked.kind !== "valid") return checked;
    const { contact, email } = checked;
    if (contact.emailUnsubscribedAt !== null || contact.email?.toLowerCase() !== email.toLowerCase())
      return checked;
    const at = this.now().toISOString();
    const updated = await this.store.updateContact(contact.id, { at, emailUnsubscribedAt: at });
    return { kind: "valid", contact: updated ?? contact, email };
  }
}
