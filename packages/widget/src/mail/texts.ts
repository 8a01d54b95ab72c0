/**
 * The mail chunk's words in English, French and Japanese. They live here, not in i18n.ts, so
 * that only visitors of a site that sends email download them; they always go into text nodes.
 * `{email}` is filled in by `fill`.
 */
import type { Locale } from "../locale.js";

export interface MailTexts {
  /** The card's heading, the label of its address field. */
  ask: string;
  /** The card's heading when a transcript needs an address. */
  askTranscript: string;
  send: string;
  noThanks: string;
  /** Labels the button that closes a confirmation. */
  dismiss: string;
  invalid: string;
  saved: string;
  transcriptSent: string;
  /** A transcript sent to the address the contact already has. */
  transcriptSentKnown: string;
  /** The entries in the panel. */
  replies: string;
  transcript: string;
  /** 429: transcripts asked too often. */
  tooMany: string;
  /** 409: the server sends no email (any more). */
  off: string;
  failed: string;
}

export const TEXTS: Record<Locale, MailTexts> = {
  en: {
    ask: "Get the reply by email",
    askTranscript: "Where should we send the transcript?",
    send: "Send",
    noThanks: "No thanks",
    dismiss: "Dismiss",
    invalid: "Enter an email address like name@example.com.",
    saved: "We'll email you at {email}.",
    transcriptSent: "We've sent the transcript to {email}.",
    transcriptSentKnown: "We've sent the transcript to your email.",
    replies: "Email me the replies",
    transcript: "Email me a transcript",
    tooMany: "You've asked for several transcripts. Try again later.",
    off: "Email isn't available right now.",
    failed: "That didn't work. Check your connection and try again.",
  },
  fr: {
    ask: "Recevoir la réponse par e-mail",
    askTranscript: "À quelle adresse envoyer la transcription\u00a0?",
    send: "Envoyer",
    noThanks: "Non merci",
    dismiss: "Fermer",
    invalid: "Indiquez une adresse e-mail de la forme nom@exemple.fr.",
    saved: "Nous vous écrirons à {email}.",
    transcriptSent: "Nous avons envoyé la transcription à {email}.",
    transcriptSentKnown: "Nous avons envoyé la transcription à votre adresse e-mail.",
    replies: "M'envoyer les réponses par e-mail",
    transcript: "M'envoyer la transcription",
    tooMany: "Vous avez demandé plusieurs transcriptions. Réessayez plus tard.",
    off: "L'e-mail n'est pas disponible pour l'instant.",
    failed: "Cela n'a pas fonctionné. Vérifiez votre connexion et réessayez.",
  },
  ja: {
    ask: "返信をメールで受け取る",
    askTranscript: "会話の記録をどこに送りますか？",
    send: "送信",
    noThanks: "結構です",
    dismiss: "閉じる",
    invalid: "メールアドレスは name@example.com の形式で入力してください。",
    saved: "{email} にメールでお知らせします。",
    transcriptSent: "会話の記録を {email} に送信しました。",
    transcriptSentKnown: "会話の記録をご登録のメールアドレスに送信しました。",
    replies: "返信をメールで受け取る",
    transcript: "会話の記録をメールで受け取る",
    tooMany: "会話の記録のご依頼が続いています。しばらくしてからお試しください。",
    off: "現在メールはご利用いただけません。",
    failed: "うまくいきませんでした。接続を確認して、もう一度お試しください。",
  },
};
