/**
 * The chat panel's words in English, French and Japanese (the launcher's are in
 * loader/words.ts). `{n}`, `{s}` and `{name}` are filled in by `fill`; everything ends up in text
 * nodes, never in markup.
 */
import type { Locale } from "./locale.js";

export { fill, LOCALES, pickLocale, type Locale } from "./locale.js";

export interface Strings {
  title: string;
  greeting: string;
  online: string;
  offline: string;
  message: string;
  placeholder: string;
  send: string;
  attach: string;
  sending: string;
  failed: string;
  retry: string;
  reconnecting: string;
  agent: string;
  you: string;
  /** The site's typical reply time (team.ts): `{t}` is one of `within`'s four, `|`-separated. */
  replies: string;
  within: string;
  /** The last of the names in the header when the team has more than three. */
  others: string;
  /** (§18) The link to the site's privacy notice, under the text box. */
  privacy: string;
}

const en: Strings = {
  title: "Chat with us",
  greeting: "Hi! How can we help?",
  online: "We're online",
  offline: "We're away. Leave a message and we'll reply here.",
  message: "Message",
  placeholder: "Write a message…",
  send: "Send",
  attach: "Attach a file",
  sending: "Sending…",
  failed: "Not sent.",
  retry: "Retry",
  reconnecting: "Reconnecting…",
  agent: "Agent",
  you: "You",
  replies: "Typically replies in {t}",
  within: "a few minutes|under an hour|a few hours|a day",
  others: "{n} others",
  privacy: "Privacy",
};

const fr: Strings = {
  title: "Discutons",
  greeting: "Bonjour\u00a0! Comment pouvons-nous vous aider\u00a0?",
  online: "Nous sommes en ligne",
  offline: "Personne n'est disponible pour l'instant. Laissez un message, nous répondrons ici.",
  message: "Message",
  placeholder: "Écrivez un message…",
  send: "Envoyer",
  attach: "Joindre un fichier",
  sending: "Envoi…",
  failed: "Non envoyé.",
  retry: "Réessayer",
  reconnecting: "Reconnexion…",
  agent: "Conseiller",
  you: "Vous",
  replies: "Réponse généralement en {t}",
  within: "quelques minutes|moins d'une heure|quelques heures|une journée",
  others: "{n} autres",
  privacy: "Confidentialité",
};

const ja: Strings = {
  title: "チャットでお問い合わせ",
  greeting: "こんにちは！ご用件をどうぞ。",
  online: "オンライン中です",
  offline: "ただいま不在です。メッセージを残していただければ、こちらで返信します。",
  message: "メッセージ",
  placeholder: "メッセージを入力…",
  send: "送信",
  attach: "ファイルを添付",
  sending: "送信中…",
  failed: "送信できませんでした。",
  retry: "再送信",
  reconnecting: "再接続中…",
  agent: "担当者",
  you: "あなた",
  replies: "通常{t}以内に返信します",
  within: "数分|1時間|数時間|1日",
  others: "他{n}名",
  privacy: "プライバシー",
};

export const STRINGS: Record<Locale, Strings> = { en, fr, ja };
