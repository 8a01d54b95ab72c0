/**
 * The words every email shares (the layout's footer, the locale's name for times) and the
 * owner's test email, in each EmailLocale. Other emails keep their texts beside this file, one
 * file per email, in the same shape: a record by locale, functions where a value goes in.
 */
import type { EmailLocale } from "@parley/protocol";

export interface CommonTexts {
  /** Why the reader gets this email, under the site's name. */
  footerReason: (siteName: string) => string;
  unsubscribe: string;
  unsubscribeHint: string;
  testSubject: (siteName: string) => string;
  testTitle: string;
  testBody: string;
  testButton: string;
}

export const COMMON_TEXTS: Readonly<Record<EmailLocale, CommonTexts>> = {
  en: {
    footerReason: (site) => `You get this email because of a conversation with ${site}.`,
    unsubscribe: "Unsubscribe",
    unsubscribeHint: "Stop these emails:",
    testSubject: (site) => `Test email from ${site}`,
    testTitle: "Email works",
    testBody:
      "Parley sent this test email through your SMTP server. Replies to visitors and alerts to agents will go out the same way.",
    testButton: "Open the inbox",
  },
  fr: {
    footerReason: (site) => `Vous recevez cet e-mail à la suite d’une conversation avec ${site}.`,
    unsubscribe: "Se désabonner",
    unsubscribeHint: "Ne plus recevoir ces e-mails :",
    testSubject: (site) => `E-mail de test de ${site}`,
    testTitle: "L’e-mail fonctionne",
    testBody:
      "Parley a envoyé cet e-mail de test par votre serveur SMTP. Les réponses aux visiteurs et les alertes aux agents partiront de la même façon.",
    testButton: "Ouvrir la boîte de réception",
  },
  ja: {
    footerReason: (site) => `${site} とのチャットに関するメールです。`,
    unsubscribe: "配信停止",
    unsubscribeHint: "このメールの配信を停止する：",
    testSubject: (site) => `${site} からのテストメール`,
    testTitle: "メール送信は正常です",
    testBody:
      "Parley が SMTP サーバー経由でこのテストメールを送信しました。訪問者への返信とエージェントへの通知も同じ経路で送られます。",
    testButton: "受信箱を開く",
  },
};
