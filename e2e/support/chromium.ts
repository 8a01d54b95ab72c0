/**
 * Debian's Chromium driven by playwright-core (no browser downloads). Each launch gets a fresh
 * profile directory, removed on close, unless the caller passes one to reuse (to test what
 * survives a browser restart).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const NO_CHROMIUM = "skipped: no Chromium; set CHROMIUM_PATH";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** `CHROMIUM_PATH` if set, else Debian's `/usr/bin/chromium` if present, else null. */
export function chromiumPath(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
}

/** For `test(name, { skip: skipWithoutChromium() }, …)`: false, or the reason to skip. */
export function skipWithoutChromium(): string | false {
  return chromiumPath() ? false : NO_CHROMIUM;
}

export interface Browser {
  context: BrowserContext;
  profileDir: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Reuse a profile (cookies, localStorage) from an earlier launch; it is then kept on close. */
  profileDir?: string;
  viewport?: { width: number; height: number };
  locale?: string;
  /** The browser's time zone (IANA), e.g. a visitor far from the team; default: the machine's. */
  timezoneId?: string;
  /** A phone: touch events, a coarse pointer, the viewport meta tag honoured. */
  phone?: boolean;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(NO_CHROMIUM);
  const owned = options.profileDir === undefined;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), "parley-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? "en-US",
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    ...(options.phone ? { hasTouch: true, isMobile: true } : {}),
  });
  return {
    context,
    profileDir,
    async close() {
      await context.close();
      if (owned) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
