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
  tooFast: string;
  typing: string;
  agent: string;
  you: string;
  now: string;
  minutes: string;
  hours: string;
  /** The site's typical reply time (team.ts): `{t}` is one of `within`'s four, `|`-separated. */
  replies: string;
  within: string;
  /** The last of the names in the header when the team has more than three. */
  others: string;
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
  tooFast: "You're sending messages quickly. You can send again in {s} s.",
  typing: "{name} is typing…",
  agent: "Agent",
  you: "You",
  now: "now",
  minutes: "{n} min",
  hours: "{n} h",
  replies: "Typically replies in {t}",
  within: "a few minutes|under an hour|a few hours|a day",
  others: "{n} others",
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
  tooFast: "Vous écrivez vite\u00a0! Vous pourrez envoyer à nouveau dans {s}\u00a0s.",
  typing: "{name} écrit…",
  agent: "Conseiller",
  you: "Vous",
  now: "à l'instant",
  minutes: "{n}\u00a0min",
  hours: "{n}\u00a0h",
  replies: "Réponse généralement en {t}",
  within: "quelques minutes|moins d'une heure|quelques heures|une journée",
  others: "{n} autres",
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
  tooFast: "送信が続いています。{s}秒後にもう一度お試しください。",
  typing: "{name}が入力中…",
  agent: "担当者",
  you: "あなた",
  now: "たった今",
  minutes: "{n}分前",
  hours: "{n}時間前",
  replies: "通常{t}以内に返信します",
  within: "数分|1時間|数時間|1日",
  others: "他{n}名",
};

export const STRINGS: Record<Locale, Strings> = { en, fr, ja };
