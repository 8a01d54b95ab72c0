/**
 * The expect chunk's words: when a closed team is back, the acknowledgement of a first message,
 * an agent typing, and when a visitor who sent too fast may send again.
 */
import type { BackWords } from "../back.js";
import type { Locale } from "../locale.js";
import type { TimeWords } from "../time.js";

export interface ExpectWords extends BackWords, TimeWords {
  thanks: string;
  /** `{name}`: the agent's. */
  typing: string;
  /** `{s}`: seconds until the visitor may send again. */
  tooFast: string;
}

export const WORDS: Record<Locale, ExpectWords> = {
  en: {
    backToday: "Back today at {time}",
    backTomorrow: "Back tomorrow at {time}",
    backOn: "Back {day} at {time}",
    zone: " ({zone})",
    thanks: "Thanks, we got your message.",
    now: "now",
    minutes: "{n} min",
    hours: "{n} h",
    typing: "{name} is typing…",
    tooFast: "You're sending messages quickly. You can send again in {s} s.",
  },
  fr: {
    backToday: "De retour aujourd'hui à {time}",
    backTomorrow: "De retour demain à {time}",
    backOn: "De retour {day} à {time}",
    zone: " ({zone})",
    thanks: "Merci, nous avons bien reçu votre message.",
    now: "à l'instant",
    minutes: "{n}\u00a0min",
    hours: "{n}\u00a0h",
    typing: "{name} écrit…",
    tooFast: "Vous écrivez vite\u00a0! Vous pourrez envoyer à nouveau dans {s}\u00a0s.",
  },
  ja: {
    backToday: "本日{time}から対応します",
    backTomorrow: "明日{time}から対応します",
    backOn: "{day} {time}から対応します",
    zone: "（{zone}）",
    thanks: "メッセージを受け付けました。ありがとうございます。",
    now: "たった今",
    minutes: "{n}分前",
    hours: "{n}時間前",
    typing: "{name}が入力中…",
    tooFast: "送信が続いています。{s}秒後にもう一度お試しください。",
  },
};
