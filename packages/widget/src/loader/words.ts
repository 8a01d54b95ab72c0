/**
 * The launcher's words, part of widget.js: its accessible name says what a press does (open, or
 * close when the panel is open) and how many replies wait. `close` also labels the panel's own
 * close button (the app gets these words from the loader).
 */
import type { Locale } from "../locale.js";

export interface LauncherWords {
  open: string;
  close: string;
  unread: string;
}

export const WORDS: Record<Locale, LauncherWords> = {
  en: { open: "Open chat", close: "Close chat", unread: "{n} unread" },
  fr: { open: "Ouvrir la discussion", close: "Fermer la discussion", unread: "{n} non lu(s)" },
  ja: { open: "チャットを開く", close: "チャットを閉じる", unread: "未読{n}件" },
};
