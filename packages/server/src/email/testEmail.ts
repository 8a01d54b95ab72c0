/** The owner's test email (`POST /settings/email/test`): proves SMTP works, in their language. */
import type { EmailLocale } from "@parley/protocol";
import { renderEmail } from "./layout.js";
import type { EmailOutbox } from "./outgoing.js";
import { COMMON_TEXTS } from "./texts/common.js";

export interface TestEmailInput {
  to: string;
  locale: EmailLocale;
  siteName: string;
  color: string;
  /** PUBLIC_URL: the button opens the inbox there. */
  publicUrl: string;
}

export function queueTestEmail(outbox: EmailOutbox, input: TestEmailInput): Promise<string> {
  const texts = COMMON_TEXTS[input.locale];
  const rendered = renderEmail({
    locale: input.locale,
    siteName: input.siteName,
    color: input.color,
    title: texts.testTitle,
    paragraphs: [texts.testBody],
    button: { label: texts.testButton, url: `${input.publicUrl}/admin/` },
  });
  return outbox.queue({
    kind: "test",
    to: input.to,
    subject: texts.testSubject(input.siteName),
    ...rendered,
    locale: input.locale,
  });
}
