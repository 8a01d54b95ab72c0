/**
 * The uploads chunk's words in English, French and Japanese. They live here, not in i18n.ts,
 * so that only visitors who attach a file download them. `{name}` and `{n}` are filled in by
 * `say`; the result always goes into text nodes.
 */
import type { Locale } from "../i18n.js";

export interface UploadTexts {
  uploading: string;
  tooLarge: string;
  notAllowed: string;
  empty: string;
  tooFast: string;
  failed: string;
  dismiss: string;
}

export const TEXTS: Record<Locale, UploadTexts> = {
  en: {
    uploading: "Uploading {name}…",
    tooLarge: "“{name}” is too large to send (max {n} MB).",
    notAllowed: "“{name}” can't be sent: only images (PNG, JPEG, GIF, WebP), PDF and text files are allowed.",
    empty: "“{name}” is empty.",
    tooFast: "You're sending files quickly. Try again in a moment.",
    failed: "“{name}” could not be sent. Check your connection and try again.",
    dismiss: "Dismiss",
  },
  fr: {
    uploading: "Envoi de {name}…",
    tooLarge: "«\u00a0{name}\u00a0» est trop volumineux (max. {n}\u00a0Mo).",
    notAllowed:
      "«\u00a0{name}\u00a0» ne peut pas être envoyé\u00a0: seuls les images (PNG, JPEG, GIF, WebP), les PDF et les fichiers texte sont acceptés.",
    empty: "«\u00a0{name}\u00a0» est vide.",
    tooFast: "Vous envoyez des fichiers très vite. Réessayez dans un instant.",
    failed: "«\u00a0{name}\u00a0» n'a pas pu être envoyé. Vérifiez votre connexion et réessayez.",
    dismiss: "Fermer",
  },
  ja: {
    uploading: "{name} を送信中…",
    tooLarge: "「{name}」は大きすぎるため送信できません（最大 {n} MB）。",
    notAllowed:
      "「{name}」は送信できません。画像（PNG、JPEG、GIF、WebP）、PDF、テキストファイルのみ送信できます。",
    empty: "「{name}」は空のファイルです。",
    tooFast: "ファイルの送信が続いています。少し待ってからもう一度お試しください。",
    failed: "「{name}」を送信できませんでした。接続を確認して、もう一度お試しください。",
    dismiss: "閉じる",
  },
};

export function say(template: string, name: string, n = 0): string {
  return template.replace("{name}", name).replace("{n}", String(n));
}
