/** The expect chunk's words: when a closed team is back, and the acknowledgement of a first message. */
import type { BackWords } from "../back.js";
import type { Locale } from "../locale.js";

export interface ExpectWords extends BackWords {
  thanks: string;
}

export const WORDS: Record<Locale, ExpectWords> = {
  en: {
    backToday: "Back today at {time}",
    backTomorrow: "Back tomorrow at {time}",
    backOn: "Back {day} at {time}",
    zone: " ({zone})",
    thanks: "Thanks, we got your message.",
  },
  fr: {
    backToday: "De retour aujourd'hui à {time}",
    backTomorrow: "De retour demain à {time}",
    backOn: "De retour {day} à {time}",
    zone: " ({zone})",
    thanks: "Merci, nous avons bien reçu votre message.",
  },
  ja: {
    backToday: "本日{time}から対応します",
    backTomorrow: "明日{time}から対応します",
    backOn: "{day} {time}から対応します",
    zone: "（{zone}）",
    thanks: "メッセージを受け付けました。ありがとうございます。",
  },
};
