/** The agent's per-browser choices, kept in localStorage (which may be unavailable: then defaults). */
const SOUND_KEY = "parley.inbox.sound";

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
