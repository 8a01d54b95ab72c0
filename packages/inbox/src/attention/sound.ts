/**
 * A short two-note chime made with Web Audio, so there is no sound file to ship. Browsers only
 * let a page play sound after the user has interacted with it; before that this is silent.
 */
let context: AudioContext | undefined;
let lastPlayedMs = 0;
/** A burst of messages chimes once. */
const QUIET_MS = 2000;

export function chime(): void {
  const now = Date.now();
  if (now - lastPlayedMs < QUIET_MS) return;
  lastPlayedMs = now;
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1320],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.3);
    }
  } catch {
    /* no audio device or not allowed yet: the badge and title still tell */
  }
}
