/**
 * The rating card's words in English, French and Japanese. They live here, not in i18n.ts, so
 * that only visitors asked for a rating download them; they always go into text nodes.
 */
import type { Locale } from "../locale.js";

export interface RatingTexts {
  /** The card's question (the radio group's legend). */
  ask: string;
  /** What each score means, 1 to 5: read by screen readers and shown as the emoji's tooltip. */
  scores: [string, string, string, string, string];
  /** The comment field's label. */
  comment: string;
  send: string;
  /** Send without a score chosen. */
  choose: string;
  thanks: string;
  /** The server refused (nothing to rate any more, too fast). */
  failed: string;
}

export const TEXTS: Record<Locale, RatingTexts> = {
  en: {
    ask: "How was this conversation?",
    scores: ["Very bad", "Bad", "Okay", "Good", "Very good"],
    comment: "Anything to add? (optional)",
    send: "Send",
    choose: "Choose a rating first.",
    thanks: "Thank you for your feedback!",
    failed: "Your rating could not be sent.",
  },
  fr: {
    ask: "Comment s’est passée cette conversation ?",
    scores: ["Très mal", "Mal", "Correct", "Bien", "Très bien"],
    comment: "Un commentaire ? (facultatif)",
    send: "Envoyer",
    choose: "Choisissez d’abord une note.",
    thanks: "Merci pour votre avis !",
    failed: "Votre note n’a pas pu être envoyée.",
  },
  ja: {
    ask: "今回の対応はいかがでしたか？",
    scores: ["とても不満", "不満", "普通", "満足", "とても満足"],
    comment: "ご意見があればどうぞ（任意）",
    send: "送信",
    choose: "評価を選んでください。",
    thanks: "ご意見ありがとうございました！",
    failed: "評価を送信できませんでした。",
  },
};
