/** The language of an email, from a BCP 47 tag (the contact's or the agent's): en, fr or ja, else en. */
import { EMAIL_LOCALES, type EmailLocale } from "@parley/protocol";

export function emailLocaleOf(tag: string | null | undefined): EmailLocale {
  const language = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return (EMAIL_LOCALES as readonly string[]).includes(language) ? (language as EmailLocale) : "en";
}
