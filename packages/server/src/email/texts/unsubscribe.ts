/** The unsubscribe pages (`/email/unsubscribe`), in each EmailLocale. */
import type { EmailLocale } from "@parley/protocol";

export interface UnsubscribeTexts {
  title: string;
  question: (email: string, siteName: string) => string;
  confirm: string;
  doneTitle: string;
  done: (email: string, siteName: string) => string;
  invalidTitle: string;
  invalid: string;
}

export const UNSUBSCRIBE_TEXTS: Readonly<Record<EmailLocale, UnsubscribeTexts>> = {
  en: {
    title: "Unsubscribe",
    question: (email, site) => `Stop emails from ${site} to ${email}?`,
    confirm: "Unsubscribe",
    doneTitle: "You are unsubscribed",
    done: (email, site) => `${site} will not email ${email} about conversations any more.`,
    invalidTitle: "This link does not work",
    invalid: "The link is invalid or has expired. Use the link in a more recent email.",
  },
  fr: {
    title: "Se désabonner",
    question: (email, site) => `Ne plus recevoir d’e-mails de ${site} à l’adresse ${email} ?`,
    confirm: "Se désabonner",
    doneTitle: "Vous êtes désabonné",
    done: (email, site) => `${site} n’enverra plus d’e-mails sur vos conversations à ${email}.`,
    invalidTitle: "Ce lien ne fonctionne pas",
    invalid: "Le lien est invalide ou a expiré. Utilisez celui d’un e-mail plus récent.",
  },
  ja: {
    title: "配信停止",
    question: (email, site) => `${site} から ${email} へのメールを停止しますか？`,
    confirm: "配信を停止する",
    doneTitle: "配信を停止しました",
    done: (email, site) => `${site} から ${email} へ会話に関するメールは今後送信されません。`,
    invalidTitle: "このリンクは使用できません",
    invalid: "リンクが無効か、有効期限が切れています。より新しいメールのリンクをお使いください。",
  },
};
