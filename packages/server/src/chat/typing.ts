/**
 * Typing state with expiry. A `typing: true` lasts TYPING_EXPIRY_MS unless refreshed; when it
 * lapses, or the typist sends their message, the others are told it stopped. Refreshes are
 * rebroadcast at most once a second, so receivers that expire `true` after 3 s keep showing it
 * while the typist goes on, without a frame per keystroke.
 */
import { TYPING_EXPIRY_MS } from "@parley/protocol";

const REBROADCAST_AFTER_MS = 1000;

interface Typist {
  timer: NodeJS.Timeout;
  broadcastAtMs: number;
}

export class TypingTracker {
  private readonly typists = new Map<string, Typist>();

  constructor(
    /** Reports a failed expiry announcement (it runs on a timer, with no caller to throw to). */
    private readonly onError: (error: unknown) => void,
    private readonly expiryMs = TYPING_EXPIRY_MS,
  ) {}

  /**
   * Applies a typist's `typing` flag and tells the others through `announce` when they should
   * hear of it: a start, a due refresh, a stop, or later, the expiry.
   */
  async update(
    key: string,
    typing: boolean,
    nowMs: number,
    announce: (typing: boolean) => Promise<void>,
  ): Promise<void> {
    if (!typing) {
      if (this.stop(key)) await announce(false);
      return;
    }
    const due = this.start(key, nowMs, () => {
      announce(false).catch(this.onError);
    });
    if (due) await announce(true);
  }

  /**
   * Marks `key` as typing; `onExpire` runs if no refresh or stop comes in time.
   * Returns true when the others should be told (newly typing, or a due refresh).
   */
  start(key: string, nowMs: number, onExpire: () => void): boolean {
    const current = this.typists.get(key);
    if (current !== undefined) clearTimeout(current.timer);
    const timer = setTimeout(() => {
      this.typists.delete(key);
      onExpire();
    }, this.expiryMs);
    timer.unref();
    const due = current === undefined || nowMs - current.broadcastAtMs >= REBROADCAST_AFTER_MS;
    this.typists.set(key, { timer, broadcastAtMs: due ? nowMs : current.broadcastAtMs });
    return due;
  }

  /** Returns true when `key` was typing (so the others should be told it stopped). */
  stop(key: string): boolean {
    const current = this.typists.get(key);
    if (current === undefined) return false;
    clearTimeout(current.timer);
    this.typists.delete(key);
    return true;
  }

  clear(): void {
    for (const typist of this.typists.values()) clearTimeout(typist.timer);
    this.typists.clear();
  }
}
