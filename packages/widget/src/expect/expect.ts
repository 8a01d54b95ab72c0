/** What widget-expect.js hands the app (see contract.ts). */
import { backLine } from "../back.js";
import type { ExpectChunk } from "./contract.js";
import { WORDS } from "./texts.js";

export const expect: ExpectChunk = {
  back: (iso, zone, now, locale) => backLine(iso, zone, now, locale, WORDS[locale]),
  ack: (locale, then) => {
    const ja = locale === "ja";
    return [WORDS[locale].thanks, ...then.filter(Boolean)]
      .map((line) => (/[.!?。！？]$/.test(line) ? line : line + (ja ? "。" : ".")))
      .join(ja ? "" : " ");
  },
};
