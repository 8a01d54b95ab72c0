/**
 * The pre-chat chunk's words in English, French and Japanese. They live here, not in i18n.ts,
 * so that only visitors who are asked download them; they always go into text nodes.
 */
import type { Locale } from "../i18n.js";

export interface ContactTexts {
  /** The pre-chat form's heading. */
  intro: string;
  /** Under it, when a field is required (marked with an asterisk). */
  requiredNote: string;
  name: string;
  email: string;
  nameMissing: string;
  emailMissing: string;
  emailInvalid: string;
  start: string;
  /** The details could not be saved (offline?); the message waits in the text box. */
  failed: string;
  askName: string;
  namePlaceholder: string;
  save: string;
  noThanks: string;
}

export const TEXTS: Record<Locale, ContactTexts> = {
  en: {
    intro: "Before we start, how can we reach you?",
    requiredNote: "Fields marked * are required.",
    name: "Name",
    email: "Email",
    nameMissing: "Enter your name.",
    emailMissing: "Enter your email address.",
    emailInvalid: "Enter an email address like name@example.com.",
    start: "Start the chat",
    failed: "Your details could not be saved. Check your connection and try again.",
    askName: "Want to tell us your name? (optional)",
    namePlaceholder: "Your name",
    save: "Save",
    noThanks: "No thanks",
  },
  fr: {
    intro: "Avant de commencer, comment pouvons-nous vous joindre\u00a0?",
    requiredNote: "Les champs marqués d'un * sont obligatoires.",
    name: "Nom",
    email: "Adresse e-mail",
    nameMissing: "Indiquez votre nom.",
    emailMissing: "Indiquez votre adresse e-mail.",
    emailInvalid: "Indiquez une adresse e-mail de la forme nom@exemple.fr.",
    start: "Commencer la discussion",
    failed: "Vos coordonnées n'ont pas pu être enregistrées. Vérifiez votre connexion et réessayez.",
    askName: "Voulez-vous nous dire votre nom\u00a0? (facultatif)",
    namePlaceholder: "Votre nom",
    save: "Enregistrer",
    noThanks: "Non merci",
  },
  ja: {
    intro: "チャットを始める前に、ご連絡先を教えてください。",
    requiredNote: "＊は必須項目です。",
    name: "お名前",
    email: "メールアドレス",
    nameMissing: "お名前を入力してください。",
    emailMissing: "メールアドレスを入力してください。",
    emailInvalid: "メールアドレスは name@example.com の形式で入力してください。",
    start: "チャットを開始",
    failed: "ご連絡先を保存できませんでした。接続を確認して、もう一度お試しください。",
    askName: "お名前を教えていただけますか？（任意）",
    namePlaceholder: "お名前",
    save: "保存",
    noThanks: "結構です",
  },
};
