/** The agent's per-browser choices, kept in localStorage (which may be unavailable: then defaults). */
const SOUND_KEY = "parley.inbox.sound";
const BANNER_KEY = "parley.inbox.attentionBanner";

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* private mode or storage full: the choice lasts for this page only */
  }
}

let soundOn = read(SOUND_KEY) === "on";

export function soundEnabled(): boolean {
  return soundOn;
}

const soundListeners = new Set<(on: boolean) => void>();

export function setSoundEnabled(on: boolean): void {
  soundOn = on;
  write(SOUND_KEY, on ? "on" : "off");
  for (const listener of soundListeners) listener(on);
}

/** Told when the chime is turned on or off anywhere in this page (banner, Account, checklist). */
export function onSoundChange(listener: (on: boolean) => void): () => void {
  soundListeners.add(listener);
  return () => soundListeners.delete(listener);
}

/** A per-agent flag in this browser (the checklist's hidden state). */
export function readFlag(key: string): boolean {
  return read(key) === "1";
}

export function writeFlag(key: string, on: boolean): void {
  write(key, on ? "1" : "0");
}

/** The banner offering sound and push, once dismissed, stays away in this browser. */
export function attentionBannerDismissed(): boolean {
  return read(BANNER_KEY) === "dismissed";
}

export function dismissAttentionBanner(): void {
  write(BANNER_KEY, "dismissed");
}
