/**
 * The address a conversation's emails ask visitors to answer to: the reply mailbox's address
 * with a tag, `replies+c<conversation id>-<check>@example.com`. The check (an HMAC of the id,
 * lowercase hex, since some mail systems fold an address's case) keeps strangers from writing
 * into a conversation by guessing its number. Mail systems deliver `local+tag@` to `local@`
 * (plus addressing); one that does not still threads by the headers Parley set (docs/email.md).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const CHECK_HEX_LENGTH = 16;
const TAG_PATTERN = /^c(\d{1,15})-([0-9a-f]{16})$/;

export class ReplyAddresses {
  private readonly key: Buffer;

  /** `mailbox`: the reply mailbox's own address, as MAIL_REPLY_TO (or MAIL_FROM) gives it. */
  constructor(
    private readonly mailbox: string,
    secretKeyBase: string,
  ) {
    this.key = createHmac("sha256", secretKeyBase).update("parley email reply tag").digest();
  }

  /** The Reply-To address for this conversation's emails. */
  forConversation(conversationId: number): string {
    const at = this.mailbox.lastIndexOf("@");
    const local = this.mailbox.slice(0, at).replace(/\+.*$/, "");
    return `${local}+c${conversationId}-${this.check(conversationId)}${this.mailbox.slice(at)}`;
  }

  /** The conversation an address's tag names, if its check holds; undefined for anything else. */
  conversationOf(address: string): number | undefined {
    const at = address.lastIndexOf("@");
    if (at <= 0) return undefined;
    const plus = address.indexOf("+");
    if (plus < 0 || plus > at) return undefined;
    const match = TAG_PATTERN.exec(address.slice(plus + 1, at).toLowerCase());
    if (match === null) return undefined;
    const id = Number(match[1]);
    const expected = Buffer.from(this.check(id));
    const given = Buffer.from(match[2] ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  private check(conversationId: number): string {
    return createHmac("sha256", this.key)
      .update(String(conversationId))
      .digest("hex")
      .slice(0, CHECK_HEX_LENGTH);
  }
}
