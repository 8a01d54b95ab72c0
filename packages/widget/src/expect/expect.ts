/** What widget-expect.js hands the app (see contract.ts). */
import { backLine } from "../back.js";
import { fill } from "../locale.js";
import { relativeTime } from "../time.js";
import type { ExpectChunk } from "./contract.js";
import { richText } from "./richText.js";
import { WORDS } from "./texts.js";

export const expect: ExpectChunk = {
  back: (iso, zone, now, locale) => backLine(iso, zone, now, locale, WORDS[locale]),
  ack: (locale, then) => {
    const ja = locale === "ja";
    return [WORDS[locale].thanks, ...then.filter(Boolean)]
      .map((line) => (/[.!?。！？]$/.test(line) ? line : line + (ja ? "。" : ".")))
      .join(ja ? "" : " ");
  },
  time: (iso, now, locale) => relativeTime(iso, now, WORDS[locale], locale),
  rich: richText,
  typing: (locale, name) => fill(WORDS[locale].typing, { name }),
  tooFast: (note, ms, locale) => {
    const until = Date.now() + ms;
    const tick = (): void => {
      const seconds = Math.ceil((until - Date.now()) / 1000);
      note.hidden = seconds <= 0;
      note.textContent = fill(WORDS[locale].tooFast, { s: seconds });
      if (seconds <= 0) clearInterval(timer);
    };
    clearInterval(timer);
    tick();
    timer = setInterval(tick, 1000);
  },
};

/** The countdown of the one calm notice (a newer one replaces it). */
let timer: ReturnType<typeof setInterval> | undefined;
