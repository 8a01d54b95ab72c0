/**
 * Both ends of a reopen link (protocol §16): the URL a reply email's button carries (the
 * visitor's last page of the site with `#parley=<link>`), and `POST /widget/resume`, which
 * exchanges a link for its conversation's visitor token.
 */
import type { ResumeResponse } from "@parley/protocol";
import { ChatError, notFound } from "../chat/errors.js";
import type { Store, StoredConversation, StoredSite } from "../store/store.js";
import { pageWithLink, resumePage, type ResumeLinks } from "./resumeLinks.js";

export const linkRefused = (): ChatError => new ChatError("forbidden", "Link is invalid or expired");

export interface ResumeDeps {
  links: ResumeLinks;
  store: Pick<Store, "getConversation" | "getSite" | "findVisitor" | "listPageViews">;
  /** The origins the site's widget runs on (chat/sites.ts). */
  originsOf(site: StoredSite): readonly string[];
  /** PUBLIC_URL: the demo page is the last resort (emails are sent only when it is set). */
  publicUrl: string | undefined;
}

export class Resume {
  constructor(private readonly deps: ResumeDeps) {}

  /** The button's URL for a reply email of this conversation. */
  async urlFor(conversation: StoredConversation): Promise<string> {
    const { store } = this.deps;
    const [site, visitor] = await Promise.all([
      store.getSite(conversation.siteId),
      store.findVisitor(conversation.siteId, conversation.visitorToken),
    ]);
    const pages = visitor === undefined ? [] : await store.listPageViews(visitor.id);
    const { publicUrl } = this.deps;
    if (publicUrl === undefined) throw new Error("reopen links need PUBLIC_URL");
    const page = resumePage({
      lastPage: pages[pages.length - 1]?.url,
      siteOrigins: site === undefined ? [] : this.deps.originsOf(site),
      publicUrl,
    });
    return pageWithLink(page, this.deps.links.sign(conversation.id));
  }

  /** `POST /widget/resume` on the site the widget runs for (the caller checked its page). */
  async exchange(siteId: number, link: string): Promise<ResumeResponse> {
    const checked = this.deps.links.check(link);
    if (checked.kind !== "valid") throw linkRefused();
    const conversation = await this.deps.store.getConversation(checked.conversationId);
    if (conversation === undefined) throw notFound("Conversation");
    // Another site's conversation is never handed to this site's widget.
    if (conversation.siteId !== siteId) throw linkRefused();
    return { token: conversation.visitorToken, conversation_id: conversation.id };
  }
}
