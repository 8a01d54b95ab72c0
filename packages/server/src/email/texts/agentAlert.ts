/** The agents' alert email (agentAlerts.ts), in each EmailLocale. */
import type { EmailLocale } from "@parley/protocol";

export interface AgentAlertTexts {
  subject: (count: number, siteName: string) => string;
  title: (count: number) => string;
  intro: string;
  newConversation: string;
  waiting: string;
  visitor: (conversationId: number) => string;
  open: string;
  openInbox: string;
  /** Why an agent gets this, in place of the visitors' footer reason. */
  settingsHint: string;
}

export const AGENT_ALERT_TEXTS: Readonly<Record<EmailLocale, AgentAlertTexts>> = {
  en: {
    subject: (count, site) =>
      count === 1 ? `A visitor is waiting on ${site}` : `${count} visitors are waiting on ${site}`,
    title: (count) =>
      count === 1 ? "A visitor is waiting for an answer" : `${count} visitors are waiting for an answer`,
    intro: "While you were away from the inbox:",
    newConversation: "new conversation",
    waiting: "waiting",
    visitor: (id) => `Visitor #${id}`,
    open: "Open the conversation",
    openInbox: "Open the inbox",
    settingsHint: "You can change these emails in the inbox, under your email alerts.",
  },
  fr: {
    subject: (count, site) =>
      count === 1 ? `Un visiteur attend sur ${site}` : `${count} visiteurs attendent sur ${site}`,
    title: (count) =>
      count === 1 ? "Un visiteur attend une réponse" : `${count} visiteurs attendent une réponse`,
    intro: "Pendant votre absence de la boîte de réception :",
    newConversation: "nouvelle conversation",
    waiting: "en attente",
    visitor: (id) => `Visiteur n° ${id}`,
    open: "Ouvrir la conversation",
    openInbox: "Ouvrir la boîte de réception",
    settingsHint: "Vous pouvez modifier ces e-mails dans la boîte de réception, dans vos alertes par e-mail.",
  },
  ja: {
    subject: (count, site) =>
      count === 1
        ? `${site} で訪問者が返信を待っています`
        : `${site} で ${count} 人の訪問者が返信を待っています`,
    title: (count) =>
      count === 1 ? "訪問者が返信を待っています" : `${count} 人の訪問者が返信を待っています`,
    intro: "受信箱を離れている間に：",
    newConversation: "新しい会話",
    waiting: "返信待ち",
    visitor: (id) => `訪問者 #${id}`,
    open: "会話を開く",
    openInbox: "受信箱を開く",
    settingsHint: "このメールは受信箱のメール通知設定で変更できます。",
  },
};
