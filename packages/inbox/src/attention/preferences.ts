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

export function setSoundEnabled(on: boolean): void {
  soundOn = on;
  write(SOUND_KEY, on ? "on" : "off");
}

/** The banner offering sound and push, once dismissed, stays away in this browser. */
export function attentionBannerDismissed(): boolean {
  return read(BANNER_KEY) === "dismissed";
}

export function dismissAttentionBanner(): void {
  write(BANNER_KEY, "dismissed");
}
